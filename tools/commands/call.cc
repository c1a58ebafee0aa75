// tools/commands/call.cc: `loom call METHOD [PARAMS]`, raw access to the
// dispatcher. PARAMS is JSON text, "-" for stdin, or "@FILE"; default {}.
#include <iostream>

#include "tools/commands/commands.h"

namespace loom::cli {

int RunCall(const Context& ctx, Database& db, const std::string& method, const std::string& params_text,
            std::ostream& out) {
  Json params = Json::object();
  if (!params_text.empty()) {
    std::string text = params_text;
    std::string what = "PARAMS";
    if (params_text == "-" || params_text.front() == '@') {
      std::string file = params_text == "-" ? "-" : params_text.substr(1);
      absl::StatusOr<std::string> read = ReadFileText(file);
      if (!read.ok()) return ReportError(ctx, read.status());
      text = std::move(*read);
      what = "PARAMS in " + file;
    }
    absl::StatusOr<Json> parsed = ParseJsonText(text, what);
    if (!parsed.ok()) return ReportError(ctx, parsed.status());
    params = std::move(*parsed);
  }
  absl::StatusOr<Json> result = SafeCall(db, method, params);
  if (!result.ok()) return ReportError(ctx, result.status());
  // Raw access prints the library's result as is (no envelope); --format jsonl
  // prints it on one line.
  const OutputFormat format = ctx.ResolvedFormat() == OutputFormat::kJsonl ? OutputFormat::kJsonl
                                                                           : OutputFormat::kJson;
  RenderValue(out, *result, format);
  return kExitOk;
}

}  // namespace loom::cli
