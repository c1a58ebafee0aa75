#include "engine/bulk/graph_csv_loader.h"

#include <fstream>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "engine/bulk/load_transaction.h"
#include "engine/import/csv_import_plan.h"
#include "engine/import/csv_reader.h"
#include "engine/import/import_typing.h"
#include "loom/datetime.h"
#include "loom/status.h"

namespace loom::engine::bulk {
namespace {

enum class Role { kProperty, kKey, kStart, kEnd, kIgnore };

// One header cell: `name`, `name:type`, `name:ID`, `:START_ID(LABEL)` ...
struct Column {
  std::string name;              // the property; "" for a bare key / endpoint column
  Role role = Role::kProperty;
  std::optional<PropType> type;  // declared; nullopt = typed as CSV import types
  bool array = false;            // `type[]`: elements separated by ';'
  std::string label;             // `:START_ID(LABEL)`: the endpoint's label
};

absl::Status TableError(std::string_view path, int64_t line, size_t column, std::string_view message) {
  return MakeError(ErrorCode::kInvalidArgument,
                   column > 0 ? absl::StrCat(Sv(path), ":", line, ":", column, ": ", Sv(message))
                              : absl::StrCat(Sv(path), ":", line, ": ", Sv(message)));
}

absl::StatusOr<Column> ParseHeaderCell(std::string_view cell, std::string_view path, size_t index) {
  Column c;
  const absl::string_view stripped = absl::StripAsciiWhitespace(Sv(cell));
  cell = std::string_view(stripped.data(), stripped.size());
  const size_t colon = cell.rfind(':');
  c.name = std::string(cell.substr(0, colon));
  if (colon == std::string_view::npos) {
    if (c.name.empty()) c.name = absl::StrCat("column_", index + 1);
    return c;
  }
  std::string spec(cell.substr(colon + 1));
  std::string inside;  // the parenthesised part of `START_ID(LABEL)`
  if (const size_t open = spec.find('('); open != std::string::npos && absl::EndsWith(spec, ")")) {
    inside = spec.substr(open + 1, spec.size() - open - 2);
    spec.resize(open);
  }
  const std::string upper = absl::AsciiStrToUpper(spec);
  if (upper == "ID") {
    c.role = Role::kKey;
  } else if (upper == "START_ID" || upper == "END_ID") {
    c.role = upper == "START_ID" ? Role::kStart : Role::kEnd;
    c.label = inside;
  } else if (upper == "IGNORE") {
    c.role = Role::kIgnore;
  } else if (inside.empty()) {
    std::string type = absl::AsciiStrToLower(spec);
    if (absl::EndsWith(type, "[]")) {
      c.array = true;
      type.resize(type.size() - 2);
    }
    c.type = ParsePropType(type);
    if (!c.type || *c.type == PropType::kVector) c.type.reset();
  }
  if (c.role == Role::kProperty && !c.type) {
    return TableError(path, 1, index + 1,
                      absl::StrCat("unknown type \"", Sv(spec), "\" in header \"", Sv(cell),
                                   "\" (types: string, number, boolean, datetime, their arrays as type[], ID, "
                                   "START_ID, END_ID, IGNORE)"));
  }
  if (c.role == Role::kProperty && c.name.empty()) {
    return TableError(path, 1, index + 1, absl::StrCat("header \"", Sv(cell), "\" has a type but no name"));
  }
  return c;
}

// One declared-type element, or an error message.
absl::StatusOr<Scalar> DeclaredElement(PropType type, std::string_view text) {
  switch (type) {
    case PropType::kNumber:
      if (!IsEcmaNumeric(text)) return absl::InvalidArgumentError(absl::StrCat("\"", Sv(text), "\" is not a number"));
      return Scalar(EcmaToNumber(text));
    case PropType::kBoolean: {
      const std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(Sv(text)));
      if (lower != "true" && lower != "false") {
        return absl::InvalidArgumentError(absl::StrCat("\"", Sv(text), "\" is not a boolean (true or false)"));
      }
      return Scalar(lower == "true");
    }
    case PropType::kDatetime:
      if (!ParseDatetimeFields(text)) {
        return absl::InvalidArgumentError(
            absl::StrCat("\"", Sv(text), "\" is not a datetime (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][.fff][zone])"));
      }
      return Scalar(std::string(text));
    default:
      return Scalar(std::string(text));
  }
}

// The value of one cell; nullopt for an empty cell (an absent property).
absl::StatusOr<std::optional<Value>> CellValue(const Column& c, const std::string& cell,
                                               const ImportOptions& typing) {
  if (cell.empty()) return std::optional<Value>();
  if (!c.type) {
    const Json typed = DynamicTypeCell(cell);
    if (typed.is_null()) return std::optional<Value>();
    return TypeImportValue(typed, typing, "");
  }
  if (!c.array) {
    LOOM_ASSIGN_OR_RETURN(Scalar s, DeclaredElement(*c.type, cell));
    return std::optional<Value>(Value::Of(*c.type, std::move(s)));
  }
  std::vector<Scalar> items;
  for (absl::string_view part : absl::StrSplit(Sv(cell), ';')) {
    LOOM_ASSIGN_OR_RETURN(Scalar s, DeclaredElement(*c.type, std::string_view(part.data(), part.size())));
    items.push_back(std::move(s));
  }
  return std::optional<Value>(Value::Array(*c.type, std::move(items)));
}

// A CSV table read row by row after its typed header.
class Table {
 public:
  explicit Table(const std::string& path) : path_(path), in_(path, std::ios::binary), reader_(&in_, Dialect(path)) {}

