"""The SDK surface of loom's Python package: every method with its argument
forms, results against the engine's own answers (db.call, the C++ Call),
transactions, errors with codes and pointers, threads, and bad input."""

import datetime
import math
import threading

import pytest

from loom import NonUniqueResultError, Record, RushDB, RushDBError, SearchResult, Transaction


def seed(db):
    acme = db.records.create("ACCOUNT", {"name": "Acme", "plan": "enterprise", "mrr": 1200, "region": "EU"})
    globex = db.records.create("ACCOUNT", {"name": "Globex", "plan": "pro", "mrr": 800, "region": "US"})
    users = db.records.import_json([{"name": "Ann", "role": "admin"}, {"name": "Bob", "role": "member"}],
                                   label="USER", options={"returnResult": True})
    return acme, globex, users


def test_create_returns_a_record_with_the_sdk_shape(db):
    acme = db.records.create("ACCOUNT", {"name": "Acme", "mrr": 1200, "tags": ["a", "b"], "since": "2024-01-15"})
    assert isinstance(acme, Record)
    assert acme.label == "ACCOUNT"
    assert acme["name"] == "Acme" and acme.get("missing", 7) == 7
    assert acme.data["__id"] == acme.id
    assert acme.proptypes == {"name": "string", "mrr": "number", "tags": "string", "since": "datetime"}
    assert acme.to_dict() == {"name": "Acme", "mrr": 1200, "tags": ["a", "b"], "since": "2024-01-15"}
    assert "__id" in acme.get_data(exclude_internal=False)
    assert abs(acme.date - datetime.datetime.now(datetime.timezone.utc)) < datetime.timedelta(minutes=5)
    assert isinstance(acme.timestamp, int)
    assert acme == db.records.find_by_id(acme.id) and hash(acme) == hash(acme.id)
    assert "Acme" in repr(acme)


def test_find_matches_the_engine_and_the_result_type(db):
    seed(db)
    query = {"labels": ["ACCOUNT"], "orderBy": {"mrr": "desc"}, "limit": 1}
    result = db.records.find(query)
    raw = db.call("records.find", query)
    assert isinstance(result, SearchResult)
    assert [r.data for r in result] == raw["data"] and result.total == raw["total"] == 2
    assert len(result) == 1 and bool(result) and result[0]["name"] == "Acme" and result[0:1][0].id == result[0].id
    assert result.has_more and result.limit == 1 and result.skip == 0
    assert result.to_dict() == raw
    empty = db.records.find({"labels": ["NOPE"]})
    assert not empty and empty.total == 0 and not empty.has_more
    assert db.records.find().total == 4  # no query: every record


def test_select_rows_are_records_without_ids(db):
    seed(db)
    rows = db.records.find({"labels": ["ACCOUNT"], "select": {"total": {"$sum": "$record.mrr"}},
                            "groupBy": ["$record.region"], "orderBy": {"total": "desc"}})
    assert [r.data for r in rows] == [{"total": 1200, "region": "EU"}, {"total": 800, "region": "US"}]
    assert rows[0].id is None and rows[0].data.get("region") == "EU"
    assert rows.total == 2


def test_find_one_find_uniq_and_find_by_id_forms(db):
    acme, globex, _ = seed(db)
    assert db.records.find_one({"labels": ["ACCOUNT"], "where": {"name": "Globex"}}) == globex
    assert db.records.find_one({"labels": ["NOPE"]}) is None
    assert db.records.find_uniq({"labels": ["ACCOUNT"], "where": {"plan": "pro"}}) == globex
    with pytest.raises(NonUniqueResultError) as e:
        db.records.find_uniq({"labels": ["ACCOUNT"]})
    assert e.value.code == "NON_UNIQUE_RESULT" and isinstance(e.value, RushDBError)
    assert db.records.find_by_id(acme.id) == acme
    assert db.records.find_by_id(acme) == acme                     # a Record
    assert db.records.find_by_id({"__id": acme.id}) == acme        # a dict with __id
    both = db.records.find_by_id([acme, globex.id])
    assert {r.id for r in both} == {acme.id, globex.id} and both.total == 2


def test_create_many_takes_flat_rows_only(db):
    made = db.records.create_many("P", [{"n": 1}, {"n": 2, "tags": ["x"]}])
    assert db.records.find({"labels": ["P"]}).total == 2
    assert made is not None
    with pytest.raises(ValueError, match="import_json"):
        db.records.create_many("P", [{"n": 1, "nested": {"a": 1}}])
    assert db.records.find({"labels": ["P"]}).total == 2  # nothing written


