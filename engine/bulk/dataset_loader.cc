#include "engine/bulk/dataset_loader.h"

#include <simdjson.h>

#include <deque>
#include <fstream>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "engine/bulk/bundle_entry.h"
#include "engine/bulk/load_transaction.h"
#include "engine/bulk/json_element.h"
#include "engine/bulk/whole_file.h"
#include "engine/import/csv_import_plan.h"
#include "engine/import/import_typing.h"
#include "engine/import/json_import_plan.h"
#include "loom/status.h"

namespace loom::engine::bulk {
namespace {

absl::Status AddLoadedRelationship(const BulkTarget& target, LoadState& state, RelationshipEntry& entry) {
  LOOM_ASSIGN_OR_RETURN(storage::NameId type,
                        CachedIntern(target.store->dictionaries().rel_types, state.rel_type_ids, entry.type));
  auto start = state.loaded.find(entry.source);
  auto end = state.loaded.find(entry.target);
  if (state.relationships_pending.empty() && start != state.loaded.end() && end != state.loaded.end()) {
    // Both endpoints are loaded and no earlier entry waits: created now, the
    // same edge (and edge order) as at the end.
    const Loaded& from = start->second;
    const Loaded& to = end->second;
    LOOM_RETURN_IF_ERROR(state.txn->AddEdge(from.rid, from.label, to.rid, to.label, type, entry.properties).status());
    ++state.relationships;
    return absl::OkStatus();
  }
  // Created once every record is written (endpoints may come later in the bundle).
  state.relationships_pending.push_back(PendingRelationship{std::move(entry.source), std::move(entry.target), type,
                                                            std::move(entry.properties)});
  return absl::OkStatus();
}

absl::Status ApplyEntry(const BulkTarget& target, LoadState& state, BundleEntry& entry, const EntryOrigin& origin) {
  if (auto* record = std::get_if<RecordEntry>(&entry)) return PutLoadedRecord(target, state, *record, origin);
  return AddLoadedRelationship(target, state, std::get<RelationshipEntry>(entry));
}


absl::StatusOr<Json> LoadBundleObject(const BulkTarget& target, LoadState& state, simdjson::dom::object bundle) {
  std::optional<simdjson::dom::array> parts[2];  // absent parts stay empty
  const std::string_view names[2] = {"records", "relationships"};
  for (int i = 0; i < 2; ++i) {
    simdjson::dom::element part;
    // Of a repeated key the last value counts, as for entries.
    bool found = false;
    for (simdjson::dom::key_value_pair field : bundle) {
      if (field.key == names[i]) {
        part = field.value;
        found = true;
      }
    }
    if (!found || part.is_null()) continue;
    if (part.type() != simdjson::dom::element_type::ARRAY) {
      return InvalidArgument(absl::StrCat("/", Sv(names[i])), absl::StrCat(Sv(names[i]), " must be an array"));
    }
    parts[i] = simdjson::dom::array(part);
  }
  BundleEntryReader reader;
  BundleEntry entry;
  size_t i = 0;
  if (parts[0]) {
    for (simdjson::dom::element element : *parts[0]) {
      EntryOrigin origin{JsonPointerChild("/records", i++)};
      LOOM_RETURN_IF_ERROR(reader.ReadRecord(element, origin, &entry.emplace<RecordEntry>()));
      LOOM_RETURN_IF_ERROR(ApplyEntry(target, state, entry, origin));
    }
  }
  i = 0;
  if (parts[1]) {
    for (simdjson::dom::element element : *parts[1]) {
      EntryOrigin origin{JsonPointerChild("/relationships", i++)};
      LOOM_RETURN_IF_ERROR(reader.ReadRelationship(element, origin, &entry.emplace<RelationshipEntry>()));
      LOOM_RETURN_IF_ERROR(ApplyEntry(target, state, entry, origin));
    }
  }
  LOOM_RETURN_IF_ERROR(FinishLoad(target, state));
  return Result(state);
}

// JSON lines are read (parsed, typed) on a second thread while this one
// writes: the two halves of the work take about as long as each other.
// Batches travel through a short queue; an error travels at the end of the
// batch it stopped, so the first error in line order is the one reported.
struct LineBatch {
  std::vector<std::pair<EntryOrigin, BundleEntry>> entries;
  absl::Status error;  // after `entries`
  bool last = false;
  size_t end_offset = 0;  // text read up to here
};

class LineBatchQueue {
 public:
  // Waits while the queue is full; false once the consumer has given up.
  bool Push(LineBatch batch) {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &LineBatchQueue::HasRoomOrClosed));
    if (closed_) return false;
    batches_.push_back(std::move(batch));
    return true;
  }
  LineBatch Pop() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &LineBatchQueue::NotEmpty));
    LineBatch batch = std::move(batches_.front());
    batches_.pop_front();
    return batch;
  }
  void Close() {
    absl::MutexLock lock(&mu_);
    closed_ = true;
  }

 private:
  static constexpr size_t kMaxBatches = 4;
  bool HasRoomOrClosed() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return closed_ || batches_.size() < kMaxBatches; }
  bool NotEmpty() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !batches_.empty(); }

  absl::Mutex mu_;
  std::deque<LineBatch> batches_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

