#include "engine/bulk/file_importer.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "engine/bulk/json_element.h"
#include "engine/import/csv_import_plan.h"
#include "engine/import/import_typing.h"
#include "engine/import/json_import_plan.h"
#include "loom/status.h"

namespace loom::engine::bulk {
namespace {

// "file:line[:column]: reason"; the cause's JSON Pointer stays the error's
// path (printed once by whoever shows the error, not repeated in the text).
absl::Status LineError(const std::string& path, uint64_t line, std::optional<uint64_t> column,
                       const absl::Status& cause) {
  std::string message = absl::StrCat(path, ":", line);
  if (column) absl::StrAppend(&message, ":", *column);
  absl::StrAppend(&message, ": ", Sv(MessageOf(cause)));
  return MakeError(ErrorCode::kInvalidArgument, message, ErrorPath(cause).value_or(""));
}

// Where the committed part of the input ends, and the counts up to there.
struct Position {
  uint64_t offset = 0;  // JSON lines: byte offset of the next line
  uint64_t line = 0;    // lines (JSON lines) or rows (CSV) consumed
  uint64_t records = 0;
  uint64_t relationships = 0;
  uint64_t rejected = 0;
  bool done = false;

  std::string Encode() const {
    Json j = {{"offset", offset}, {"line", line}, {"records", records},
              {"relationships", relationships}, {"rejected", rejected}, {"done", done}};
    return j.dump();
  }
  static std::optional<Position> Decode(std::string_view text) {
    Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return std::nullopt;
    Position p;
    try {
      p.offset = j.at("offset").get<uint64_t>();
      p.line = j.at("line").get<uint64_t>();
      p.records = j.at("records").get<uint64_t>();
      p.relationships = j.at("relationships").get<uint64_t>();
      p.rejected = j.at("rejected").get<uint64_t>();
      p.done = j.at("done").get<bool>();
    } catch (const Json::exception&) {
      return std::nullopt;
    }
    return p;
  }
};

// The open batch: one WriteTxn collecting records and edges, committed with
// the resume marker once it is full. Rejects of the batch are written to the
// reject file only after the commit, so a resumed run never repeats them.
class BatchWriter {
 public:
  BatchWriter(const BulkTarget& target, const ImportConfig& config, std::string marker_key,
              ImportStats* stats)
      : target_(target),
        config_(config),
        marker_key_(std::move(marker_key)),
        stats_(stats),
        batch_bytes_(std::max<size_t>(1, std::min(config.batch_bytes, config.memory_bound_bytes / 4))) {}

  // Reads the marker (when resuming) and opens the reject file.
  absl::Status Start(const std::string& path, Position* start) {
    *start = Position{};
    if (!config_.resume && !config_.restart && config_.marker.enabled()) {
      std::unique_ptr<storage::ReadView> view = target_.store->NewReadView();
      LOOM_ASSIGN_OR_RETURN(std::optional<std::string> text, config_.marker.get(*view, marker_key_));
      std::optional<Position> earlier = text ? Position::Decode(*text) : std::nullopt;
      if (earlier && !earlier->done) {
        return MakeError(ErrorCode::kInvalidArgument,
                         absl::StrCat("an earlier import of ", path, " stopped after line ", earlier->line, " with ",
                                      earlier->records, " record(s) committed; resume it (resume / --resume) or "
                                      "import it again from the start (restart / --restart), which adds those "
                                      "records a second time"),
                         "/resume");
      }
    }
    if (config_.resume) {
      if (!config_.marker.enabled()) {
        return MakeError(ErrorCode::kInvalidArgument, "resume needs a resume marker store");
      }
      std::unique_ptr<storage::ReadView> view = target_.store->NewReadView();
      LOOM_ASSIGN_OR_RETURN(std::optional<std::string> text, config_.marker.get(*view, marker_key_));
      if (text) {
        std::optional<Position> p = Position::Decode(*text);
        if (!p) return MakeError(ErrorCode::kInternal, absl::StrCat("unreadable resume marker ", marker_key_));
        *start = *p;
        stats_->resumed = true;
      }
    }
    committed_ = *start;
    pending_ = *start;
    PublishCommitted();
    if (config_.on_error == OnError::kSkip) {
      std::string reject_path = config_.reject_path.empty() ? path + ".rejects" : config_.reject_path;
      rejects_.open(reject_path, stats_->resumed ? std::ios::app : std::ios::trunc);
      if (!rejects_) {
        return MakeError(ErrorCode::kInvalidArgument, absl::StrCat("cannot write reject file ", reject_path));
      }
    }
    txn_ = target_.store->BeginWrite(storage::Store::WriteMode::kBlind);
    return absl::OkStatus();
  }

