#!/usr/bin/env python3
"""An independent computation of the dossier tallies with DuckDB, written from docs/procedures.md (not from the
Swift code), over the same CSV file ThiDua imports. Two uses:

  1. the baseline of the procedure benchmark (scripts/bench-procedures.sh): DuckDB reads the CSV and computes every
     tally per unit × procedure × month; its time is printed as `DUCKDB seconds=…`;
  2. the exactness check: with --compare, every tally ThiDua stored (SQLite file) must equal DuckDB's, column by
     column; any difference is printed and the exit status is 1.

Usage: duckdb-indicators.py THIDUA_SQLITE_FILE DOSSIERS_CSV [--compare]
The catalogue (limits, fees), the units and the working calendar are read from ThiDua's database.
"""

import json
import sqlite3
import sys
import time

import duckdb

db_file, csv_file = sys.argv[1], sys.argv[2]
compare = "--compare" in sys.argv

src = sqlite3.connect(db_file)
procedures = src.execute("SELECT code, statutory_half_days, internal_half_days, fee FROM procedures").fetchall()
units = [r[0] for r in src.execute("SELECT code FROM units").fetchall()]
row = src.execute("SELECT json FROM province_settings WHERE key = 'working_calendar'").fetchone()
calendar = json.loads(row[0]) if row else {}
weekend = calendar.get("weekend", [6, 7])
holidays = calendar.get("holidays", [])
workdays = calendar.get("workdays", [])

con = duckdb.connect()
con.execute("CREATE TABLE procs (code VARCHAR, statutory INTEGER, internal INTEGER, fee BIGINT)")
con.executemany("INSERT INTO procs VALUES (?, ?, ?, ?)", procedures)
con.execute("CREATE TABLE units (code VARCHAR)")
con.executemany("INSERT INTO units VALUES (?)", [(u,) for u in units])
con.execute("CREATE TABLE holidays (day DATE)")
con.executemany("INSERT INTO holidays VALUES (CAST(? AS DATE))", [(h,) for h in holidays])
con.execute("CREATE TABLE makeup (day DATE)")
con.executemany("INSERT INTO makeup VALUES (CAST(? AS DATE))", [(w,) for w in workdays])
weekend_list = ",".join(str(int(d)) for d in weekend) or "0"

started = time.monotonic()
# Working days: a running count over 2000–2100 (cum counts working days up to and including the day).
con.execute(f"""
CREATE TABLE cal AS
SELECT day, working, SUM(working) OVER (ORDER BY day) AS cum FROM (
  SELECT CAST(g AS DATE) AS day,
         CASE WHEN CAST(g AS DATE) IN (SELECT day FROM makeup) THEN 1
              WHEN CAST(g AS DATE) IN (SELECT day FROM holidays) THEN 0
              WHEN isodow(g) IN ({weekend_list}) THEN 0 ELSE 1 END AS working
  FROM generate_series(TIMESTAMP '2000-01-01', TIMESTAMP '2100-12-31', INTERVAL 1 DAY) t(g))
""")
con.execute("CREATE TABLE wd AS SELECT cum AS n, day FROM cal WHERE working = 1")