  absl::Status Open() {
    if (!in_) return MakeError(ErrorCode::kInvalidArgument, absl::StrCat("cannot open ", path_));
    std::vector<std::string> header;
    LOOM_ASSIGN_OR_RETURN(bool any, reader_.Next(&header));
    if (!any || (header.size() == 1 && header[0].empty())) return TableError(path_, 1, 0, "no header row");
    for (size_t i = 0; i < header.size(); ++i) {
      LOOM_ASSIGN_OR_RETURN(Column c, ParseHeaderCell(header[i], path_, i));
      columns_.push_back(std::move(c));
    }
    return absl::OkStatus();
  }

  // The next non-empty row with as many fields as the header; false at the end.
  absl::StatusOr<bool> Next(std::vector<std::string>* row) {
    while (true) {
      absl::StatusOr<bool> more = reader_.Next(row);
      if (!more.ok()) return MakeError(ErrorCode::kInvalidArgument, absl::StrCat(path_, ": ", Sv(MessageOf(more.status()))));
      if (!*more) return false;
      if (row->size() == 1 && (*row)[0].empty()) continue;  // an empty line
      if (row->size() != columns_.size()) {
        return Error(0, absl::StrCat(row->size() < columns_.size() ? "too few" : "too many",
                                     " fields: expected ", columns_.size(), ", found ", row->size()));
      }
      return true;
    }
  }

  // The first column with `role`, else the one named `name`; -1 if none.
  int Find(Role role, std::string_view name) const {
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (columns_[i].role == role) return static_cast<int>(i);
    }
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (columns_[i].role == Role::kProperty && columns_[i].name == name) return static_cast<int>(i);
    }
    return -1;
  }

  absl::Status Error(size_t column, std::string_view message) const {
    return TableError(path_, reader_.line(), column, message);
  }
  uint64_t BytesRead() { return in_ ? static_cast<uint64_t>(in_.tellg()) : 0; }
  const std::vector<Column>& columns() const { return columns_; }
  const std::string& path() const { return path_; }

 private:
  static CsvDialect Dialect(const std::string& path) {
    CsvDialect d;
    if (absl::EndsWith(absl::AsciiStrToLower(path), ".tsv")) d.delimiter = "\t";
    return d;
  }

  std::string path_;
  std::ifstream in_;
  CsvReader reader_;
  std::vector<Column> columns_;
};

// Node keys: one map over all labels, and for keys that several labels use,
// a map by (label, key).
class NodeKeys {
 public:
  // False when `label` already has `key`.
  bool Add(const std::string& key, const Loaded& node) {
    auto [it, fresh] = keys_.try_emplace(key, Entry{node, false});
    if (fresh) return true;
    Entry& e = it->second;
    if (!e.shared) {
      if (e.node.label == node.label) return false;
      shared_.emplace(std::make_pair(e.node.label, key), e.node);
      e.shared = true;
    }
    return shared_.emplace(std::make_pair(node.label, key), node).second;
  }

