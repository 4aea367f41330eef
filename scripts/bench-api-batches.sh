#!/usr/bin/env bash
# The API batch phase by phase (issue 6; figures in docs/benchmarks.md, "The API batch, phase by phase" and "The
# one-stop feed"), release build. For each kind of TRAFFIC (default both):
# - year: a database of COUNT (1,000,000) synthetic dossiers of 2026, then 10,000 more drawn from the whole year
#   (every unit × procedure × month touched: the scattered worst case);
# - feed: what a one-stop system sends next (scripts/dossier_feed.py): a year of FEED_COUNT (1,170,000) generated
#   dossiers cut at FEED_CUT, the ~1,000,000 received before it stored oldest first (those resolved later still open),
#   then the next 10,000 events in time order: new receptions and resolutions (updates) of open dossiers.
# Each database is built once in DIR/<traffic> (default .bench-api/, kept between runs; remove it to rebuild), with
# STEADY (10) batches of 5,000 to send. Then RUNS (3) times, each mode from a fresh copy of it and a fresh server:
# - sequential: the first 10,000 in two batches through `POST /api/v1/dossiers`, one after the other;
# - together: the same two batches sent at once;
# - steady: all STEADY batches one after the other, the time per 10,000 averaged over them (SQLite's WAL checkpoints,
#   which a commit runs every THIDUA_SQLITE_CHECKPOINT_PAGES (8,000) pages of log, fall in some batches and not
#   others: this is the cost over time; set that variable to compare thresholds in one run).
# Each answer's Server-Timing and the server's CPU time are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SKIP_BUILD:-0}" = 1 ] || swift build -c release --product thidua
BIN=$PWD/.build/release/thidua
ROOT=${DIR:-$PWD/.bench-api}
COUNT=${COUNT:-1000000}
FEED_COUNT=${FEED_COUNT:-1170000}
FEED_CUT=${FEED_CUT:-2026-11-17T08:00:00+07:00}
RUNS=${RUNS:-3}
STEADY=${STEADY:-10}
PORT=${PORT:-18190}
SECRET=tdk_bench_api_batches
export THIDUA_BCRYPT_COST=4 LOG_LEVEL=error
SERVER=
trap 'kill $SERVER 2>/dev/null || true' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for traffic in ${TRAFFIC:-year feed}; do
DIR=$ROOT/$traffic
export THIDUA_DATA_DIR=$DIR
mkdir -p "$DIR"
if [ ! -f "$DIR/pristine.sqlite" ]; then
    rm -f "$DIR"/thidua.sqlite*
    "$BIN" demo --no-passwords >/dev/null
    python3 - "$DIR/thidua.sqlite" "$SECRET" <<'PY'
import hashlib, sqlite3, sys, time, uuid
c = sqlite3.connect(sys.argv[1])
for t in ("dossiers", "dossier_tally_histograms", "dossier_tallies", "dossier_unit_tallies"): c.execute("DELETE FROM " + t)
c.execute("INSERT INTO api_tokens (id, name, token_hash, scopes, created_ms) VALUES (?, 'bench', ?, 'dossiers:write indicators:read', ?)",
          (str(uuid.uuid4()).upper(), hashlib.sha256(sys.argv[2].encode()).hexdigest(), int(time.time() * 1000)))
c.commit()
PY
    if [ "$traffic" = feed ]; then
        "$BIN" dossiers generate --count "$FEED_COUNT" --year 2026 --out "$DIR/all.csv"
        python3 scripts/dossier_feed.py "$DIR/all.csv" "$FEED_CUT" "$DIR/dossiers.csv" "$DIR/more.csv" "$STEADY"
        rm "$DIR/all.csv"
    else
        "$BIN" dossiers generate --count "$COUNT" --year 2026 --out "$DIR/dossiers.csv"
        "$BIN" dossiers generate --count $((STEADY * 5000)) --start "$COUNT" --year 2026 --seed 767 --out "$DIR/more.csv"
    fi
    "$BIN" dossiers import "$DIR/dossiers.csv" 2>/dev/null
    cp "$DIR/thidua.sqlite" "$DIR/pristine.sqlite"
fi
echo "traffic $traffic: $(( $(wc -l < "$DIR/dossiers.csv") - 1 )) dossiers stored"
for run in $(seq 1 "$RUNS"); do
  for mode in sequential together steady; do
    rm -f "$DIR"/thidua.sqlite-wal "$DIR"/thidua.sqlite-shm
    cp "$DIR/pristine.sqlite" "$DIR/thidua.sqlite"
    sync  # the copy's dirty pages would otherwise be written back during the first batch, beside its fsyncs
    "$BIN" serve --hostname 127.0.0.1 --port "$PORT" --log error >/dev/null 2>&1 &
    SERVER=$!
    for _ in $(seq 1 600); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
    CPU0=$(awk '{print $14 + $15}' "/proc/$SERVER/stat")
    python3 - "$DIR/more.csv" "http://127.0.0.1:$PORT" "$SECRET" "$traffic run $run" "$mode" <<'PY'
import sys, threading, time
sys.path.insert(0, "scripts")
from dossier_api import batches, call
base, token, run, mode = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
bodies = batches(sys.argv[1])
if mode != "steady": bodies = bodies[:2]
answers = {}
def post(i):
    n, body = bodies[i]
    rep, timing, seconds = call(base, token, "POST", "/api/v1/dossiers", body)
    assert rep["inserted"] + rep["updated"] == n and not rep["keptAside"], rep
    answers[i] = (seconds, timing, rep["updated"])
t0 = time.monotonic()
if mode != "together":
    for i in range(len(bodies)): post(i)
else:  # both batches sent at once, as two one-stop systems might
    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(bodies))]
    for th in threads: th.start()
    for th in threads: th.join()
    assert len(answers) == len(bodies), "a batch failed"
total = time.monotonic() - t0
for i in sorted(answers):
    print(f"{run} {mode} batch {i + 1}: {answers[i][0]:.3f} s, {answers[i][2]} updates  phases (ms): {answers[i][1]}")
if mode == "steady":
    pairs = [answers[i][0] + answers[i + 1][0] for i in range(0, len(bodies) - 1, 2)]
    print(f"{run} {mode}: {len(bodies)} × 5,000 in {total:.3f} s, {total * 2 / len(bodies):.3f} s per 10,000 "
          f"(pairs of batches: {min(pairs):.3f}–{max(pairs):.3f} s)")
else:
    print(f"{run} {mode}: 2 × 5,000 in {total:.3f} s")
PY
    echo "$traffic run $run $mode: server CPU $(( $(awk '{print $14 + $15}' "/proc/$SERVER/stat") - CPU0 )) ticks of $(getconf CLK_TCK)/s"
    kill -INT "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
  done
done
done
