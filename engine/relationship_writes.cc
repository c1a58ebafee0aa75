// engine/relationship_writes.cc: records.attach / records.detach (api.md
// §1.10, §1.11). relationships.createMany / deleteMany need `where` and go
// through the query seam.
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "engine/database_impl.h"
#include "engine/import/write_typing.h"
#include "engine/query_seam.h"
#include "engine/record_mapper.h"
#include "loom/status.h"

namespace loom::engine {
namespace {

struct Endpoints {
  std::string source;
  std::vector<std::string> targets;
  const Json* options = nullptr;
};

absl::StatusOr<Endpoints> ParseEndpoints(const Json& args) {
  if (!args.is_object()) return InvalidArgument("", "expected an object of arguments");
  Endpoints out;
  out.options = Member(args, "options");
  if (out.options != nullptr) {
    if (!out.options->is_object()) return InvalidArgument("/options", "options must be an object");
    LOOM_RETURN_IF_ERROR(CheckForbiddenKeys(*out.options, "/options"));
  }
  const Json* source = Member(args, "source");
  if (source == nullptr) return InvalidArgument("/source", "a source record is required");
  LOOM_ASSIGN_OR_RETURN(out.source, ParseTarget(*source, "/source"));
  if (const Json* target = Member(args, "target")) {
    LOOM_ASSIGN_OR_RETURN(out.targets, ParseTargets(*target, "/target"));
  }
  if (out.targets.empty()) return MakeError(ErrorCode::kEmptyTarget, "no target records given", "/target");
  return out;
}

// Edges between `self` and `other` seen from `self`, each edge once.
absl::StatusOr<std::vector<storage::EdgeRef>> EdgesBetween(storage::ReadView& view, storage::Rid self,
                                                           storage::Rid other,
                                                           const storage::EdgeFilter& filter) {
  std::vector<storage::EdgeRef> out;
  absl::flat_hash_set<storage::Eid> seen;
  LOOM_RETURN_IF_ERROR(view.Expand(self, filter, [&](const storage::EdgeRef& e) {
    if (e.nbr == other && seen.insert(e.eid).second) out.push_back(e);
    return true;
  }));
  return out;
}

}  // namespace

absl::StatusOr<Json> DatabaseImpl::Attach(const Json& args, TxId tx) {
  return RunWrite(tx, [&](WriteScope& scope) -> absl::StatusOr<Json> {
    LOOM_ASSIGN_OR_RETURN(Endpoints ends, ParseEndpoints(args));
    const Json empty = Json::object();
    const Json& options = ends.options != nullptr ? *ends.options : empty;
    std::string type(kDefaultRelType);
    if (const Json* t = Member(options, "type")) {
      LOOM_RETURN_IF_ERROR(ValidateRelType(*t, "/options/type"));
      type = t->get<std::string>();
    }
    LOOM_ASSIGN_OR_RETURN(bool is_in, ParseDirectionIsIn(Member(options, "direction"), "/options/direction"));
    LOOM_ASSIGN_OR_RETURN(std::string properties,
                          EdgePropertiesText(Member(options, "properties"), "/options/properties"));

    storage::WriteTxn& txn = *scope.txn;
    LOOM_ASSIGN_OR_RETURN(std::optional<storage::StoredRecord> source, LoadById(txn, ends.source));
    if (source) {
      LOOM_ASSIGN_OR_RETURN(storage::NameId type_id, store().dictionaries().rel_types.Intern(type));
      storage::EdgeFilter same_type;
      same_type.types = {type_id};
      for (const std::string& id : ends.targets) {
        LOOM_ASSIGN_OR_RETURN(std::optional<storage::StoredRecord> target, LoadById(txn, id));
        if (!target) continue;  // missing ids are skipped (api.md §1.10)
        LOOM_ASSIGN_OR_RETURN(std::vector<storage::EdgeRef> old,
                              EdgesBetween(txn, source->rid, target->rid, same_type));
        for (const storage::EdgeRef& e : old) LOOM_RETURN_IF_ERROR(txn.DeleteEdge(e));
        const storage::Rid start = is_in ? target->rid : source->rid;
        const storage::Rid end = is_in ? source->rid : target->rid;
        LOOM_RETURN_IF_ERROR(txn.AddEdge(start, end, type_id, properties).status());
      }
    }
    return Json{{"message", "Relationships have been successfully created."}};
  });
}

absl::StatusOr<Json> DatabaseImpl::Detach(const Json& args, TxId tx) {
  return RunWrite(tx, [&](WriteScope& scope) -> absl::StatusOr<Json> {
    LOOM_ASSIGN_OR_RETURN(Endpoints ends, ParseEndpoints(args));
    const Json empty = Json::object();
    const Json& options = ends.options != nullptr ? *ends.options : empty;
    storage::EdgeFilter filter;
    bool any_type_known = true;
    if (const Json* types = Member(options, "typeOrTypes")) {
      std::vector<std::pair<const Json*, std::string>> names;
      if (types->is_array()) {
        for (size_t i = 0; i < types->size(); ++i) {
          names.push_back({&(*types)[i], JsonPointerChild("/options/typeOrTypes", i)});
        }
      } else {
        names.push_back({types, "/options/typeOrTypes"});
      }
      for (const auto& [name, path] : names) {
        if (!name->is_string()) return InvalidArgument(path, "relationship type must be a string");
        if (auto id = store().dictionaries().rel_types.Find(name->get<std::string>())) {
          filter.types.push_back(*id);
        }
      }
      // Named types that were never used match nothing.
      any_type_known = !filter.types.empty() || names.empty();
    }
    if (const Json* direction = Member(options, "direction")) {
      LOOM_ASSIGN_OR_RETURN(bool is_in, ParseDirectionIsIn(direction, "/options/direction"));
      filter.dir = is_in ? storage::Direction::kIn : storage::Direction::kOut;
    }
    storage::WriteTxn& txn = *scope.txn;
    LOOM_ASSIGN_OR_RETURN(std::optional<storage::StoredRecord> source, LoadById(txn, ends.source));
    if (source && any_type_known) {
      for (const std::string& id : ends.targets) {
        LOOM_ASSIGN_OR_RETURN(std::optional<storage::StoredRecord> target, LoadById(txn, id));
        if (!target) continue;
        LOOM_ASSIGN_OR_RETURN(std::vector<storage::EdgeRef> edges,
                              EdgesBetween(txn, source->rid, target->rid, filter));
        for (const storage::EdgeRef& e : edges) LOOM_RETURN_IF_ERROR(txn.DeleteEdge(e));
      }
    }
    return Json{{"message", "Relationships have been successfully deleted."}};
  });
}

}  // namespace loom::engine
