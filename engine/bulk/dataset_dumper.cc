#include "engine/bulk/dataset_dumper.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/bulk/bulk_records.h"
#include "loom/status.h"

namespace loom::engine::bulk {
namespace {

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

absl::Status CheckStream(const std::ostream& out) {
  if (!out) return MakeError(ErrorCode::kInternal, "writing the output failed");
  return absl::OkStatus();
}

}  // namespace

absl::Status DumpDataset(storage::ReadView& view, std::ostream& out, DumpStats* stats) {
  DumpStats local;
  if (stats == nullptr) stats = &local;
  *stats = DumpStats{};
  const storage::Dictionaries& dicts = view.dictionaries();

  absl::Status inner;
  LOOM_RETURN_IF_ERROR(view.ScanIds(false, [&](std::string_view, storage::Rid rid) {
    storage::StoredRecord stored;
    absl::StatusOr<bool> found = view.GetRecord(rid, &stored);
    if (!found.ok()) {
      inner = found.status();
      return false;
    }
    if (!*found) return true;
    Record record = ToApiRecord(dicts, stored);
    Json line = Json::object();
    if (record.Find("kind") == nullptr) line["kind"] = "record";
    line.update(RecordToJson(record));
    out << Dump(line) << '\n';
    ++stats->records;
    if (!out) {
      inner = CheckStream(out);
      return false;
    }
    return true;
  }));
  LOOM_RETURN_IF_ERROR(inner);

  std::vector<storage::EdgeRef> edges;
  LOOM_RETURN_IF_ERROR(view.ScanEdges([&](const storage::EdgeRef& e) {
    edges.push_back(e);
    return true;
  }));
  std::sort(edges.begin(), edges.end(),
            [](const storage::EdgeRef& a, const storage::EdgeRef& b) { return a.eid < b.eid; });
  for (const storage::EdgeRef& e : edges) {
    std::string source, dest;
    storage::NameId label;
    LOOM_ASSIGN_OR_RETURN(bool has_source, view.GetRecordHeader(e.self, &label, &source));
    LOOM_ASSIGN_OR_RETURN(bool has_dest, view.GetRecordHeader(e.nbr, &label, &dest));
    if (!has_source || !has_dest) {
      return MakeError(ErrorCode::kInternal, absl::StrCat("edge ", e.eid, " points to a missing record"));
    }
    Json line = Json::object();
    line["kind"] = "relationship";
    line["sourceId"] = source;
    line["targetId"] = dest;
    line["type"] = dicts.rel_types.Name(e.type);
    LOOM_ASSIGN_OR_RETURN(std::string props, view.GetEdgeProperties(e));
    if (!props.empty()) {
      Json parsed = Json::parse(props, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded()) {
        return MakeError(ErrorCode::kInternal, absl::StrCat("edge ", e.eid, " has unreadable properties"));
      }
      if (!parsed.empty()) line["properties"] = std::move(parsed);
    }
    out << Dump(line) << '\n';
    ++stats->relationships;
    LOOM_RETURN_IF_ERROR(CheckStream(out));
  }
  out.flush();
  return CheckStream(out);
}

std::string RecordsToJsonText(const std::vector<Record>& records) {
  std::string out = "[";
  for (size_t i = 0; i < records.size(); ++i) {
    if (i > 0) out += ',';
    out += Dump(RecordToJson(records[i]));
  }
  out += ']';
  return out;
}

std::string RecordsToJsonLines(const std::vector<Record>& records) {
  std::string out;
  for (const Record& r : records) {
    out += Dump(RecordToJson(r));
    out += '\n';
  }
  return out;
}

absl::Status WriteRecordsJson(const std::vector<Record>& records, std::ostream& out) {
  out << '[';
  for (size_t i = 0; i < records.size(); ++i) {
    if (i > 0) out << ',';
    out << Dump(RecordToJson(records[i]));
  }
  out << ']';
  return CheckStream(out);
}

absl::Status WriteRecordsJsonLines(const std::vector<Record>& records, std::ostream& out) {
  for (const Record& r : records) out << Dump(RecordToJson(r)) << '\n';
  return CheckStream(out);
}

}  // namespace loom::engine::bulk
