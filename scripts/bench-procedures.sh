#!/usr/bin/env bash
# Benchmark of procedure performance (issue 6), release build, embedded SQLite, in one run on one machine:
#   1. COUNT synthetic dossiers (default 1,000,000) as CSV, over the demo province's units and catalogue;
#   2. baseline: DuckDB reads the same CSV and computes every tally (scripts/duckdb-indicators.py);
#   2b. durable baseline: Python stores the same rows as read in SQLite (scripts/sqlite-import-baseline.py);
#   3. ThiDua: `thidua dossiers import FILE` — parse, check, store, and every tally kept current;
#   4. exactness: every stored tally equals DuckDB's (the independent computation);
#   5. 10,000 more dossiers through the JSON API (batches of 5,000; each answer's Server-Timing printed), then the
#      indicators read back;
#   6. the indicators endpoint (the province dashboard's query) under wrk: p50 / p95.
# Figures → docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
[ "${SKIP_BUILD:-0}" = 1 ] || swift build -c release --product thidua
BIN=$PWD/.build/release/thidua
VENV=${BENCH_VENV:-.venv-bench}
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c "import duckdb" 2>/dev/null || "$VENV/bin/pip" install -q --disable-pip-version-check duckdb==2.0.1
DIR=$(mktemp -d)
PORT=${PORT:-18184}
COUNT=${COUNT:-1000000}
YEAR=2026
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
SERVER=
export THIDUA_DATA_DIR=$DIR THIDUA_BCRYPT_COST=4 LOG_LEVEL=error
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(df -T "$DIR" | awk 'NR==2{print $2}') at $DIR"

"$BIN" demo --no-passwords >/dev/null
# Only the benchmark's dossiers: the demo's are removed (the comparison covers exactly the file).
python3 - "$DIR/thidua.sqlite" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for t in ("dossiers", "dossier_tally_histograms", "dossier_tallies", "dossier_unit_tallies"): c.execute("DELETE FROM " + t)
c.commit()
PY
start=$(date +%s.%N)
"$BIN" dossiers generate --count "$COUNT" --year $YEAR --out "$DIR/dossiers.csv"
echo "== 1. generated $COUNT dossiers ($(du -h "$DIR/dossiers.csv" | cut -f1)) in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"

echo "== 2. baseline: DuckDB over the same CSV"
"$VENV/bin/python" scripts/duckdb-indicators.py "$DIR/thidua.sqlite" "$DIR/dossiers.csv"

echo "== 2b. durable baseline: the same rows stored as read in SQLite (no checks, no indicators)"
python3 scripts/sqlite-import-baseline.py "$DIR" "$DIR/dossiers.csv"
rm -f "$DIR"/import-baseline.sqlite*

echo "== 3. ThiDua: thidua dossiers import"
start=$(date +%s.%N)
"$BIN" dossiers import "$DIR/dossiers.csv" 2>/dev/null
T=$(python3 -c "print(round($(date +%s.%N) - $start, 2))")
echo "THIDUA seconds=$T dossiers=$("$BIN" dossiers count) db=$(du -h "$DIR/thidua.sqlite" | cut -f1)"

echo "== 4. every tally against DuckDB's"
"$VENV/bin/python" scripts/duckdb-indicators.py "$DIR/thidua.sqlite" "$DIR/dossiers.csv" --compare | tail -1

echo "== 5. 10,000 more through the API"
SECRET="tdk_bench_$(date +%s)"
python3 - "$DIR/thidua.sqlite" "$SECRET" <<'PY'
import hashlib, sqlite3, sys, time, uuid
c = sqlite3.connect(sys.argv[1])
c.execute("INSERT INTO api_tokens (id, name, token_hash, scopes, created_ms) VALUES (?, 'bench', ?, 'dossiers:write indicators:read', ?)",
          (str(uuid.uuid4()).upper(), hashlib.sha256(sys.argv[2].encode()).hexdigest(), int(time.time() * 1000)))
c.commit()
PY
"$BIN" dossiers generate --count 10000 --start "$COUNT" --year $YEAR --seed 767 --out "$DIR/more.csv"
"$BIN" serve --hostname 127.0.0.1 --port "$PORT" --log error >/dev/null 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
python3 - "$DIR/more.csv" "http://127.0.0.1:$PORT" "$SECRET" <<'PY'
import sys, time
sys.path.insert(0, "scripts")
from dossier_api import batches, call
base, token = sys.argv[2], sys.argv[3]
def received():
    return sum(u["received"] for u in call(base, token, "GET", "/api/v1/indicators?year=2026&period=y")[0]["units"])
before = received()
times = []
for n, body in batches(sys.argv[1]):
    rep, timing, seconds = call(base, token, "POST", "/api/v1/dossiers", body)
    assert rep["inserted"] == n, rep
    print("  phases (ms):", timing)
    times.append(seconds)
t = time.monotonic(); after = received(); read = time.monotonic() - t
print(f"API batches of 5,000: {', '.join(f'{x:.2f} s' for x in times)}; indicators read back in {read:.3f} s; "
      f"received {before} → {after} (+{after - before})")
PY

echo "== 6. indicators endpoint (the dashboard's query) under load, $("$BIN" dossiers count) dossiers stored"
cat > "$DIR/ind.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $SECRET"
done = function(s, l, r)
  io.write(string.format("RESULT p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f rps=%.1f\n", l:percentile(50)/1000, l:percentile(95)/1000, l:percentile(99)/1000, s.requests/(s.duration/1e6)))
end
LUA
wrk -t2 -c8 -d"${DURATION:-15s}" -s "$DIR/ind.lua" "http://127.0.0.1:$PORT/api/v1/indicators?year=2026&period=y" | grep RESULT
