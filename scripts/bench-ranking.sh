#!/usr/bin/env bash
# Benchmark of the public PAR Index ranking page (issue 3): 3,300 ranked units stored, one group of ~100 rows,
# 50 concurrent connections with wrk, release build, embedded SQLite; the baseline is a static file of the same
# size served by the same server in the same run. Also times the full ranking export. Figures → docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
[ "${SKIP_BUILD:-0}" = 1 ] || swift build -c release --product thidua
BIN=$PWD/.build/release/thidua
DIR=$(mktemp -d)
PORT=${PORT:-18181}
DURATION=${DURATION:-20s}
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
CYCLE=$(THIDUA_DATA_DIR=$DIR LOG_LEVEL=error "$BIN" index seed-benchmark --units 3300 --groups 34 | sed -n 's/^cycle=//p')
mkdir -p "$DIR/static"
THIDUA_DATA_DIR=$DIR THIDUA_STATIC_DIR=$DIR/static "$BIN" serve --hostname 127.0.0.1 --port "$PORT" --log error >/dev/null 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
GROUP=$(python3 -c 'import urllib.parse; print(urllib.parse.quote("Cụm thi đua số 7"))')
PAGE="http://127.0.0.1:$PORT/public/index/$CYCLE?group=$GROUP&page=1"
curl -fsS "$PAGE" -o "$DIR/static/page.html"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "page bytes: $(wc -c < "$DIR/static/page.html"), rows: $(grep -o '<tr>' "$DIR/static/page.html" | wc -l)"
wrk -t2 -c50 -d5s "$PAGE" >/dev/null  # warm-up
echo "ranking page:"; wrk -t2 -c50 -d"$DURATION" -s scripts/wrk-report.lua "$PAGE" | grep RESULT
echo "static file of the same size:"; wrk -t2 -c50 -d"$DURATION" -s scripts/wrk-report.lua "http://127.0.0.1:$PORT/page.html" | grep RESULT
for f in csv xlsx; do
  echo "full ranking export ($f): $(curl -fsS -o /dev/null -w '%{time_total}s %{size_download} bytes' "http://127.0.0.1:$PORT/public/index/$CYCLE/export/$f")"
done
