"""A durable store of the same dossier file, with no checking and no indicators: Python's csv module reads the
file and SQLite stores every row as it is (WAL, synchronous=FULL, transactions of 20,000 rows, a text UUID primary
key that grows in order (as ThiDua's time-ordered ids do) and a unique code, as ThiDua's table has). The floor any durable import of the file stands on, measured in the
same run as ThiDua's import and DuckDB's aggregation.
Usage: python3 scripts/sqlite-import-baseline.py DIR CSV"""
import csv
import os
import sqlite3
import sys
import time

d, path = sys.argv[1], sys.argv[2]
db_path = os.path.join(d, "import-baseline.sqlite")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(db_path + suffix):
        os.remove(db_path + suffix)
start = time.perf_counter()
db = sqlite3.connect(db_path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")
db.execute("PRAGMA cache_size=-65536")
with open(path, encoding="utf-8", newline="") as f:
    reader = csv.reader(f)
    header = next(reader)
    columns = ", ".join(header)
    db.execute(f"CREATE TABLE dossiers (id TEXT PRIMARY KEY, {columns}, UNIQUE (code))")
    insert = f"INSERT INTO dossiers VALUES (?, {', '.join('?' for _ in header)})"
    n = 0
    batch = []
    for row in reader:
        h = f"{n + len(batch):032X}"
        batch.append((f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}", *row))
        if len(batch) == 20_000:
            db.execute("BEGIN")
            db.executemany(insert, batch)
            db.execute("COMMIT")
            n += len(batch)
            batch = []
    if batch:
        db.execute("BEGIN")
        db.executemany(insert, batch)
        db.execute("COMMIT")
        n += len(batch)
elapsed = time.perf_counter() - start
print(f"SQLITE_BASELINE seconds={elapsed:.2f} rows={n} (SQLite {sqlite3.sqlite_version}, rows stored as read, no checks, no indicators)")
