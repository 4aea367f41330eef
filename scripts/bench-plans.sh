#!/usr/bin/env bash
# Benchmark of the follow-up pages (issue 4): 3,300 communes × 40 tasks (132,000 tasks in issued plans), release
# build, embedded SQLite, wrk with 50 connections. Measures a commune officer's home page (with its follow-up
# panel) and the province's overdue list (first page of 100, as the reform office); the baseline is a static file
# of the home page's size served by the same server in the same run. Figures → docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
[ "${SKIP_BUILD:-0}" = 1 ] || swift build -c release --product thidua
BIN=$PWD/.build/release/thidua
DIR=$(mktemp -d)
PORT=${PORT:-18182}
DURATION=${DURATION:-20s}
UNITS=${UNITS:-3300}
TASKS=${TASKS:-40}
export THIDUA_TODAY=${THIDUA_TODAY:-15/09/2026}
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DIR"' EXIT
start=$SECONDS
SEED=$(THIDUA_DATA_DIR=$DIR THIDUA_BCRYPT_COST=4 LOG_LEVEL=error "$BIN" plans seed-benchmark --units "$UNITS" --tasks "$TASKS")
echo "$SEED" | grep -v cookie
echo "seeded in $((SECONDS - start)) s"
OFFICER=$(echo "$SEED" | sed -n 's/^officer_cookie=//p')
OFFICE=$(echo "$SEED" | sed -n 's/^office_cookie=//p')
mkdir -p "$DIR/static"
THIDUA_DATA_DIR=$DIR THIDUA_STATIC_DIR=$DIR/static "$BIN" serve --hostname 127.0.0.1 --port "$PORT" --log error >/dev/null 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
HOME_URL="http://127.0.0.1:$PORT/"
OVERDUE_URL="http://127.0.0.1:$PORT/followup/overdue"
curl -fsS -H "Cookie: $OFFICER" "$HOME_URL" -o "$DIR/static/home.html"
curl -fsS -H "Cookie: $OFFICE" "$OVERDUE_URL" -o "$DIR/overdue.html"
grep -q "Xã Thử nghiệm" "$DIR/overdue.html" || { echo "the overdue list is not the signed-in page" >&2; exit 1; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "home page bytes: $(wc -c < "$DIR/static/home.html"), overdue page bytes: $(wc -c < "$DIR/overdue.html"), overdue rows: $(grep -o '<tr>' "$DIR/overdue.html" | wc -l)"
wrk -t2 -c50 -d5s -H "Cookie: $OFFICER" "$HOME_URL" >/dev/null  # warm-up
# The issue names no concurrency: 10 connections (a busy morning at a province's reform office) and 50 (issue 3's load).
for c in ${CONNECTIONS:-10 50}; do
  echo "== $c connections"
  echo "unit officer's home page:"; wrk -t2 -c"$c" -d"$DURATION" -H "Cookie: $OFFICER" -s scripts/wrk-report.lua "$HOME_URL" | grep RESULT
  echo "province overdue list:"; wrk -t2 -c"$c" -d"$DURATION" -H "Cookie: $OFFICE" -s scripts/wrk-report.lua "$OVERDUE_URL" | grep RESULT
  echo "static file of the home page's size:"; wrk -t2 -c"$c" -d"$DURATION" -s scripts/wrk-report.lua "http://127.0.0.1:$PORT/home.html" | grep RESULT
done
# The province's progress report for the whole year (one request each, as the reform office would open it).
for f in "" /xlsx /csv; do
  echo "province year report${f:- (page)}: $(curl -fsS -o /dev/null -H "Cookie: $OFFICE" -w '%{time_total}s %{size_download} bytes' "http://127.0.0.1:$PORT/followup/report$f?year=2026&period=year")"
done
echo "server memory after the reports: $(ps -o rss= -p "$SERVER" | xargs) KiB"
