// tests/testing/temp_dir.h: a fresh directory under /tmp, removed (with its
// contents) when the TempDir is destroyed.
#ifndef LOOM_TESTS_TESTING_TEMP_DIR_H_
#define LOOM_TESTS_TESTING_TEMP_DIR_H_

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace loom::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/loom-test-XXXXXX";
    char* made = ::mkdtemp(pattern.data());
    path_ = made != nullptr ? std::string(made) : std::string();
  }
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // A path inside the directory (not created).
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace loom::testing

#endif  // LOOM_TESTS_TESTING_TEMP_DIR_H_
