#!/usr/bin/env python3
"""What SQLite alone spends resolving stored dossiers in place, with the facts as JSON or as a short text (issue 6;
docs/benchmarks.md, "The one-stop feed"). No app: Python's sqlite3 with the server's settings (WAL,
synchronous=FULL, 64 MB page cache, statement journals in memory).

    python3 scripts/sqlite-resolve-in-place.py [DB] [N]

DB: the feed's stored database (default .bench-api/feed/pristine.sqlite, made by scripts/bench-api-batches.sh);
N (3074, the feed's first batch): open dossiers picked at random (seed 7) and resolved in one transaction, in
statements of 500, each row growing as a resolution makes it grow. Two layouts, each run twice, each in a copy (the
stored database is never changed): `json` (as stored) and `short` (every row's facts replaced by a 12-character
text, then VACUUMed, so rows are ~200 bytes shorter and packed as an import packs them). Prints the statements'
time, the commit's time and the log's size."""
import os, random, shutil, sqlite3, sys, tempfile, time

JSON_RESOLVED = ('{"online":false,"resolved":true,"withdrawn":false,"timeliness":"on_time","processingHalfDays":5,'
                 '"statutoryHalfDays":30,"payable":true,"paidOnline":false,"digitised":true,"rated":false,'
                 '"unsatisfied":false,"complaint":false}')
SHORT_OPEN, SHORT_RESOLVED = "F1a0;-;;30;", "F1a2;o;5;30;"


def layout(src, work, short):
    db = os.path.join(work, ("short" if short else "json") + ".sqlite")
    if not os.path.exists(db):
        shutil.copy(src, db)
        if short:
            c = sqlite3.connect(db, isolation_level=None)
            c.execute("UPDATE dossiers SET facts = ?", (SHORT_OPEN,))
            c.execute("VACUUM")
            c.close()
    return db


def run(db, short, n):
    copy = db + ".run"
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(copy + ext): os.remove(copy + ext)
    shutil.copy(db, copy)
    os.sync()
    c = sqlite3.connect(copy, isolation_level=None)
    for p in ("journal_mode=WAL", "synchronous=FULL", "cache_size=-65536", "temp_store=MEMORY"):
        c.execute("PRAGMA " + p)
    open_codes = [r[0] for r in c.execute("SELECT code FROM dossiers WHERE resolved_s IS NULL AND result IS NULL")]
    random.seed(7)
    pick = random.sample(open_codes, min(n, len(open_codes)))
    c.execute("BEGIN IMMEDIATE")
    t0 = time.monotonic()
    for i in range(0, len(pick), 500):
        chunk = pick[i:i + 500]
        c.execute("UPDATE dossiers SET resolved_s = received_s + 400000, returned_s = received_s + 400000, "
                  "result = 'approved', timeliness = 'on_time', processing_half_days = 5, resolved_month = '2026-11', "
                  f"facts = ? WHERE code IN ({','.join('?' * len(chunk))})", [SHORT_RESOLVED if short else JSON_RESOLVED] + chunk)
    t1 = time.monotonic()
    c.execute("COMMIT")
    t2 = time.monotonic()
    print(f"{'short' if short else 'json'}: {len(pick)} of {len(open_codes)} open dossiers resolved; statements "
          f"{1000 * (t1 - t0):.0f} ms, commit {1000 * (t2 - t1):.0f} ms, log {os.path.getsize(copy + '-wal') / 1e6:.1f} MB "
          f"(database {os.path.getsize(db) / 1e6:.0f} MB)")
    c.close()
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(copy + ext): os.remove(copy + ext)


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else ".bench-api/feed/pristine.sqlite"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 3074
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(src))) as work:
        for short in (False, True, False, True):
            run(layout(src, work, short), short, n)


if __name__ == "__main__":
    main()
