"""loom: an embedded property graph engine with RushDB's Python SDK surface.

Point RushDB code at a local database by changing the constructor::

    from loom import RushDB
    db = RushDB("customers.db")
    account = db.records.create("ACCOUNT", {"name": "Acme Corp", "mrr": 1200})
    print(db.records.find({"labels": ["ACCOUNT"]}).total)

Everything runs in-process: no server, no network. Engine work releases the
GIL, so threads sharing one ``RushDB`` run their queries in parallel.
"""

from loom.sdk import (
    NonUniqueResultError,
    Record,
    RushDB,
    RushDBError,
    SearchResult,
    Transaction,
)

__all__ = [
    "NonUniqueResultError",
    "Record",
    "RushDB",
    "RushDBError",
    "SearchResult",
    "Transaction",
]