// Reads every line of `text` into batches until the end, an error or Close.
void ReadLines(std::string_view text, LineBatchQueue& queue) {
  constexpr size_t kBatchEntries = 1024;
  simdjson::dom::parser parser;
  BundleEntryReader reader;
  LineBatch batch;
  auto fail = [&](absl::Status error) {
    batch.error = std::move(error);
    batch.last = true;
    queue.Push(std::move(batch));
  };
  if (auto err = parser.allocate(4096, kMaxJsonTextDepth); err) {
    return fail(MakeError(ErrorCode::kInternal, SimdjsonErrorText(err)));
  }
  int64_t line_no = 0;
  size_t pos = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    EntryOrigin origin{"", line_no};
    simdjson::dom::element element;
    if (auto err = parser.parse(line.data(), line.size(), /*realloc_if_needed=*/true).get(element); err) {
      return fail(origin.Error("", absl::StrCat("invalid JSON (", SimdjsonErrorText(err), ")")));
    }
    BundleEntry entry;
    if (absl::Status read = reader.ReadLine(element, origin, &entry); !read.ok()) return fail(std::move(read));
    batch.entries.emplace_back(std::move(origin), std::move(entry));
    if (batch.entries.size() == kBatchEntries) {
      batch.end_offset = pos;
      if (!queue.Push(std::move(batch))) return;
      batch = LineBatch();
    }
  }
  batch.last = true;
  batch.end_offset = text.size();
  queue.Push(std::move(batch));
}

absl::StatusOr<Json> LoadBundleLines(const BulkTarget& target, LoadState& state, std::string_view text,
                                     const LoadProgress& progress) {
  LineBatchQueue queue;
  std::thread reader([&] { ReadLines(text, queue); });
  absl::Status status;
  while (status.ok()) {
    LineBatch batch = queue.Pop();
    for (auto& [origin, entry] : batch.entries) {
      status = ApplyEntry(target, state, entry, origin);
      if (!status.ok()) break;
    }
    if (status.ok()) status = batch.error;
    if (status.ok() && progress) progress(batch.end_offset, state.records);
    if (batch.last) break;
  }
  queue.Close();  // a reader still going stops at its next batch
  reader.join();
  LOOM_RETURN_IF_ERROR(status);
  LOOM_RETURN_IF_ERROR(FinishLoad(target, state));
  return Result(state);
}

