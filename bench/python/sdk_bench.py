"""Per-call costs of the Python package on a generated customer-360 graph.

    python3 bench/python/sdk_bench.py /tmp/loom_c360_bench_1000.db

(bench/run_query_bench.sh 1000 makes that database.) Prints the median of
several timed batches for: find_by_id, a lookup by an indexed property, the
conversion of a 10,000-record result to Python objects, and to_dataframe of
100,000 records."""

import statistics
import sys
import time

from loom import RushDB


def median_seconds(fn, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(path):
    db = RushDB(path, read_only=True)
    accounts = db.records.find({"labels": ["ACCOUNT"], "limit": 1000})
    ids = [a.id for a in accounts]
    names = [a.get("name") for a in accounts]
    n = len(ids)

    t = median_seconds(lambda: [db.records.find_by_id(i) for i in ids])
    print(f"find_by_id: {t / n * 1e6:.1f} us per call ({n} calls)")
    t = median_seconds(lambda: [db.records.find({"labels": ["ACCOUNT"], "where": {"name": x}}) for x in names])
    print(f"lookup by an indexed property: {t / n * 1e6:.1f} us per call ({n} calls)")

    query = {"labels": ["FEATURE_USAGE"], "limit": 10000}
    raw = db.call("records.find", query)
    values = sum(len(r) - 3 for r in raw["data"])  # properties per record, internal keys excluded
    t = median_seconds(lambda: db.records.find(query))
    print(f"10,000 records to Python objects: {t * 1e3:.1f} ms, {values / t / 1e6:.2f}M property values/s "
          f"(engine and conversion together)")

    big = db.records.find({"labels": ["FEATURE_USAGE"], "limit": 100000})
    t = median_seconds(lambda: big.to_dataframe(), repeat=3)
    print(f"to_dataframe of {len(big)} records: {t:.3f} s")
    db.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/loom_c360_bench_1000.db")
