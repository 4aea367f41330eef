"""The machine's raw SQLite rate for one durable insert per transaction (WAL, synchronous=FULL, like ThiDua's
database): the baseline the survey submission benchmark is compared with, measured in the same run.
Usage: python3 scripts/sqlite-durable-baseline.py DIR [SECONDS]"""
import os
import sqlite3
import sys
import time
import uuid

d = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10
path = os.path.join(d, "baseline.sqlite")
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE r (id BLOB PRIMARY KEY, campaign BLOB, answers TEXT, fingerprint TEXT, created_ms INTEGER, s INTEGER, n INTEGER)")
answers = "cong_chuc.huong_dan\t5\ncong_chuc.thai_do\t4\ncong_chuc.tuan_thu\t3\nda_gop_y\tno\ndung_hen\tyes\nkenh\ttruc_tiep\nket_qua\t4"
campaign = uuid.uuid4().bytes
n = 0
start = time.perf_counter()
while time.perf_counter() - start < seconds:
    db.execute("BEGIN")
    db.execute("INSERT INTO r VALUES (?, ?, ?, ?, ?, ?, ?)", (uuid.uuid4().bytes, campaign, answers, "f" * 32, int(time.time() * 1000), 9, 12))
    db.execute("COMMIT")
    n += 1
elapsed = time.perf_counter() - start
print(f"RAW durable inserts: {n} in {elapsed:.1f} s = {n / elapsed:.0f}/s (SQLite {sqlite3.sqlite_version}, one insert per transaction)")
