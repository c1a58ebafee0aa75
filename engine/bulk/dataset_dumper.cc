#include "engine/bulk/dataset_dumper.h"

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
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

namespace {

// The `__id` of every dumped record by rid, for the relationship lines:
// one string of ids and (rid, offset) pairs searched by rid.
class IdsByRid {
 public:
  void Add(storage::Rid rid, std::string_view id) {
    if (!entries_.empty() && rid < entries_.back().rid) sorted_ = false;
    entries_.push_back({rid, ids_.size(), static_cast<uint32_t>(id.size())});
    ids_.append(id);
  }
  void Seal() {
    if (!sorted_) std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) { return a.rid < b.rid; });
    sorted_ = true;
  }
  std::optional<std::string_view> Find(storage::Rid rid) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), rid,
                               [](const Entry& e, storage::Rid r) { return e.rid < r; });
    if (it == entries_.end() || it->rid != rid) return std::nullopt;
    return std::string_view(ids_).substr(it->offset, it->size);
  }

 private:
  struct Entry {
    storage::Rid rid;
    uint64_t offset;
    uint32_t size;
  };
  std::vector<Entry> entries_;
  std::string ids_;
  bool sorted_ = true;
};

void AppendRecordLine(const storage::Dictionaries& dicts, const storage::StoredRecord& stored, std::string* out) {
  Record record = ToApiRecord(dicts, stored);
  Json line = Json::object();
  if (record.Find("kind") == nullptr) line["kind"] = "record";
  line.update(RecordToJson(record));
  *out += Dump(line);
  *out += '\n';
}

// Record lines are formatted in batches, half of each on a second thread:
// formatting JSON costs several times more than reading the records.
class RecordLineWriter {
 public:
  using Progress = std::function<void(uint64_t bytes)>;
  RecordLineWriter(const storage::Dictionaries& dicts, std::ostream& out, Progress progress)
      : dicts_(dicts), out_(out), progress_(std::move(progress)) {}

  absl::Status Add(const storage::StoredRecord& stored) {
    batch_.push_back(stored);
    return batch_.size() == kBatchRecords ? Flush() : absl::OkStatus();
  }

  absl::Status Flush() {
    const size_t half = batch_.size() / 2;
    std::string first, second;
    auto format = [this](size_t begin, size_t end, std::string* text) {
      for (size_t i = begin; i < end; ++i) AppendRecordLine(dicts_, batch_[i], text);
    };
    std::thread helper;
    if (half > 0) helper = std::thread(format, half, batch_.size(), &second);
    format(0, half > 0 ? half : batch_.size(), &first);
    if (helper.joinable()) helper.join();
    batch_.clear();
    out_ << first << second;
    progress_(first.size() + second.size());
    return CheckStream(out_);
  }

 private:
  static constexpr size_t kBatchRecords = 8192;
  const storage::Dictionaries& dicts_;
  std::ostream& out_;
  Progress progress_;  // after each batch, with its bytes
  std::vector<storage::StoredRecord> batch_;
};

// `s` as a JSON string, byte for byte as Dump(Json(s)) writes it: ASCII is
// escaped here; text with other bytes goes through the JSON library, which
// also replaces invalid UTF-8.
void AppendJsonString(std::string_view s, std::string* out) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      *out += Dump(Json(std::string(s)));
      return;
    }
  }
  out->push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\b': *out += "\\b"; break;
      case '\f': *out += "\\f"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          *out += absl::StrFormat("\\u%04x", static_cast<unsigned char>(c));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

}  // namespace

absl::Status DumpDataset(storage::ReadView& view, std::ostream& out, DumpStats* stats,
                         const std::function<void(const DumpStats&)>& progress) {
  DumpStats local;
  if (stats == nullptr) stats = &local;
  *stats = DumpStats{};
  const storage::Dictionaries& dicts = view.dictionaries();

  // Records in `__id` order: one pass over the records when rids follow it
  // (the usual case), else through the id map with a read per record.
  IdsByRid ids;
  RecordLineWriter lines(dicts, out, [&](uint64_t bytes) {
    stats->bytes += bytes;
    if (progress) progress(*stats);
  });
  absl::Status inner;
  auto write_record = [&](const storage::StoredRecord& stored) {
    ids.Add(stored.rid, stored.id);
    ++stats->records;
    inner = lines.Add(stored);
    return inner.ok();
  };
  if (view.RidOrderIsIdOrder()) {
    LOOM_RETURN_IF_ERROR(view.ScanRecordContents(write_record));
  } else {
    LOOM_RETURN_IF_ERROR(view.ScanIds(false, [&](std::string_view, storage::Rid rid) {
      storage::StoredRecord stored;
      absl::StatusOr<bool> found = view.GetRecord(rid, &stored);
      if (!found.ok()) inner = found.status();
      return found.ok() && (!*found || write_record(stored));
    }));
  }
  LOOM_RETURN_IF_ERROR(inner);
  LOOM_RETURN_IF_ERROR(lines.Flush());
  ids.Seal();

  // Relationships in creation (edge id) order; their properties wait in one string.
  struct DumpEdge {
    storage::EdgeRef ref;
    uint64_t properties_offset;
    uint32_t properties_size;
  };
  std::vector<DumpEdge> edges;
  std::string properties;
  LOOM_RETURN_IF_ERROR(view.ScanEdgesWithProperties([&](const storage::EdgeRef& e, std::string_view props) {
    edges.push_back({e, properties.size(), static_cast<uint32_t>(props.size())});
    properties.append(props);
    return true;
  }));
  std::sort(edges.begin(), edges.end(), [](const DumpEdge& a, const DumpEdge& b) { return a.ref.eid < b.ref.eid; });
  std::string text;
  for (const DumpEdge& edge : edges) {
    const storage::EdgeRef& e = edge.ref;
    std::optional<std::string_view> source = ids.Find(e.self);
    std::optional<std::string_view> dest = ids.Find(e.nbr);
    if (!source || !dest) {
      return MakeError(ErrorCode::kInternal, absl::StrCat("edge ", e.eid, " points to a missing record"));
    }
    // Written by hand: the same bytes as the JSON library's dump of
    // {"kind", "sourceId", "targetId", "type", "properties"?} at a fraction of the cost.
    text.clear();
    text += "{\"kind\":\"relationship\",\"sourceId\":";
    AppendJsonString(*source, &text);
    text += ",\"targetId\":";
    AppendJsonString(*dest, &text);
    text += ",\"type\":";
    AppendJsonString(dicts.rel_types.NameRef(e.type), &text);
    std::string_view props = std::string_view(properties).substr(edge.properties_offset, edge.properties_size);
    if (!props.empty()) {
      Json parsed = Json::parse(props, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded()) {
        return MakeError(ErrorCode::kInternal, absl::StrCat("edge ", e.eid, " has unreadable properties"));
      }
      if (!parsed.empty()) {
        text += ",\"properties\":";
        text += Dump(parsed);
      }
    }
    text += "}\n";
    out << text;
    stats->bytes += text.size();
    if (++stats->relationships % 8192 == 0 && progress) progress(*stats);
    LOOM_RETURN_IF_ERROR(CheckStream(out));
  }
  out.flush();
  if (progress) progress(*stats);
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