  storage::WriteTxn& txn() { return *txn_; }
  Position& pending() { return pending_; }

  // Writes the drafts of one plan: records in plan order with fresh ids, then
  // the parent -> child edges.
  absl::Status AddPlan(const ImportPlan& plan) {
    storage::Dictionaries& dicts = target_.store->dictionaries();
    rids_.clear();
    labels_.clear();
    for (const DraftRecord& draft : plan.records) {
      storage::Rid rid = txn_->NewRid();
      LOOM_ASSIGN_OR_RETURN(storage::StoredRecord record,
                            MakeStoredRecord(dicts, rid, target_.next_id(), draft.label, draft.properties));
      LOOM_RETURN_IF_ERROR(txn_->PutRecord(record, nullptr));
      rids_.push_back(rid);
      labels_.push_back(record.label);
    }
    for (size_t i = 0; i < plan.records.size(); ++i) {
      int64_t parent = plan.records[i].parent;
      if (parent < 0) continue;
      auto cached = rel_types_.find(plan.relationship_type);
      storage::NameId type;
      if (cached != rel_types_.end()) {
        type = cached->second;
      } else {
        LOOM_ASSIGN_OR_RETURN(type, dicts.rel_types.Intern(plan.relationship_type));
        rel_types_.emplace(plan.relationship_type, type);
      }
      // Blind batches cannot read their own records: pass the labels.
      size_t p = static_cast<size_t>(parent);
      LOOM_RETURN_IF_ERROR(txn_->AddEdge(rids_[p], labels_[p], rids_[i], labels_[i], type, "").status());
      ++pending_.relationships;
    }
    pending_.records += plan.records.size();
    batch_records_ += plan.records.size();
    return absl::OkStatus();
  }

  void Reject(const std::string& path, uint64_t line, std::string_view reason) {
    absl::StrAppend(&pending_rejects_, path, ":", line, ": ", Sv(reason), "\n");
    ++pending_.rejected;
  }

  // Notes the bytes held besides the batch (read buffer) for the peak.
  void NoteBuffered(size_t other_bytes) {
    uint64_t now = other_bytes + txn_->ApproximateSize() + pending_rejects_.size();
    stats_->peak_buffered_bytes = std::max<uint64_t>(stats_->peak_buffered_bytes, now);
  }

  bool Full() const {
    return batch_records_ >= config_.batch_records || txn_->ApproximateSize() >= batch_bytes_ ||
           pending_rejects_.size() >= batch_bytes_;
  }

  // Commits the batch with the marker at pending().
  absl::Status Commit() {
    if (config_.marker.enabled()) {
      LOOM_RETURN_IF_ERROR(config_.marker.put(*txn_, marker_key_, pending_.Encode()));
    }
    LOOM_RETURN_IF_ERROR(txn_->Commit(target_.durability));
    committed_ = pending_;
    ++stats_->batches;
    if (rejects_.is_open() && !pending_rejects_.empty()) {
      rejects_ << pending_rejects_;
      rejects_.flush();
      if (!rejects_) return MakeError(ErrorCode::kInternal, "writing the reject file failed");
    }
    pending_rejects_.clear();
    batch_records_ = 0;
    PublishCommitted();
    if (config_.progress) config_.progress(*stats_);
    if (config_.after_commit) LOOM_RETURN_IF_ERROR(config_.after_commit(*stats_));
    txn_ = target_.store->BeginWrite(storage::Store::WriteMode::kBlind);
    return absl::OkStatus();
  }

  absl::Status CommitIfFull() { return Full() ? Commit() : absl::OkStatus(); }

  // Final commit, marking the import done.
  absl::Status Finish() {
    pending_.done = true;
    return Commit();
  }

 private:
  void PublishCommitted() {
    stats_->records = committed_.records;
    stats_->relationships = committed_.relationships;
    stats_->rejected = committed_.rejected;
    stats_->lines = committed_.line;
    stats_->bytes = committed_.offset;
  }

