// Fuzz target: query text -> ReadQueryJson -> ParseQuery (query/parse).
//
// Invariants: neither step crashes or throws; every error is INVALID_QUERY;
// an accepted query, printed back as JSON, is accepted again (the reader
// must not let through anything its own output cannot represent, such as
// invalid UTF-8).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "loom/status.h"
#include "query/parse/json_reader.h"
#include "query/parse/parser.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using loom::ErrorCode;
using loom::GetErrorCode;

void ParseOne(std::string_view text) {
  auto json = loom::query::ReadQueryJson(text);
  if (!json.ok()) {
    LOOM_FUZZ_CHECK(GetErrorCode(json.status()) == ErrorCode::kInvalidQuery,
                    "ReadQueryJson error is not INVALID_QUERY");
    return;
  }
  auto query = loom::query::ParseQuery(*json);
  if (!query.ok()) {
    LOOM_FUZZ_CHECK(GetErrorCode(query.status()) == ErrorCode::kInvalidQuery,
                    "ParseQuery error is not INVALID_QUERY");
    return;
  }
  // dump() throws on invalid UTF-8; RunNoThrow turns that into a crash.
  std::string again = json->dump();
  auto json2 = loom::query::ReadQueryJson(again);
  LOOM_FUZZ_CHECK(json2.ok(), "the dump of an accepted query is not readable");
  LOOM_FUZZ_CHECK(*json2 == *json, "the dump of an accepted query reads back differently");
  LOOM_FUZZ_CHECK(loom::query::ParseQuery(*json2).ok(),
                  "the dump of an accepted query does not parse");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  loom::fuzz::RunNoThrow(
      [&] { ParseOne(std::string_view(reinterpret_cast<const char*>(data), size)); });
  return 0;
}
