#!/usr/bin/env python3
"""What SQLite alone spends on an API batch, for layouts of the dossiers table (issue 6; docs/benchmarks.md,
"What session 5 found and changed"). No app: the batch's own statements, as DossierService issues them, from
Python's sqlite3 with the server's settings (WAL, synchronous=FULL, 64 MB page cache, statement journals in memory).

    python3 scripts/sqlite-batch-variants.py [DB] [VARIANT ...]
    DB: a stored database (default .bench-api/year/pristine.sqlite, made by scripts/bench-api-batches.sh);
    VARIANT: base (as stored), intpk (integer primary key instead of the UUID id), compact (intpk, and the facts as
    three integer columns instead of JSON), nolate (no partial index of late dossiers), shortfacts (the facts as a
    30-character text); default: all. Environment: BATCHES (2) batches of 5,000 each; CHECKPOINT (1000) pages
    between automatic WAL checkpoints.

Each batch: 5,000 stored dossiers picked at random, given new codes, looked up by code, upserted, then their tallies,
per-unit tallies and histogram rows upserted (tally ids read back by RETURNING), then the commit. Times per step in ms
and the WAL's size; every variant is built in a copy (VACUUMed), the stored database is never changed."""
import os, random, shutil, sqlite3, sys, tempfile, time

REBUILD = """
PRAGMA foreign_keys=OFF;
BEGIN;
CREATE TABLE d2 (id INTEGER PRIMARY KEY, code TEXT NOT NULL, procedure_id UUID NOT NULL REFERENCES procedures (id),
  unit_id UUID NOT NULL REFERENCES units (id), channel TEXT NOT NULL, received_s INTEGER NOT NULL, due_s INTEGER NOT NULL,
  sent_due_s INTEGER, resolved_s INTEGER, returned_s INTEGER, result TEXT, paid_online INTEGER NOT NULL,
  digitised INTEGER NOT NULL, rating TEXT, complaint INTEGER NOT NULL, timeliness TEXT, processing_half_days INTEGER,
  received_month TEXT NOT NULL, resolved_month TEXT, {facts_columns}, updated_ms INTEGER NOT NULL, UNIQUE (code));
INSERT INTO d2 SELECT NULL, code, procedure_id, unit_id, channel, received_s, due_s, sent_due_s, resolved_s, returned_s,
  result, paid_online, digitised, rating, complaint, timeliness, processing_half_days, received_month, resolved_month,
  {facts_select}, updated_ms FROM dossiers ORDER BY received_s;
DROP TABLE dossiers;
ALTER TABLE d2 RENAME TO dossiers;
CREATE INDEX dossiers_late ON dossiers (unit_id, procedure_id, resolved_month) WHERE timeliness = 'late';
COMMIT;
"""
FLAG_SUM = " + ".join(f"{1 << i} * json_extract(facts, '$.{k}')" for i, k in enumerate(
    ["online", "resolved", "withdrawn", "payable", "paidOnline", "digitised", "rated", "unsatisfied", "complaint"]))
SHORT_FACTS = "1|1|0|e|40|40|30|1|0|1|0|0|0"
VARIANTS = {
    "base": [],
    "intpk": [REBUILD.format(facts_columns="facts TEXT NOT NULL", facts_select="facts")],
    "compact": [REBUILD.format(
        facts_columns="fact_flags INTEGER NOT NULL, statutory_hd INTEGER NOT NULL, internal_hd INTEGER",
        facts_select=f"{FLAG_SUM}, json_extract(facts, '$.statutoryHalfDays'), json_extract(facts, '$.internalHalfDays')")],
    "nolate": ["DROP INDEX dossiers_late;"],
    "shortfacts": [f"UPDATE dossiers SET facts = '{SHORT_FACTS}';"],
}