def test_import_json_forms(db):
    assert db.records.import_json({"label": "USER", "data": [{"name": "Ann"}]}) is True  # the tutorial's form
    db.records.import_json({"TEAM": [{"name": "core", "MEMBER": [{"name": "Cy"}]}]})  # label-keyed container
    db.records.import_json([{"name": "Dee"}], label="USER")
    assert db.labels.find() == {"MEMBER": 1, "TEAM": 1, "USER": 2}


def test_import_csv_upsert_set_update(db):
    db.records.import_csv("CITY", "name,pop\nOslo,700000\nRome,2800000\n", options={"suggestTypes": True})
    oslo = db.records.find_one({"labels": ["CITY"], "where": {"name": "Oslo"}})
    assert oslo["pop"] == 700000
    up = db.records.upsert({"name": "Oslo", "pop": 710000}, label="CITY", options={"mergeBy": ["name"]})
    assert up.id == oslo.id and up["pop"] == 710000
    changed = db.records.update(oslo, {"country": "NO"})
    assert changed["country"] == "NO" and changed["pop"] == 710000
    replaced = db.records.set(oslo.id, {"name": "Oslo"})
    assert replaced.get("pop") is None and replaced["name"] == "Oslo"
    assert oslo.update({"pop": 1})["pop"] == 1  # record-bound shortcut


def test_attach_detach_delete_and_relationships(db):
    acme, globex, users = seed(db)
    ann, bob = users
    db.records.attach(ann, acme, {"type": "BELONGS_TO", "direction": "out"})
    db.records.attach(bob.id, [acme, globex], {"type": "BELONGS_TO"})
    rels = db.relationships.find({"where": {"type": "BELONGS_TO"}})
    assert rels["total"] == 3
    members = db.records.find({"labels": ["USER"], "where": {"ACCOUNT": {"$relation": "BELONGS_TO", "name": "Acme"}}})
    assert members.total == 2
    related = db.records.find({"labels": ["USER"]}, record_id=globex.id)
    assert [r.id for r in related] == [bob.id]
    db.records.detach(bob, globex, {"typeOrTypes": "BELONGS_TO"})
    assert db.relationships.find()["total"] == 2
    db.relationships.create_many(source={"label": "USER", "where": {"role": {"$exists": True}}},
                                 target={"label": "ACCOUNT", "where": {"name": "Globex"}}, type="KNOWS",
                                 many_to_many=True)
    assert db.relationships.find({"where": {"type": "KNOWS"}})["total"] == 2
    db.relationships.delete_many(source={"label": "USER", "where": {"role": {"$exists": True}}},
                                 target={"label": "ACCOUNT", "where": {"name": "Globex"}}, type="KNOWS",
                                 many_to_many=True)
    assert db.relationships.find({"where": {"type": "KNOWS"}})["total"] == 0
    db.records.delete_by_id([ann, bob.id])
    assert db.records.find({"labels": ["USER"]}).total == 0
    db.records.delete({"labels": ["ACCOUNT"], "where": {"plan": "pro"}})
    assert [r.id for r in db.records.find({"labels": ["ACCOUNT"]})] == [acme.id]
    acme.delete()
    assert db.records.find().total == 0


def test_properties_labels_and_export(db):
    seed(db)
    names = {p["name"] for p in db.properties.find()}
    assert {"name", "mrr", "plan", "region", "role"} <= names
    mrr = next(p for p in db.properties.find() if p["name"] == "mrr")
    assert db.properties.find_by_id(mrr["id"])["name"] == "mrr"
    values = db.properties.values(mrr["id"])
    assert values["min"] == 800 and values["max"] == 1200
    assert db.labels.find({"labels": ["ACCOUNT"]}) == {"ACCOUNT": 2}
    exported = db.records.export({"labels": ["ACCOUNT"]})
    assert exported["fileContent"].startswith("__id,__label")


def test_transactions_commit_roll_back_and_context_manager(db):
    tx = db.transactions.begin(ttl=10000)
    assert isinstance(tx, Transaction)
    db.records.create("T", {"n": 1}, transaction=tx)
    assert db.records.find({"labels": ["T"]}).total == 0                  # not visible outside
    assert db.records.find({"labels": ["T"]}, transaction=tx).total == 1   # visible inside
    tx.commit()
    assert db.records.find({"labels": ["T"]}).total == 1
    tx = db.transactions.begin()
    db.records.create("T", {"n": 2}, transaction=tx.id)
    tx.rollback()
    assert db.records.find({"labels": ["T"]}).total == 1
    with db.transactions.begin() as tx:
        db.records.create("T", {"n": 3}, transaction=tx)
    assert db.records.find({"labels": ["T"]}).total == 2
    with pytest.raises(KeyError):
        with db.transactions.begin() as tx:
            db.records.create("T", {"n": 4}, transaction=tx)
            raise KeyError("boom")
    assert db.records.find({"labels": ["T"]}).total == 2


