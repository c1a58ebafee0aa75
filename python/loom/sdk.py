"""The RushDB Python SDK 2.x surface over loom's engine (``loom._loom``).

Method names, argument order, defaults and return types follow the SDK;
every call becomes one api.md operation through ``Database.call``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Iterable, Iterator, List, Optional, Union

from loom import _loom

_INTERNAL_KEYS = ("__id", "__label", "__proptypes")


class RushDBError(Exception):
    """An engine error: ``details`` holds loom's error ``code`` and, for bad
    arguments and queries, the JSON Pointer ``path`` of the offending node."""

    def __init__(self, message: str, details: Optional[Dict[str, Any]] = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}

    @property
    def code(self) -> Optional[str]:
        return self.details.get("code")

    @property
    def path(self) -> Optional[str]:
        return self.details.get("path")


class NonUniqueResultError(RushDBError):
    """``find_uniq`` matched more than one record."""


def _raise(error) -> None:
    code, message, path = error
    details = {"code": code}
    if path is not None:
        details["path"] = path
    text = f"{code}: {message}" + (f" (at {path})" if path else "")
    if code == "NON_UNIQUE_RESULT":
        raise NonUniqueResultError(text, details)
    raise RushDBError(text, details)


def _tx_id(transaction) -> Optional[str]:
    if transaction is None:
        return None
    if isinstance(transaction, Transaction):
        return transaction.id
    if isinstance(transaction, str):
        return transaction
    raise TypeError("transaction must be a Transaction or its id (str)")


def _id_of(target) -> str:
    """An id string, a Record, or a dict carrying ``__id``."""
    if isinstance(target, Record):
        if target.id is None:
            raise ValueError("this record has no id (a select/groupBy row)")
        return target.id
    if isinstance(target, str):
        return target
    if isinstance(target, dict) and isinstance(target.get("__id"), str):
        return target["__id"]
    raise TypeError(f"expected a record id, a Record or a dict with __id, not {type(target).__name__}")


def _ids_of(targets) -> Union[str, List[str]]:
    if isinstance(targets, (list, tuple)):
        return [_id_of(t) for t in targets]
    return _id_of(targets)


class Record:
    """A record as the SDK gives it: ``data`` is the serialised record
    (``__id``, ``__label``, ``__proptypes`` and the properties); select and
    groupBy rows are Records without an id."""

    __slots__ = ("_db", "data")

    def __init__(self, db: Optional["RushDB"], data: Dict[str, Any]):
        self._db = db
        self.data = data

    @property
    def id(self) -> Optional[str]:
        return self.data.get("__id")

    @property
    def label(self) -> Optional[str]:
        return self.data.get("__label")

    @property
    def proptypes(self) -> Dict[str, str]:
        return self.data.get("__proptypes", {})

    @property
    def timestamp(self) -> Optional[int]:
        """Creation time in milliseconds since the epoch (from the UUIDv7 id)."""
        if not self.id:
            return None
        return int(self.id.replace("-", "")[:12], 16)

    @property
    def date(self) -> Optional[_dt.datetime]:
        ms = self.timestamp
        if ms is None:
            return None
        return _dt.datetime.fromtimestamp(ms / 1000, tz=_dt.timezone.utc)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def get_data(self, exclude_internal: bool = True) -> Dict[str, Any]:
        if not exclude_internal:
            return dict(self.data)
        return {k: v for k, v in self.data.items() if k not in _INTERNAL_KEYS}

    def to_dict(self, exclude_internal: bool = True) -> Dict[str, Any]:
        return self.get_data(exclude_internal)

    # Record-bound shortcuts (the SDK's record methods).
    def set(self, data: Dict[str, Any], transaction=None) -> "Record":
        return self._require_db().records.set(self, data, transaction=transaction)

    def update(self, data: Dict[str, Any], transaction=None) -> "Record":
        return self._require_db().records.update(self, data, transaction=transaction)

    def attach(self, target, options: Optional[Dict[str, Any]] = None, transaction=None) -> Dict[str, Any]:
        return self._require_db().records.attach(self, target, options, transaction=transaction)

    def detach(self, target, options: Optional[Dict[str, Any]] = None, transaction=None) -> Dict[str, Any]:
        return self._require_db().records.detach(self, target, options, transaction=transaction)

    def delete(self, transaction=None) -> Dict[str, Any]:
        return self._require_db().records.delete_by_id(self, transaction=transaction)

    def _require_db(self) -> "RushDB":
        if self._db is None or self.id is None:
            raise ValueError("this record is not bound to a database record")
        return self._db

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        if self.id is None or other.id is None:
            return self.data == other.data
        return self.id == other.id

    def __hash__(self) -> int:
        return hash(self.id) if self.id is not None else id(self)

    def __repr__(self) -> str:
        if self.id is None:
            return f"Record({self.data!r})"
        return f"Record(id={self.id!r}, label={self.label!r}, data={self.get_data()!r})"


class SearchResult:
    """The answer of ``records.find``: ``data`` (Records), ``total`` (matching
    records, whatever skip/limit), and the paging of the query."""

    def __init__(self, data: List[Record], total: int, search_query: Optional[Dict[str, Any]] = None,
                 warnings: Optional[List[Any]] = None):
        self.data = data
        self.total = total
        self.search_query = search_query or {}
        self.warnings = warnings or []

    @property
    def skip(self) -> int:
        return int(self.search_query.get("skip", 0))

    @property
    def limit(self) -> Optional[int]:
        return self.search_query.get("limit")

    @property
    def has_more(self) -> bool:
        return self.skip + len(self.data) < self.total

    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self) -> Iterator[Record]:
        return iter(self.data)

    def __getitem__(self, index):
        return self.data[index]

    def __bool__(self) -> bool:
        return bool(self.data)

    def to_dict(self) -> Dict[str, Any]:
        return {"data": [r.data for r in self.data], "total": self.total}

    def to_dataframe(self):
        """The rows as a pandas DataFrame (internal keys kept as columns)."""
        try:
            import pandas
        except ImportError as e:  # pragma: no cover - depends on the machine
            raise ImportError("to_dataframe needs pandas (Debian: python3-pandas)") from e
        return pandas.DataFrame.from_records([r.data for r in self.data])

    def __repr__(self) -> str:
        return f"SearchResult(total={self.total}, data={self.data!r})"


class Transaction:
    """An explicit transaction; as a context manager it commits on a clean
    exit and rolls back on an exception."""

    def __init__(self, db: "RushDB", tx_id: str):
        self._db = db
        self.id = tx_id
        self._done = False

    def commit(self) -> Dict[str, Any]:
        self._done = True
        return self._db._call("tx.commit", {"id": self.id})

    def rollback(self) -> Dict[str, Any]:
        self._done = True
        return self._db._call("tx.rollback", {"id": self.id})

    def __enter__(self) -> "Transaction":
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if self._done:
            return False
        if exc_type is None:
            self.commit()
        else:
            self.rollback()
        return False

    def __repr__(self) -> str:
        return f"Transaction(id={self.id!r})"


def _is_flat(row: Any) -> bool:
    if not isinstance(row, dict):
        return False
    for value in row.values():
        if isinstance(value, dict):
            return False
        if isinstance(value, (list, tuple)) and any(isinstance(v, (dict, list, tuple)) for v in value):
            return False
    return True


class RecordsAPI:
    def __init__(self, db: "RushDB"):
        self._db = db

    def _record(self, result) -> Optional[Record]:
        return None if result is None else Record(self._db, result)

    def _records(self, rows) -> List[Record]:
        return [Record(self._db, r) for r in rows]

    def create(self, label: str, data: Dict[str, Any], options: Optional[Dict[str, Any]] = None,
               transaction=None) -> Record:
        params = {"label": label, "data": data}
        if options is not None:
            params["options"] = options
        return self._record(self._db._call("records.create", params, transaction))

    def create_many(self, label: str, data: Union[Dict[str, Any], List[Dict[str, Any]]],
                    options: Optional[Dict[str, Any]] = None, transaction=None):
        rows = data if isinstance(data, list) else [data]
        for i, row in enumerate(rows):
            if not _is_flat(row):
                raise ValueError(f"create_many takes flat rows; row {i} nests objects (use import_json for nested data)")
        params = {"label": label, "data": rows}
        if options is not None:
            params["options"] = options
        return self._import_result(self._db._call("records.createMany", params, transaction))

    def import_json(self, data: Any, label: Optional[str] = None, options: Optional[Dict[str, Any]] = None,
                    transaction=None):
        if label is None and isinstance(data, dict) and set(data) <= {"label", "data", "options"} and "data" in data:
            params = {"data": data["data"]}  # the tutorial's {"label": ..., "data": [...]}
            if "label" in data:
                params["label"] = data["label"]
            if options is None and "options" in data:
                options = data["options"]
        else:
            params = {"data": data}
            if label is not None:
                params["label"] = label
        if options is not None:
            params["options"] = options
        return self._import_result(self._db._call("records.importJson", params, transaction))

    def import_csv(self, label: str, data: str, options: Optional[Dict[str, Any]] = None,
                   parse_config: Optional[Dict[str, Any]] = None, transaction=None):
        params: Dict[str, Any] = {"label": label, "data": data}
        if options is not None:
            params["options"] = options
        if parse_config is not None:
            params["parseConfig"] = parse_config
        return self._import_result(self._db._call("records.importCsv", params, transaction))

    def _import_result(self, result):
        if isinstance(result, list):
            return self._records(result)
        if isinstance(result, dict) and isinstance(result.get("data"), list):
            return self._records(result["data"])
        return result

    def upsert(self, data: Dict[str, Any], label: Optional[str] = None, options: Optional[Dict[str, Any]] = None,
               transaction=None) -> Record:
        params: Dict[str, Any] = {"data": data}
        if label is not None:
            params["label"] = label
        if options is not None:
            params["options"] = options
        return self._record(self._db._call("records.upsert", params, transaction))

    def set(self, target, data: Dict[str, Any], label: Optional[str] = None, transaction=None) -> Record:
        params: Dict[str, Any] = {"target": _id_of(target), "data": data}
        if label is not None:
            params["label"] = label
        return self._record(self._db._call("records.set", params, transaction))

    def update(self, target, data: Dict[str, Any], transaction=None) -> Record:
        return self._record(self._db._call("records.update", {"target": _id_of(target), "data": data}, transaction))

    def find(self, search_query: Optional[Dict[str, Any]] = None, record_id: Optional[str] = None,
             transaction=None) -> SearchResult:
        query = dict(search_query or {})
        if record_id is not None:
            query["id"] = _id_of(record_id)
        result = self._db._call("records.find", query, transaction)
        return SearchResult(self._records(result["data"]), result["total"], query, result.get("warnings"))

    def find_by_id(self, target_or_list, transaction=None):
        ids = _ids_of(target_or_list)
        result = self._db._call("records.findById", ids, transaction)
        if isinstance(ids, list):
            return SearchResult(self._records(result["data"]), result["total"])
        return self._record(result)

    def find_one(self, search_query: Optional[Dict[str, Any]] = None, transaction=None) -> Optional[Record]:
        return self._record(self._db._call("records.findOne", dict(search_query or {}), transaction))

    def find_uniq(self, search_query: Optional[Dict[str, Any]] = None, transaction=None) -> Optional[Record]:
        return self._record(self._db._call("records.findUniq", dict(search_query or {}), transaction))

    def delete(self, search_query: Dict[str, Any], transaction=None) -> Dict[str, Any]:
        return self._db._call("records.delete", dict(search_query), transaction)

    def delete_by_id(self, target_or_list, transaction=None) -> Dict[str, Any]:
        return self._db._call("records.deleteById", _ids_of(target_or_list), transaction)

    def attach(self, source, target, options: Optional[Dict[str, Any]] = None, transaction=None) -> Dict[str, Any]:
        params: Dict[str, Any] = {"source": _id_of(source), "target": _ids_of(target)}
        if options is not None:
            params["options"] = options
        return self._db._call("records.attach", params, transaction)

    def detach(self, source, target, options: Optional[Dict[str, Any]] = None, transaction=None) -> Dict[str, Any]:
        params: Dict[str, Any] = {"source": _id_of(source), "target": _ids_of(target)}
        if options is not None:
            params["options"] = options
        return self._db._call("records.detach", params, transaction)

    def export(self, search_query: Optional[Dict[str, Any]] = None, options: Optional[Dict[str, Any]] = None,
               transaction=None) -> Dict[str, Any]:
        params: Dict[str, Any] = {"query": dict(search_query or {})}
        if options is not None:
            params["options"] = options
        return self._db._call("records.export", params, transaction)


class RelationshipsAPI:
    def __init__(self, db: "RushDB"):
        self._db = db

    def find(self, search_query: Optional[Dict[str, Any]] = None, transaction=None) -> Dict[str, Any]:
        return self._db._call("relationships.find", dict(search_query or {}), transaction)

    def _many(self, method: str, source, target, type, direction, properties, many_to_many, transaction):
        params: Dict[str, Any] = {"source": source, "target": target}
        if type is not None:
            params["type"] = type
        if direction is not None:
            params["direction"] = direction
        if properties is not None:
            params["properties"] = properties
        if many_to_many:
            params["manyToMany"] = True
        return self._db._call(method, params, transaction)

    def create_many(self, *, source: Dict[str, Any], target: Dict[str, Any], type: Optional[str] = None,
                    direction: Optional[str] = None, properties: Optional[Dict[str, Any]] = None,
                    many_to_many: bool = False, transaction=None) -> Dict[str, Any]:
        return self._many("relationships.createMany", source, target, type, direction, properties, many_to_many,
                          transaction)

    def delete_many(self, *, source: Dict[str, Any], target: Dict[str, Any], type: Optional[str] = None,
                    direction: Optional[str] = None, many_to_many: bool = False, transaction=None) -> Dict[str, Any]:
        return self._many("relationships.deleteMany", source, target, type, direction, None, many_to_many,
                          transaction)


class LabelsAPI:
    def __init__(self, db: "RushDB"):
        self._db = db

    def find(self, search_query: Optional[Dict[str, Any]] = None, transaction=None) -> Dict[str, int]:
        return self._db._call("labels.find", dict(search_query or {}), transaction)


class PropertiesAPI:
    def __init__(self, db: "RushDB"):
        self._db = db

    def find(self, search_query: Optional[Dict[str, Any]] = None, transaction=None) -> List[Dict[str, Any]]:
        return self._db._call("properties.find", dict(search_query or {}), transaction)

    def find_by_id(self, property_id: str, transaction=None) -> Dict[str, Any]:
        return self._db._call("properties.findById", {"id": property_id}, transaction)

    def values(self, property_id: str, search_query: Optional[Dict[str, Any]] = None,
               transaction=None) -> Dict[str, Any]:
        params = dict(search_query or {})
        params["id"] = property_id
        return self._db._call("properties.values", params, transaction)

    def delete(self, property_id: str, transaction=None) -> Dict[str, Any]:
        return self._db._call("properties.delete", {"id": property_id}, transaction)


class TransactionsAPI:
    def __init__(self, db: "RushDB"):
        self._db = db

    def begin(self, ttl: Optional[int] = None) -> Transaction:
        params = {} if ttl is None else {"ttl": ttl}
        return Transaction(self._db, self._db._call("tx.begin", params)["id"])

    def commit(self, transaction) -> Dict[str, Any]:
        return self._db._call("tx.commit", {"id": _tx_id(transaction)})

    def rollback(self, transaction) -> Dict[str, Any]:
        return self._db._call("tx.rollback", {"id": _tx_id(transaction)})


class RushDB:
    """A loom database opened in-process, with RushDB's SDK surface.

    ``RushDB(path)`` opens (or creates) the database directory ``path``.
    Keyword options: ``read_only`` (open for reading only), ``durability``
    (``"buffered"``: survives a process crash; ``"sync"``: fsync on every
    commit, survives power loss), ``cache_bytes`` (block cache budget).
    A RushDB object may be shared by many threads.
    """

    def __init__(self, path: str, *, read_only: bool = False, durability: str = "buffered",
                 cache_bytes: Optional[int] = None, create_if_missing: bool = True, **_ignored: Any):
        if not isinstance(path, str):
            raise TypeError("RushDB takes the path of a database directory (str)")
        self.path = path
        self._engine = _loom.Database(path, read_only=read_only, durability=durability, cache_bytes=cache_bytes,
                                      create_if_missing=create_if_missing)
        self.records = RecordsAPI(self)
        self.relationships = RelationshipsAPI(self)
        self.labels = LabelsAPI(self)
        self.properties = PropertiesAPI(self)
        self.transactions = TransactionsAPI(self)

    def _call(self, method: str, params: Any, transaction=None) -> Any:
        result, error = self._engine.call(method, params, _tx_id(transaction))
        if error is not None:
            _raise(error)
        return result

    def call(self, method: str, params: Any = None, transaction=None) -> Any:
        """Any api.md method by its dotted name, e.g. ``db.call("records.explain", {...})``."""
        return self._call(method, {} if params is None else params, transaction)

    def close(self) -> None:
        self._engine.close()

    @property
    def closed(self) -> bool:
        return self._engine.closed

    def __enter__(self) -> "RushDB":
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        self.close()
        return False

    def __repr__(self) -> str:
        return f"RushDB({self.path!r})"