def run(src, variant, work):
    db = os.path.join(work, variant + ".sqlite")
    shutil.copy(src, db)
    for script in VARIANTS[variant]:
        c = sqlite3.connect(db, isolation_level=None)
        c.executescript(script)
        c.execute("VACUUM")
        c.close()
    c = sqlite3.connect(db, isolation_level=None)
    for p in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "cache_size=-65536", "temp_store=MEMORY",
              "wal_autocheckpoint=" + os.environ.get("CHECKPOINT", "1000")):
        c.execute("PRAGMA " + p)
    cols = [r[1] for r in c.execute("PRAGMA table_info(dossiers)")]
    tal = [r[1] for r in c.execute("PRAGMA table_info(dossier_tallies)")][4:]
    text_id = c.execute("SELECT typeof(id) FROM dossiers LIMIT 1").fetchone()[0] == "text"
    n_batches = int(os.environ.get("BATCHES", "2"))
    random.seed(1)
    picked = c.execute("SELECT * FROM dossiers ORDER BY random() LIMIT ?", (n_batches * 5000,)).fetchall()
    size = os.path.getsize(db) // 2**20

    def many(head, rows, tail, per):
        tup = "(" + ",".join("?" * len(rows[0])) + ")"
        for i in range(0, len(rows), per):
            chunk = rows[i:i + per]
            yield from c.execute(f"{head} VALUES {','.join([tup] * len(chunk))} {tail}", [v for r in chunk for v in r])

    ui, pi, rm, sm, ph = (cols.index(k) for k in ("unit_id", "procedure_id", "received_month", "resolved_month", "processing_half_days"))
    for b in range(n_batches):
        sample = picked[b * 5000:(b + 1) * 5000]
        codes = [f"ZZ-{b:02d}-{i:07d}" for i in range(len(sample))]
        rows = []
        for i, r in enumerate(sample):
            r = list(r)
            r[0] = f"FFFFFFFF-{b:04X}-7000-8000-{i:012X}" if text_id else None
            r[cols.index("code")] = codes[i]
            if variant == "shortfacts": r[cols.index("facts")] = SHORT_FACTS
            rows.append(r)
        keys = list({(r[ui], r[pi], r[rm]) for r in sample} | {(r[ui], r[pi], r[sm]) for r in sample if r[sm]})
        hist = {(r[ui], r[pi], r[sm], r[ph] or 0) for r in sample if r[sm]}
        units = list({(k[0], k[2]) for k in keys})
        t = {}

        def step(name, f):
            s = time.perf_counter(); f(); t[name] = (time.perf_counter() - s) * 1000

        os.sync()
        start = time.perf_counter()
        step("begin", lambda: c.execute("BEGIN IMMEDIATE"))
        step("lookup", lambda: [c.execute(f"SELECT * FROM dossiers WHERE code IN ({','.join('?' * 500)})", codes[i:i + 500]).fetchall()
                                for i in range(0, len(codes), 500)])
        upd = ", ".join(f"{x} = excluded.{x}" for x in cols if x not in ("id", "code"))
        step("dossiers", lambda: list(many(f"INSERT INTO dossiers ({','.join(cols)})", rows, "ON CONFLICT (code) DO UPDATE SET " + upd, 500)))
        ids = {}

        def tallies():
            sets = ", ".join(f"{x} = dossier_tallies.{x} + excluded.{x}" for x in tal)
            for r in many(f"INSERT INTO dossier_tallies (unit_id, procedure_id, month, {','.join(tal)})", [list(k) + [1] * len(tal) for k in keys],
                          f"ON CONFLICT (unit_id, procedure_id, month) DO UPDATE SET {sets} RETURNING id, unit_id, procedure_id, month", 300):
                ids[r[1:]] = r[0]
        step("tallies", tallies)
        sets = ", ".join(f"{x} = dossier_unit_tallies.{x} + excluded.{x}" for x in tal)
        step("unit", lambda: list(many(f"INSERT INTO dossier_unit_tallies (unit_id, month, {','.join(tal)})", [list(k) + [1] * len(tal) for k in units],
                                        f"ON CONFLICT (unit_id, month) DO UPDATE SET {sets}", 300)))
        step("hist", lambda: list(many("INSERT INTO dossier_tally_histograms (tally_id, half_days, n)", [[ids[k[:3]], k[3], 1] for k in hist],
                                        "ON CONFLICT (tally_id, half_days) DO UPDATE SET n = dossier_tally_histograms.n + excluded.n", 500)))
        step("commit", lambda: c.execute("COMMIT"))
        total = (time.perf_counter() - start) * 1000
        print(f"{variant:10} ({size} MB) batch {b + 1}: " + " ".join(f"{k}={v:.0f}" for k, v in t.items())
              + f" total={total:.0f} ms; WAL {os.path.getsize(db + '-wal') // 1024} KB", flush=True)
    c.close()
    os.remove(db)


if __name__ == "__main__":
    src = sys.argv[1] if len(sys.argv) > 1 else ".bench-api/year/pristine.sqlite"
    chosen = sys.argv[2:] or list(VARIANTS)
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(src))) as work:
        for v in chosen: run(src, v, work)
