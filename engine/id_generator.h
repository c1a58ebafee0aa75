// engine/id_generator.h: the UUIDv7 generator of record, property and
// transaction ids (data-model.md §2.1).
//
// Layout: 48-bit Unix milliseconds | version 7 | 42-bit counter spread over
// rand_a (12 bits) and the top 30 bits of rand_b | variant 10 | 32 random bits.
// The (ms, counter) pair strictly increases from call to call, so the canonical
// text strictly increases too, even many times within one millisecond and
// across restarts (seeded with the largest id already stored). When the
// counter overflows, the millisecond is advanced. Thread-safe.
#ifndef LOOM_ENGINE_ID_GENERATOR_H_
#define LOOM_ENGINE_ID_GENERATOR_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"

namespace loom::engine {

class IdGenerator {
 public:
  // `now_ms` returns the current Unix time in ms (injectable for tests).
  explicit IdGenerator(std::function<int64_t()> now_ms = {});

  // Makes every later id sort after `id` when it is a UUIDv7; other text
  // (ids brought in by a dataset load) is ignored.
  void SeedAfter(std::string_view id);

  std::string Next();

  // The millisecond timestamp of a UUIDv7 text, or nullopt if `id` is not one.
  static std::optional<int64_t> TimestampOf(std::string_view id);
  static bool IsUuidV7(std::string_view id);

 private:
  std::function<int64_t()> now_ms_;
  absl::Mutex mu_;
  uint64_t last_ms_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t counter_ ABSL_GUARDED_BY(mu_) = 0;
  absl::BitGen bitgen_ ABSL_GUARDED_BY(mu_);
};

}  // namespace loom::engine

#endif  // LOOM_ENGINE_ID_GENERATOR_H_
