#include "engine/id_generator.h"

#include <chrono>
#include <cstdio>

namespace loom::engine {
namespace {

constexpr uint64_t kCounterBits = 42;
constexpr uint64_t kCounterLimit = uint64_t{1} << kCounterBits;
// A fresh millisecond starts the counter at a random value below 2^41, which
// leaves at least 2^41 increments before the millisecond has to be advanced.
constexpr uint64_t kCounterSeedLimit = uint64_t{1} << (kCounterBits - 1);

int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Parses the 32 hex digits of a canonical lowercase UUID into two halves.
bool ParseUuid(std::string_view text, uint64_t* hi, uint64_t* lo) {
  if (text.size() != 36) return false;
  uint64_t parts[2] = {0, 0};
  int digits = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return false;
      continue;
    }
    int v = HexValue(text[i]);
    if (v < 0) return false;
    uint64_t& part = parts[digits / 16];
    part = (part << 4) | static_cast<uint64_t>(v);
    ++digits;
  }
  *hi = parts[0];
  *lo = parts[1];
  return true;
}

}  // namespace

IdGenerator::IdGenerator(std::function<int64_t()> now_ms)
    : now_ms_(now_ms ? std::move(now_ms) : std::function<int64_t()>(SystemNowMs)) {}

bool IdGenerator::IsUuidV7(std::string_view id) {
  uint64_t hi, lo;
  if (!ParseUuid(id, &hi, &lo)) return false;
  return ((hi >> 12) & 0xF) == 7 && (lo >> 62) == 0b10;
}

std::optional<int64_t> IdGenerator::TimestampOf(std::string_view id) {
  uint64_t hi, lo;
  if (!IsUuidV7(id) || !ParseUuid(id, &hi, &lo)) return std::nullopt;
  return static_cast<int64_t>(hi >> 16);
}

void IdGenerator::SeedAfter(std::string_view id) {
  uint64_t hi, lo;
  if (!IsUuidV7(id) || !ParseUuid(id, &hi, &lo)) return;
  const uint64_t ms = hi >> 16;
  const uint64_t counter = ((hi & 0xFFF) << 30) | ((lo >> 32) & 0x3FFFFFFF);
  absl::MutexLock lock(&mu_);
  if (ms > last_ms_ || (ms == last_ms_ && counter > counter_)) {
    last_ms_ = ms;
    counter_ = counter;
  }
}

std::string IdGenerator::Next() {
  uint64_t ms, counter, tail;
  {
    absl::MutexLock lock(&mu_);
    const int64_t now = now_ms_();
    const uint64_t now_ms = now < 0 ? 0 : static_cast<uint64_t>(now);
    if (now_ms > last_ms_) {
      last_ms_ = now_ms;
      counter_ = absl::Uniform<uint64_t>(bitgen_, 0, kCounterSeedLimit);
    } else if (++counter_ >= kCounterLimit) {
      ++last_ms_;  // counter exhausted: borrow the next millisecond
      counter_ = 0;
    }
    ms = last_ms_ & 0xFFFFFFFFFFFFull;
    counter = counter_;
    tail = absl::Uniform<uint32_t>(bitgen_);
  }
  const uint64_t hi = (ms << 16) | (uint64_t{7} << 12) | (counter >> 30);
  const uint64_t lo = (uint64_t{0b10} << 62) | ((counter & 0x3FFFFFFF) << 32) | tail;
  char buf[37];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-%04x-%04x-%04x%08x",
                static_cast<unsigned>(hi >> 32), static_cast<unsigned>((hi >> 16) & 0xFFFF),
                static_cast<unsigned>(hi & 0xFFFF), static_cast<unsigned>(lo >> 48),
                static_cast<unsigned>((lo >> 32) & 0xFFFF), static_cast<unsigned>(lo & 0xFFFFFFFF));
  return std::string(buf, 36);
}

}  // namespace loom::engine