def test_engine_errors_carry_code_and_pointer(db):
    with pytest.raises(RushDBError) as e:
        db.records.find({"labels": ["A"], "where": {"age": {"$gte": "M"}}})
    assert e.value.code == "INVALID_QUERY" and e.value.path == "/where/age/$gte"
    with pytest.raises(RushDBError) as e:
        db.records.find_by_id("01950000-0000-7000-8000-000000000000")
    assert e.value.code == "NOT_FOUND"
    db.records.create("A", {"name": "text"})
    with pytest.raises(RushDBError) as e:
        db.records.find({"labels": ["A"], "select": {"s": {"$sum": "$record.name"}}, "groupBy": ["s"]})
    assert e.value.code == "TYPE_ERROR" and e.value.path == "/select/s"


@pytest.mark.parametrize("bad, error", [
    ({"n": float("nan")}, ValueError),
    ({"n": math.inf}, ValueError),
    ({"n": 2 ** 70}, ValueError),
    ({"n": b"bytes"}, TypeError),
    ({1: "int key"}, TypeError),
    ({"n": object()}, TypeError),
])
def test_bad_python_values_raise_and_change_nothing(db, bad, error):
    db.records.create("KEEP", {"n": 1})
    with pytest.raises(error):
        db.records.create("BAD", bad)
    assert db.records.find().total == 1
    assert db.labels.find() == {"KEEP": 1}


def test_wrong_argument_types(db):
    with pytest.raises(TypeError):
        db.records.find_by_id(42)
    with pytest.raises(TypeError):
        db.records.create("A", {"n": 1}, transaction=3.5)
    with pytest.raises(TypeError):
        RushDB(123)
    with pytest.raises(ValueError):
        RushDB("x.db", durability="sometimes")


def test_datetimes_go_in_as_iso_text(db):
    r = db.records.create("E", {"at": datetime.datetime(2025, 3, 1, 8, 0, tzinfo=datetime.timezone.utc),
                                "day": datetime.date(2025, 3, 2)})
    assert r["at"] == "2025-03-01T08:00:00+00:00" and r.proptypes["at"] == "datetime"
    assert r["day"] == "2025-03-02"


def test_readers_on_threads_beside_a_writer(db):
    seed(db)
    stop = threading.Event()
    errors = []

    def read():
        while not stop.is_set():
            try:
                total = db.records.find({"labels": ["ACCOUNT"]}).total
                assert total >= 2
            except Exception as e:  # collected for the main thread
                errors.append(e)
                return

    readers = [threading.Thread(target=read) for _ in range(4)]
    for t in readers:
        t.start()
    for i in range(200):
        db.records.create("ACCOUNT", {"name": f"a{i}", "mrr": i})
    stop.set()
    for t in readers:
        t.join()
    assert not errors
    assert db.records.find({"labels": ["ACCOUNT"]}).total == 202


def test_to_dataframe(db):
    pandas = pytest.importorskip("pandas")
    seed(db)
    frame = db.records.find({"labels": ["ACCOUNT"], "orderBy": {"mrr": "asc"}}).to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame["name"]) == ["Globex", "Acme"]


def test_read_only_and_close(tmp_path):
    path = str(tmp_path / "ro.db")
    with RushDB(path) as db:
        db.records.create("A", {"n": 1})
    ro = RushDB(path, read_only=True)
    assert ro.records.find().total == 1
    with pytest.raises(RushDBError):
        ro.records.create("A", {"n": 2})
    ro.close()
    assert ro.closed
    with pytest.raises(ValueError, match="closed"):
        ro.records.find()


def test_ignored_keys_come_back_as_warnings(db):
    seed(db)
    result = db.records.find({"labels": ["ACCOUNT"], "wher": {"name": "Acme"}})
    assert result.total == 2  # the typo filters nothing, as RushDB does ...
    assert result.warnings == [{"path": "/wher", "message": 'unknown key "wher" is ignored (did you mean "where"?)'}]
    with pytest.raises(RushDBError) as e:  # ... unless the query is strict
        db.records.find({"labels": ["ACCOUNT"], "wher": {"name": "Acme"}, "strict": True})
    assert e.value.path == "/wher"
    assert db.records.find({"labels": ["ACCOUNT"]}).warnings == []
