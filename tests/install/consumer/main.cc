// Creates a record through an installed loom and reads it back.
#include <cstdio>
#include <filesystem>

#include "loom/database.h"

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  std::filesystem::remove_all(argv[1]);
  auto db = loom::Database::Open(argv[1]);
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", std::string(db.status().message()).c_str());
    return 1;
  }
  auto created = (*db)->records().Create({{"label", "ACCOUNT"}, {"data", {{"name", "Acme Corp"}, {"mrr", 1200}}}});
  if (!created.ok()) return 1;
  auto found = (*db)->records().FindById((*created)["__id"]);
  if (!found.ok() || (*found)["name"] != "Acme Corp") return 1;
  std::printf("%s\n", found->dump().c_str());
  return 0;
}