// Whether `body` is JSON lines by its first line: a whole JSON value with
// more text after it. A bundle object spans the whole text, so checking the
// first line spares parsing a large JSON-lines file as one document first.
bool StartsWithWholeLine(std::string_view body) {
  size_t start = body.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return false;
  size_t nl = body.find('\n', start);
  if (nl == std::string_view::npos || body.find_first_not_of(" \t\r\n", nl) == std::string_view::npos) return false;
  simdjson::dom::parser parser;
  simdjson::dom::element first;
  return parser.parse(body.data() + start, nl - start, /*realloc_if_needed=*/true).get(first) == simdjson::SUCCESS;
}

}  // namespace

absl::StatusOr<Json> LoadDatasetText(const BulkTarget& target, std::string_view text, BundleFormat format,
                                     const LoadProgress& progress) {
  std::unique_ptr<LoadState> owned = NewLoadState(target);
  LoadState& state = *owned;
  std::string_view body = text;
  if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
  if (format == BundleFormat::kJson || (format == BundleFormat::kAuto && !StartsWithWholeLine(body))) {
    simdjson::dom::parser parser;
    simdjson::padded_string padded(body);
    simdjson::dom::element element;
    simdjson::error_code err = parser.allocate(padded.size() + 64, kMaxJsonTextDepth);
    if (!err) err = parser.parse(padded).get(element);
    bool bundle = !err && element.is_object() &&
                  (element["records"].error() == simdjson::SUCCESS ||
                   element["relationships"].error() == simdjson::SUCCESS);
    if (bundle || format == BundleFormat::kJson) {  // else one line of JSON lines
      if (err) return InvalidArgument("", absl::StrCat("invalid JSON (", SimdjsonErrorText(err), ")"));
      if (!element.is_object()) return InvalidArgument("", "a dataset bundle must be a JSON object");
      return LoadBundleObject(target, state, simdjson::dom::object(element));
    }
  }
  return LoadBundleLines(target, state, text, progress);
}

absl::StatusOr<Json> LoadDatasetFile(const BulkTarget& target, const std::string& path, BundleFormat format,
                                     const LoadProgress& progress) {
  LOOM_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  return LoadDatasetText(target, text, format, progress);
}

absl::StatusOr<Json> LoadCsvExport(const BulkTarget& target, std::istream& in,
                                   const std::optional<std::string>& label, std::string_view source_name) {
  const Json options = {{"suggestTypes", true}};
  LOOM_ASSIGN_OR_RETURN(ImportOptions import_options, ParseImportOptions(&options, "/options"));
  LOOM_ASSIGN_OR_RETURN(CsvParseConfig config, ParseCsvParseConfig(nullptr, &options, "/parseConfig"));
  std::unique_ptr<LoadState> owned = NewLoadState(target);
  LoadState& state = *owned;
  CsvRecordStream rows(&in, config, import_options, "/data");
  std::vector<Property> properties;
  while (true) {
    absl::StatusOr<bool> more = rows.Next(&properties);
    if (!more.ok()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       absl::StrCat(Sv(source_name), ":", rows.line(), ": ", Sv(MessageOf(more.status()))));
    }
    if (!*more) break;
    RecordEntry entry;
    entry.id_key = "__id";
    entry.label = label;
    for (Property& p : properties) {
      if ((p.name == "__id" || p.name == "__label") && !p.value.is_array && !p.value.items.empty()) {
        std::string text = ScalarToString(p.value.items[0]);
        if (p.name == "__id") {
          entry.id = std::move(text);
        } else if (!text.empty()) {
          entry.label = std::move(text);
        }
        continue;
      }
      entry.properties.push_back(std::move(p));
    }
    LOOM_RETURN_IF_ERROR(PutLoadedRecord(target, state, entry, EntryOrigin{"", rows.line()}));
  }
  LOOM_RETURN_IF_ERROR(FinishLoad(target, state));
  return Result(state);
}

absl::StatusOr<Json> LoadCsvExportFile(const BulkTarget& target, const std::string& path,
                                       const std::optional<std::string>& label) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kInvalidArgument, absl::StrCat("cannot open ", path));
  return LoadCsvExport(target, in, label, path);
}

}  // namespace loom::engine::bulk