  const BulkTarget& target_;
  const ImportConfig& config_;
  const std::string marker_key_;
  ImportStats* stats_;
  const size_t batch_bytes_;
  std::unique_ptr<storage::WriteTxn> txn_;
  Position committed_;
  Position pending_;
  size_t batch_records_ = 0;
  std::string pending_rejects_;
  std::ofstream rejects_;
  std::vector<storage::Rid> rids_;
  std::vector<storage::NameId> labels_;
  absl::flat_hash_map<std::string, storage::NameId> rel_types_;
};

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// Rejects options the batch importer cannot honour.
absl::Status CheckBulkOptions(const Json* options) {
  LOOM_ASSIGN_OR_RETURN(ImportOptions parsed, ParseImportOptions(options, "/options"));
  if (parsed.upsert) {
    return InvalidArgument("/options", "file imports do not support mergeBy / mergeStrategy");
  }
  return absl::OkStatus();
}

// 1-based column of the first syntax error of `line` (nlohmann reports the
// byte position); 1 when unknown.
uint64_t SyntaxErrorColumn(std::string_view line) {
  try {
    Json parsed = Json::parse(line);
    (void)parsed;
  } catch (const Json::parse_error& e) {
    return std::max<uint64_t>(1, e.byte);
  } catch (const Json::exception&) {
  }
  return 1;
}

}  // namespace

absl::Status ImportJsonLinesFile(const BulkTarget& target, const std::string& path,
                                 const std::optional<std::string>& label, const Json* options,
                                 const ImportConfig& config, ImportStats* stats) {
  ImportStats local;
  if (stats == nullptr) stats = &local;
  *stats = ImportStats{};
  LOOM_RETURN_IF_ERROR(CheckBulkOptions(options));
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kInvalidArgument, absl::StrCat("cannot open ", path));

  BatchWriter writer(target, config, config.resume_key.empty() ? "import:" + path : config.resume_key,
                     stats);
  Position start;
  LOOM_RETURN_IF_ERROR(writer.Start(path, &start));
  if (start.done) return absl::OkStatus();
  if (start.offset > 0) in.seekg(static_cast<std::streamoff>(start.offset));

  // The read buffer: whole lines of up to max_line bytes plus one read chunk,
  // followed by simdjson's padding (readable bytes after every line, so lines
  // are parsed in place).
  const size_t max_line = std::max<size_t>(4096, config.memory_bound_bytes / 4);
  const size_t chunk = std::max<size_t>(4096, config.memory_bound_bytes / 8);
  const size_t capacity = max_line + chunk;
  std::unique_ptr<char[]> buf(new char[capacity + simdjson::SIMDJSON_PADDING]);
  std::memset(buf.get() + capacity, 0, simdjson::SIMDJSON_PADDING);
  size_t begin = 0, end = 0;
  uint64_t buf_offset = start.offset;  // file offset of buf[0]
  bool eof = false;

  simdjson::dom::parser parser(max_line);
  if (auto err = parser.allocate(4096, kMaxJsonTextDepth); err) {
    return MakeError(ErrorCode::kInternal, SimdjsonErrorText(err));
  }

