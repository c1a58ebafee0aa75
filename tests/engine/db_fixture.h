// tests/engine/db_fixture.h: a Database in a temporary directory for engine tests.
#ifndef LOOM_TESTS_ENGINE_DB_FIXTURE_H_
#define LOOM_TESTS_ENGINE_DB_FIXTURE_H_

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "loom/database.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"

namespace loom::testing {

// The value of `result`, failing the current test (and returning null JSON) on error.
inline Json Ok(const absl::StatusOr<Json>& result) {
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : Json();
}

class DbTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen(const Options& options = {}) {
    db_.reset();
    auto opened = Database::Open(dir_.Sub("db"), options);
    ASSERT_TRUE(opened.ok()) << opened.status();
    db_ = std::move(*opened);
  }

  // Everything the tests compare to prove "the database is unchanged".
  Json Snapshot() {
    Json out;
    out["labels"] = Ok(db_->labels().Find());
    out["properties"] = Ok(db_->properties().Find());
    Json check = Ok(Check(*db_));
    out["records"] = check["records"];
    out["relationships"] = check["relationships"];
    EXPECT_EQ(check["ok"], true) << check.dump();
    return out;
  }

  std::string CreateId(const Json& args) { return Ok(db_->records().Create(args))["__id"].get<std::string>(); }

  TempDir dir_;
  std::unique_ptr<Database> db_;
};

}  // namespace loom::testing

#endif  // LOOM_TESTS_ENGINE_DB_FIXTURE_H_