# Instants as seconds since 1970 (UTC); local (Vietnam) days and seconds of day from them.
con.execute(f"""
CREATE TABLE d AS
SELECT x.*, p.statutory, p.internal, p.fee,
  epoch(CAST(x.received_at AS TIMESTAMPTZ))::BIGINT AS rcv,
  CASE WHEN x.resolved_at IS NULL OR x.resolved_at = '' THEN NULL ELSE epoch(CAST(x.resolved_at AS TIMESTAMPTZ))::BIGINT END AS res
FROM read_csv('{csv_file}', all_varchar = true, header = true) x
JOIN procs p ON p.code = x.procedure_code
JOIN units u ON u.code = x.unit_code
""")
con.execute("""
CREATE TABLE f AS
WITH base AS (
  SELECT d.*,
    DATE '1970-01-01' + CAST(floor((rcv + 25200) / 86400) AS INTEGER) AS rday,
    CASE WHEN res IS NULL THEN NULL ELSE DATE '1970-01-01' + CAST(floor((res + 25200) / 86400) AS INTEGER) END AS eday,
    CASE WHEN res IS NULL THEN NULL ELSE (res + 25200) % 86400 END AS esec
  FROM d),
s AS (
  -- Start: the day of receipt if it is a working day, else the next working day (its working-day number).
  SELECT base.*, c.cum + (1 - c.working) AS sn FROM base JOIN cal c ON c.day = base.rday),
due AS (
  SELECT s.*, w.day AS dueday,
    (epoch(CAST(w.day AS TIMESTAMP))::BIGINT - 25200) + CASE WHEN statutory % 2 = 1 THEN 43200 ELSE 86400 END AS due
  FROM s JOIN wd w ON w.n = s.sn + (statutory + 1) // 2),
r AS (
  SELECT due.*,
    (result IN ('approved', 'refused') AND res IS NOT NULL) AS is_resolved,
    (SELECT day FROM wd WHERE n = due.sn) AS sday
  FROM due)
SELECT r.*,
  CASE WHEN NOT is_resolved THEN NULL
       WHEN res > due THEN 'late'
       WHEN eday < DATE '1970-01-01' + CAST(floor((due - 1 + 25200) / 86400) AS INTEGER) THEN 'early'
       ELSE 'on_time' END AS timeliness,
  CASE WHEN NOT is_resolved THEN NULL
       WHEN eday <= sday THEN 0
       ELSE 2 * ((SELECT cum FROM cal WHERE day = eday - 1) - sn)
            + CASE WHEN (SELECT working FROM cal WHERE day = eday) = 0 THEN 0 WHEN esec < 43200 THEN 1 ELSE 2 END END AS phd,
  strftime(rday, '%Y-%m') AS rmonth,
  CASE WHEN res IS NULL THEN NULL ELSE strftime(eday, '%Y-%m') END AS emonth
FROM r
""")
flag = "lower(coalesce({0}, '')) IN ('1', 'true', 'yes', 'co', 'x')"
con.execute(f"""
CREATE TABLE tallies AS
WITH receipt AS (
  SELECT unit_code, procedure_code, rmonth AS month, COUNT(*) AS received,
    SUM(CASE WHEN result = 'withdrawn' THEN 1 ELSE 0 END) AS withdrawn,
    SUM(CASE WHEN channel = 'online' THEN 1 ELSE 0 END) AS online,
    SUM(CASE WHEN fee > 0 THEN 1 ELSE 0 END) AS payable,
    SUM(CASE WHEN fee > 0 AND {flag.format('paid_online')} THEN 1 ELSE 0 END) AS paid_online,
    SUM(CASE WHEN {flag.format('digitised')} THEN 1 ELSE 0 END) AS digitised,
    SUM(CASE WHEN coalesce(rating, '') <> '' THEN 1 ELSE 0 END) AS rated,
    SUM(CASE WHEN rating = 'unsatisfied' THEN 1 ELSE 0 END) AS unsatisfied,
    SUM(CASE WHEN {flag.format('complaint')} THEN 1 ELSE 0 END) AS complaints
  FROM f GROUP BY ALL),
resolution AS (
  SELECT unit_code, procedure_code, emonth AS month, COUNT(*) AS resolved,
    SUM(CASE WHEN timeliness = 'early' THEN 1 ELSE 0 END) AS early,
    SUM(CASE WHEN timeliness = 'on_time' THEN 1 ELSE 0 END) AS on_time,
    SUM(CASE WHEN timeliness = 'late' THEN 1 ELSE 0 END) AS late,
    SUM(phd) AS processing_hd, SUM(statutory) AS statutory_hd,
    SUM(CASE WHEN internal IS NOT NULL THEN 1 ELSE 0 END) AS internal_resolved,
    SUM(coalesce(internal, 0)) AS internal_hd,
    SUM(CASE WHEN internal IS NOT NULL AND phd <= internal THEN 1 ELSE 0 END) AS within_internal
  FROM f WHERE is_resolved GROUP BY ALL)
SELECT coalesce(a.unit_code, b.unit_code) AS unit_code, coalesce(a.procedure_code, b.procedure_code) AS procedure_code,
  coalesce(a.month, b.month) AS month,
  coalesce(received, 0) AS received, coalesce(resolved, 0) AS resolved, coalesce(early, 0) AS early, coalesce(on_time, 0) AS on_time,
  coalesce(late, 0) AS late, coalesce(withdrawn, 0) AS withdrawn, coalesce(online, 0) AS online, coalesce(payable, 0) AS payable,
  coalesce(paid_online, 0) AS paid_online, coalesce(digitised, 0) AS digitised, coalesce(rated, 0) AS rated,
  coalesce(unsatisfied, 0) AS unsatisfied, coalesce(complaints, 0) AS complaints, coalesce(processing_hd, 0) AS processing_hd,
  coalesce(statutory_hd, 0) AS statutory_hd, coalesce(internal_resolved, 0) AS internal_resolved, coalesce(internal_hd, 0) AS internal_hd,
  coalesce(within_internal, 0) AS within_internal
FROM receipt a FULL OUTER JOIN resolution b ON a.unit_code = b.unit_code AND a.procedure_code = b.procedure_code AND a.month = b.month
""")
elapsed = time.monotonic() - started
n = con.execute("SELECT COUNT(*) FROM f").fetchone()[0]
print(f"DUCKDB seconds={elapsed:.2f} dossiers={n} tally_rows={con.execute('SELECT COUNT(*) FROM tallies').fetchone()[0]} (DuckDB {duckdb.__version__})")

if compare:
    cols = ["received", "resolved", "early", "on_time", "late", "withdrawn", "online", "payable", "paid_online", "digitised", "rated",
            "unsatisfied", "complaints", "processing_hd", "statutory_hd", "internal_resolved", "internal_hd", "within_internal"]
    theirs = {}
    for r in src.execute(f"""SELECT u.code, p.code, t.month, {", ".join("t." + c for c in cols)} FROM dossier_tallies t
                            JOIN units u ON u.id = t.unit_id JOIN procedures p ON p.id = t.procedure_id"""):
        if any(r[3:]):
            theirs[(r[0], r[1], r[2])] = tuple(r[3:])
    ours = {}
    for r in con.execute(f"SELECT unit_code, procedure_code, month, {', '.join(cols)} FROM tallies").fetchall():
        ours[(r[0], r[1], r[2])] = tuple(int(v) for v in r[3:])
    bad = 0
    for key in sorted(set(theirs) | set(ours)):
        a, b = theirs.get(key), ours.get(key)
        if a != b:
            bad += 1
            if bad <= 20:
                print("DIFF", key, "thidua:", a, "duckdb:", b)
    print(f"COMPARE keys={len(ours)} differences={bad}")
    sys.exit(1 if bad else 0)