  while (true) {
    // Find the next line in the buffer, reading more when it is incomplete.
    const char* nl = static_cast<const char*>(std::memchr(buf.get() + begin, '\n', end - begin));
    if (nl == nullptr && !eof) {
      if (end - begin > max_line) {
        return LineError(path, writer.pending().line + 1, std::nullopt,
                         MakeError(ErrorCode::kInvalidArgument,
                                   absl::StrCat("line longer than ", max_line, " bytes")));
      }
      std::memmove(buf.get(), buf.get() + begin, end - begin);
      buf_offset += begin;
      end -= begin;
      begin = 0;
      in.read(buf.get() + end, static_cast<std::streamsize>(capacity - end));
      std::streamsize got = in.gcount();
      if (got <= 0) {
        if (in.bad()) return MakeError(ErrorCode::kInternal, absl::StrCat("reading ", path, " failed"));
        eof = true;
      }
      end += static_cast<size_t>(std::max<std::streamsize>(got, 0));
      continue;
    }
    if (nl == nullptr && begin == end) break;  // end of input
    size_t line_end = nl != nullptr ? static_cast<size_t>(nl - buf.get()) : end;
    size_t next = nl != nullptr ? line_end + 1 : end;
    std::string_view line(buf.get() + begin, line_end - begin);
    if (buf_offset + begin == 0 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    uint64_t line_no = writer.pending().line + 1;
    writer.pending().line = line_no;
    writer.pending().offset = buf_offset + next;
    begin = next;

    if (IsBlank(line)) continue;
    absl::Status bad;
    std::optional<uint64_t> column;
    simdjson::dom::element element;
    auto err = parser.parse(line.data(), line.size(), /*realloc_if_needed=*/false).get(element);
    if (err) {
      column = err == simdjson::DEPTH_ERROR ? 1 : SyntaxErrorColumn(line);
      bad = MakeError(ErrorCode::kInvalidArgument,
                      err == simdjson::DEPTH_ERROR
                          ? absl::StrCat("JSON nested deeper than ", kMaxJsonTextDepth, " levels")
                          : absl::StrCat("invalid JSON (", SimdjsonErrorText(err), ")"));
    } else if (!element.is_object()) {
      column = 1;
      bad = MakeError(ErrorCode::kInvalidArgument, "each line must be a JSON object");
    } else {
      Json args = Json::object();
      if (label) args["label"] = *label;
      if (label) {
        args["data"] = Json::array({ElementToJson(element)});
      } else {
        args["data"] = ElementToJson(element);
      }
      if (options != nullptr) args["options"] = *options;
      absl::StatusOr<ImportPlan> plan = PlanJsonImport(args);
      if (plan.ok()) {
        LOOM_RETURN_IF_ERROR(writer.AddPlan(*plan));
      } else {
        column = 1;
        bad = plan.status();
      }
    }
    if (!bad.ok()) {
      absl::Status located = LineError(path, line_no, column, bad);
      if (config.on_error == OnError::kAbort) return located;
      std::string_view text = MessageOf(located);
      writer.Reject(path, line_no, text.substr(text.find(": ") + 2));
    }
    writer.NoteBuffered(capacity + simdjson::SIMDJSON_PADDING);
    LOOM_RETURN_IF_ERROR(writer.CommitIfFull());
  }
  return writer.Finish();
}

absl::Status ImportCsvFile(const BulkTarget& target, const std::string& path, const std::string& label,
                           const Json* options, const Json* parse_config, const ImportConfig& config,
                           ImportStats* stats) {
  ImportStats local;
  if (stats == nullptr) stats = &local;
  *stats = ImportStats{};
  if (TrimEcmaWhitespace(label).empty()) return InvalidArgument("/label", "label is required");
  LOOM_RETURN_IF_ERROR(CheckBulkOptions(options));
  LOOM_ASSIGN_OR_RETURN(ImportOptions import_options, ParseImportOptions(options, "/options"));
  LOOM_ASSIGN_OR_RETURN(CsvParseConfig csv_config,
                        ParseCsvParseConfig(parse_config, options, "/parseConfig"));
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kInvalidArgument, absl::StrCat("cannot open ", path));

  BatchWriter writer(target, config, config.resume_key.empty() ? "import:" + path : config.resume_key,
                     stats);
  Position start;
  LOOM_RETURN_IF_ERROR(writer.Start(path, &start));
  if (start.done) return absl::OkStatus();

  ImportPlan plan;
  plan.records.resize(1);
  plan.records[0].label = import_options.capitalize_labels ? UpperCaseLabel(label) : label;
  plan.options = import_options;
  CsvRecordStream rows(&in, csv_config, import_options, "/data");
  // CSV rows cannot be found by byte offset (quoted fields span lines), so a
  // resumed run re-reads and skips the rows already consumed.
  uint64_t row = 0;
  while (true) {
    absl::StatusOr<bool> more = rows.Next(&plan.records[0].properties);
    auto read_pos = in.tellg();
    bool fatal = false;
    if (!more.ok()) {
      std::string_view message = MessageOf(more.status());
      // Field-count errors leave the reader usable; reader errors do not.
      fatal = !message.starts_with("CSV parse error: line ") ||
              message.find("fields: expected") == std::string_view::npos;
    } else if (!*more) {
      break;
    }
    ++row;
    if (row <= start.line) {
      if (fatal) return LineError(path, static_cast<uint64_t>(rows.line()), std::nullopt, more.status());
      continue;
    }
    writer.pending().line = row;
    if (read_pos >= 0) writer.pending().offset = static_cast<uint64_t>(read_pos);
    if (!more.ok()) {
      absl::Status located = LineError(path, static_cast<uint64_t>(rows.line()), std::nullopt, more.status());
      if (config.on_error == OnError::kAbort || fatal) return located;
      std::string_view text = MessageOf(located);
      writer.Reject(path, static_cast<uint64_t>(rows.line()), text.substr(text.find(": ") + 2));
    } else {
      LOOM_RETURN_IF_ERROR(writer.AddPlan(plan));
    }
    writer.NoteBuffered(0);
    LOOM_RETURN_IF_ERROR(writer.CommitIfFull());
  }
  return writer.Finish();
}

}  // namespace loom::engine::bulk