  // The node with `key` (of `label` unless it is kNoName), or a message.
  absl::StatusOr<Loaded> Find(const std::string& key, storage::NameId label, std::string_view label_name) const {
    auto it = keys_.find(key);
    if (it != keys_.end() && !it->second.shared) {
      if (label == storage::kNoName || it->second.node.label == label) return it->second.node;
    } else if (it != keys_.end()) {
      if (label == storage::kNoName) {
        return absl::InvalidArgumentError(absl::StrCat("key \"", key,
                                                       "\" is a key of nodes of several labels; name the label "
                                                       "in the header, as :START_ID(LABEL) / :END_ID(LABEL)"));
      }
      if (auto s = shared_.find(std::make_pair(label, key)); s != shared_.end()) return s->second;
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "no ", label == storage::kNoName ? "" : absl::StrCat(Sv(label_name), " "), "node has key \"", key, "\""));
  }

 private:
  struct Entry {
    Loaded node;
    bool shared = false;
  };
  absl::flat_hash_map<std::string, Entry> keys_;
  absl::flat_hash_map<std::pair<storage::NameId, std::string>, Loaded> shared_;
};

class GraphLoader {
 public:
  GraphLoader(const BulkTarget& target, const std::function<void(uint64_t, uint64_t)>& progress)
      : target_(target), progress_(progress), state_(NewLoadState(target)) {
    const Json options = {{"suggestTypes", true}};
    typing_ = *ParseImportOptions(&options, "/options");
  }

  absl::Status LoadNodes(const NodeTable& t) {
    if (t.label.empty()) return InvalidArgument("", absl::StrCat("the node table ", t.path, " needs a label"));
    Table table(t.path);
    LOOM_RETURN_IF_ERROR(table.Open());
    const int key = t.key.empty() ? table.Find(Role::kKey, "id") : FindNamed(table, t.key);
    if (key < 0) {
      return TableError(t.path, 1, 0,
                        t.key.empty() ? "no key column: mark one as name:ID or name it id"
                                      : absl::StrCat("no key column \"", t.key, "\""));
    }
    std::vector<std::string> row;
    while (true) {
      LOOM_ASSIGN_OR_RETURN(bool more, table.Next(&row));
      if (!more) break;
      const std::string& key_text = row[key];
      if (key_text.empty()) return table.Error(key + 1, "empty key");
      RecordEntry entry;
      entry.label = t.label;
      LOOM_RETURN_IF_ERROR(Properties(table, row, &entry.properties));
      LOOM_RETURN_IF_ERROR(PutLoadedRecord(target_, *state_, entry, EntryOrigin{"", 0}));
      if (!keys_.Add(key_text, Loaded{state_->record.rid, state_->record.label})) {
        return table.Error(key + 1, absl::StrCat("key \"", key_text, "\" appears twice in ", t.label));
      }
      Tick(table);
    }
    Done(table);
    return absl::OkStatus();
  }

  absl::Status LoadEdges(const EdgeTable& t) {
    if (t.type.empty()) return InvalidArgument("", absl::StrCat("the edge table ", t.path, " needs a type"));
    LOOM_ASSIGN_OR_RETURN(storage::NameId type,
                          CachedIntern(target_.store->dictionaries().rel_types, state_->rel_type_ids, t.type));
    Table table(t.path);
    LOOM_RETURN_IF_ERROR(table.Open());
    const int from = table.Find(Role::kStart, t.from.empty() ? "from" : t.from);
    const int to = table.Find(Role::kEnd, t.to.empty() ? "to" : t.to);
    if (from < 0 || to < 0) {
      return TableError(t.path, 1, 0,
                        "no start and end columns: mark them :START_ID and :END_ID or name them from and to");
    }
    LOOM_ASSIGN_OR_RETURN(storage::NameId from_label, EndpointLabel(table, from));
    LOOM_ASSIGN_OR_RETURN(storage::NameId to_label, EndpointLabel(table, to));
    std::vector<std::string> row;
    std::vector<Property> properties;
    while (true) {
      LOOM_ASSIGN_OR_RETURN(bool more, table.Next(&row));
      if (!more) break;
      absl::StatusOr<Loaded> start = keys_.Find(row[from], from_label, table.columns()[from].label);
      if (!start.ok()) return table.Error(from + 1, MessageOf(start.status()));
      absl::StatusOr<Loaded> end = keys_.Find(row[to], to_label, table.columns()[to].label);
      if (!end.ok()) return table.Error(to + 1, MessageOf(end.status()));
      LOOM_RETURN_IF_ERROR(Properties(table, row, &properties, from, to));
      LOOM_RETURN_IF_ERROR(state_->txn
                               ->AddEdge(start->rid, start->label, end->rid, end->label, type,
                                         RelationshipPropertiesText(properties))
                               .status());
      ++state_->relationships;
      Tick(table);
    }
    Done(table);
    return absl::OkStatus();
  }

