// storage/record_json.h: a stored record serialised as the API shows it
// (data-model.md §9: __id, __label, __proptypes, then the properties in
// insertion order), straight from the stored encoding: names are taken by
// reference from the dictionaries, with no intermediate loom::Record. Used by
// the engine's write results and by query results alike. Thread-safe.
#ifndef LOOM_STORAGE_RECORD_JSON_H_
#define LOOM_STORAGE_RECORD_JSON_H_

#include "loom/json.h"
#include "storage/dictionary.h"
#include "storage/types.h"

namespace loom::storage {

Json StoredRecordToJson(const Dictionaries& dicts, const StoredRecord& stored);

}  // namespace loom::storage

#endif  // LOOM_STORAGE_RECORD_JSON_H_
