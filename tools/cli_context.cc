// tools/cli_context.cc
#include "tools/cli_context.h"

#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>
#include <vector>

#include "loom/status.h"

namespace loom::cli {

OutputFormat Context::ResolvedFormat() const {
  if (!format.empty()) {
    if (auto parsed = ParseOutputFormat(format)) return *parsed;
  }
  return stdout_is_tty ? OutputFormat::kTable : OutputFormat::kJson;
}

absl::StatusOr<std::unique_ptr<Database>> OpenDatabase(const Context& ctx, bool for_write) {
  std::error_code ec;
  if (!for_write && !std::filesystem::exists(ctx.db_path, ec)) {
    return MakeError(ErrorCode::kNotFound,
                     "no loom database at " + ctx.db_path + " (import data first or pass --db)");
  }
  Options options;
  options.create_if_missing = for_write && !ctx.read_only;
  options.strict_queries = ctx.strict;
  options.read_only = ctx.read_only;
  try {
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(ctx.db_path, options);
    if (db.ok() || ctx.read_only) return db;
    const std::string message(db.status().message());
    if (message.find("in use by another process") == std::string::npos) return db;
    if (!for_write) {  // a reader beside a writer: a read-only instance
      options.read_only = true;
      return Database::Open(ctx.db_path, options);
    }
    return MakeError(GetErrorCode(db.status()),
                     message + " (reading commands work beside it: they open it read-only, as --readonly does)");
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, std::string("opening the database failed: ") + e.what());
  }
}

Json ErrorObject(const absl::Status& status) {
  Json error = Json::object();
  error["code"] = std::string(ErrorCodeName(GetErrorCode(status)));
  error["message"] = std::string(status.message());
  if (auto path = ErrorPath(status)) error["path"] = *path;
  return error;
}

int ReportError(const Context& ctx, const absl::Status& status) {
  const OutputFormat format = ctx.ResolvedFormat();
  if (!ctx.format.empty() && (format == OutputFormat::kJson || format == OutputFormat::kJsonl)) {
    Json wrapped = {{"success", false}, {"error", ErrorObject(status)}};
    std::cerr << wrapped.dump(-1, ' ', false, Json::error_handler_t::replace) << std::endl;
    return kExitError;
  }
  std::cerr << "error: " << ErrorCodeName(GetErrorCode(status)) << ": " << status.message();
  if (auto path = ErrorPath(status)) std::cerr << " (at " << (path->empty() ? "/" : *path) << ")";
  std::cerr << std::endl;
  return kExitError;
}

int ReportUsage(std::string_view message) {
  std::cerr << "error: " << message << "\nRun with --help for more information." << std::endl;
  return kExitUsage;
}

bool IsReadMethod(const std::string& method) {
  static const char* const kReads[] = {"records.find",       "records.findOne",    "records.findUniq",
                                       "records.findById",   "records.explain",    "records.export",
                                       "relationships.find", "labels.find",        "properties.find",
                                       "properties.findById", "properties.values", "tx.get",
                                       "db.dump",            "records.dump",       "db.stats"};
  for (const char* m : kReads) {
    if (method == m) return true;
  }
  return false;
}

absl::StatusOr<Json> ParseJsonText(std::string_view text, std::string_view what) {
  constexpr int kMaxDepth = 512;
  struct TooDeep {};
  struct DuplicateKey {
    std::string path;
  };
  // Open containers: an object's keys so far, or an array's element count.
  // A repeated key would silently keep only one value ({"limit":1,"limit":1000}).
  struct Frame {
    bool object = false;
    std::set<std::string> keys;
    std::string key;
    size_t count = 0;
  };
  std::vector<Frame> frames;
  auto path_of = [&] {
    std::string path;
    for (const Frame& f : frames) path += f.object ? JsonPointerChild("", f.key) : "/" + std::to_string(f.count - 1);
    return path;
  };
  auto check = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (depth > kMaxDepth) throw TooDeep{};
    const bool starts = event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start;
    if ((starts || event == Json::parse_event_t::value) && !frames.empty() && !frames.back().object) {
      ++frames.back().count;
    }
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        frames.push_back(Frame{event == Json::parse_event_t::object_start, {}, {}, 0});
        break;
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        if (!frames.empty()) frames.pop_back();
        break;
      case Json::parse_event_t::key: {
        Frame& f = frames.back();
        f.key = parsed.get<std::string>();
        if (!f.keys.insert(f.key).second) throw DuplicateKey{path_of()};
        break;
      }
      default:
        break;
    }
    return true;
  };
  try {
    return Json::parse(text.begin(), text.end(), check);
  } catch (const TooDeep&) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string(what) + " nests deeper than " + std::to_string(kMaxDepth) + " levels");
  } catch (const DuplicateKey& d) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(what) + " repeats a key (JSON keeps only one of them)",
                     d.path);
  } catch (const Json::parse_error& e) {
    // nlohmann's message names the byte offset and the offending token.
    std::string message = e.what();
    if (auto pos = message.find("parse error"); pos != std::string::npos) message = message.substr(pos);
    return MakeError(ErrorCode::kInvalidArgument, std::string(what) + " is not valid JSON: " + message);
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(what) + " is not valid JSON: " + e.what());
  }
}

absl::StatusOr<std::string> ReadFileText(const std::string& path) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    return buffer.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kInvalidArgument, "cannot open " + path + ": " + std::strerror(errno));
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return MakeError(ErrorCode::kInvalidArgument, "cannot read " + path);
  return text;
}

absl::StatusOr<Json> SafeCall(Database& db, std::string_view method, const Json& params, std::string_view tx) {
  try {
    return db.Call(method, params, tx);
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, std::string(method) + " failed: " + e.what());
  }
}

}  // namespace loom::cli
