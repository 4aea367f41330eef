#!/usr/bin/env bash
# Benchmark of the satisfaction surveys (issue 5), release build, embedded SQLite:
#   1. the machine's raw SQLite rate for one durable insert per transaction (the baseline, same run);
#   2. the raw export (one row per answer, streamed CSV) of a campaign holding RESPONSES answers (a province's
#      year: 200,000), its time and the server's memory growth while it runs;
#   3. sustained public submissions through HTTP (wrk, 50 connections, every request another phone and another
#      submission key), checked against the rows actually committed.
# Figures → docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
[ "${SKIP_BUILD:-0}" = 1 ] || swift build -c release --product thidua
BIN=$PWD/.build/release/thidua
DIR=$(mktemp -d)
PORT=${PORT:-18183}
DURATION=${DURATION:-30s}
RESPONSES=${RESPONSES:-200000}
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(df -T "$DIR" | awk 'NR==2{print $2}') at $DIR"

start=$SECONDS
SEED=$(THIDUA_DATA_DIR=$DIR THIDUA_BCRYPT_COST=4 LOG_LEVEL=error "$BIN" surveys seed-benchmark --units 100 --responses "$RESPONSES")
echo "$SEED" | grep -v cookie
echo "seeded in $((SECONDS - start)) s"
OFFICE=$(echo "$SEED" | sed -n 's/^office_cookie=//p')
CAMPAIGN=$(echo "$SEED" | sed -n 's/^campaign=//p')
TOKEN=$(echo "$SEED" | sed -n 's/^token=//p')

echo "== 1. baseline"
python3 scripts/sqlite-durable-baseline.py "$DIR" "${BASELINE_SECONDS:-10}"

THIDUA_DATA_DIR=$DIR "$BIN" serve --hostname 127.0.0.1 --port "$PORT" --log error >/dev/null 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

echo "== 2. export of every answer (CSV, streamed), before any submission: exactly the seeded responses"
rss() { awk '/VmRSS/{print $2}' "/proc/$SERVER/status"; }
base=$(rss); peak=$base
( while kill -0 $SERVER 2>/dev/null; do r=$(rss); echo "$r"; sleep 0.05; done ) > "$DIR/rss.log" &
SAMPLER=$!
T=$(curl -fsS -o "$DIR/export.csv" -H "Cookie: $OFFICE" -w '%{time_total}' "http://127.0.0.1:$PORT/surveys/campaigns/$CAMPAIGN/export/responses.csv")
kill $SAMPLER 2>/dev/null || true
peak=$(sort -n "$DIR/rss.log" | tail -1)
echo "export: ${T}s, $(wc -c < "$DIR/export.csv") bytes, $(($(wc -l < "$DIR/export.csv") - 1)) answer rows of $RESPONSES responses"
echo "server RSS before ${base} KiB, peak during export ${peak} KiB, growth $(( (peak - base) / 1024 )) MiB"

echo "== 3. submissions through HTTP"
curl -fsS -c "$DIR/jar" "http://127.0.0.1:$PORT/s/$TOKEN" -o "$DIR/form.html"
CSRF=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' "$DIR/form.html" | head -1)
COOKIE="thidua_csrf=$(awk '$6=="thidua_csrf"{print $7}' "$DIR/jar")"
before=$(THIDUA_DATA_DIR=$DIR "$BIN" surveys count --campaign "$CAMPAIGN" 2>/dev/null | tail -1)
export SURVEY_PATH="/s/$TOKEN" SURVEY_COOKIE="$COOKIE" SURVEY_CSRF="$CSRF"
SURVEY_RUN=warm wrk -t2 -c50 -d5s -s scripts/wrk-survey.lua "http://127.0.0.1:$PORT" >/dev/null  # warm-up
mid=$(THIDUA_DATA_DIR=$DIR "$BIN" surveys count --campaign "$CAMPAIGN" 2>/dev/null | tail -1)
OUT=$(SURVEY_RUN=run wrk -t2 -c50 -d"$DURATION" -s scripts/wrk-survey.lua "http://127.0.0.1:$PORT")
after=$(THIDUA_DATA_DIR=$DIR "$BIN" surveys count --campaign "$CAMPAIGN" 2>/dev/null | tail -1)
echo "$OUT" | grep -E "RESULT|Non-2xx|Socket errors" || true
echo "rows committed during the measured run: $((after - mid)) (warm-up: $((mid - before)))"