  absl::StatusOr<Json> Finish() {
    LOOM_RETURN_IF_ERROR(FinishLoad(target_, *state_));
    return Result(*state_);
  }

 private:
  static int FindNamed(const Table& table, std::string_view name) {
    for (size_t i = 0; i < table.columns().size(); ++i) {
      if (table.columns()[i].name == name) return static_cast<int>(i);
    }
    return -1;
  }

  // The label named in an endpoint column's header (kNoName: any label).
  absl::StatusOr<storage::NameId> EndpointLabel(const Table& table, int column) {
    const std::string& label = table.columns()[column].label;
    if (label.empty()) return storage::kNoName;
    if (auto it = state_->label_ids.find(label); it != state_->label_ids.end()) return it->second;
    return TableError(table.path(), 1, column + 1, absl::StrCat("no node table has the label ", label));
  }

  // The typed cells of `row` as properties, leaving out IGNORE columns,
  // unnamed key/endpoint columns and the columns `skip_a` and `skip_b`.
  absl::Status Properties(const Table& table, const std::vector<std::string>& row, std::vector<Property>* out,
                          int skip_a = -1, int skip_b = -1) {
    out->clear();
    for (size_t i = 0; i < row.size(); ++i) {
      const Column& c = table.columns()[i];
      if (c.role == Role::kIgnore || c.name.empty()) continue;
      if (static_cast<int>(i) == skip_a || static_cast<int>(i) == skip_b) continue;
      absl::StatusOr<std::optional<Value>> value = CellValue(c, row[i], typing_);
      if (!value.ok()) return table.Error(i + 1, absl::StrCat("column ", c.name, ": ", Sv(MessageOf(value.status()))));
      if (*value) out->push_back(Property{c.name, std::move(**value)});
    }
    return absl::OkStatus();
  }

  // Relationship properties as stored: JSON object text, "" for none.
  static std::string RelationshipPropertiesText(const std::vector<Property>& properties) {
    if (properties.empty()) return std::string();
    Json object = Json::object();
    for (const Property& p : properties) object[p.name] = ValueToJson(p.value);
    return object.dump();
  }

  void Tick(Table& table) {
    if (!progress_ || (++rows_ & 8191) != 0) return;
    progress_(bytes_done_ + table.BytesRead(), state_->records + state_->relationships);
  }
  void Done(Table& table) {
    bytes_done_ += table.BytesRead();
    if (progress_) progress_(bytes_done_, state_->records + state_->relationships);
  }

  const BulkTarget& target_;
  const std::function<void(uint64_t, uint64_t)>& progress_;
  std::unique_ptr<LoadState> state_;
  ImportOptions typing_;
  NodeKeys keys_;
  uint64_t rows_ = 0;
  uint64_t bytes_done_ = 0;
};

}  // namespace

absl::StatusOr<Json> LoadGraphCsv(const BulkTarget& target, const std::vector<NodeTable>& nodes,
                                  const std::vector<EdgeTable>& edges,
                                  const std::function<void(uint64_t, uint64_t)>& progress) {
  if (nodes.empty()) return InvalidArgument("/nodes", "a graph load needs at least one node table");
  GraphLoader loader(target, progress);
  for (const NodeTable& t : nodes) LOOM_RETURN_IF_ERROR(loader.LoadNodes(t));
  for (const EdgeTable& t : edges) LOOM_RETURN_IF_ERROR(loader.LoadEdges(t));
  return loader.Finish();
}

}  // namespace loom::engine::bulk
