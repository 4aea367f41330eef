#!/usr/bin/env bash
# The one command that runs every test of ThiDua:
#   1. system packages (PostgreSQL 15, Chromium, fonts) when missing, and the Python venv for the browser suite
#   2. swift build --build-tests
#   3. swift test on SQLite
#   4. swift test on a throwaway PostgreSQL 15 (each test in its own schema; includes the multi-server test)
#   5. the dossier tallies against an independent DuckDB computation (scripts/duckdb-indicators.py), then the
#      browser suite (Playwright + axe) against the debug binary with the demo province loaded, then the JSON API
#      against its OpenAPI document (schemathesis)
#
# Works on a fresh Debian 12 machine as root, and again on a machine where everything is installed.
# Everything it starts (PostgreSQL, the app server) is stopped on exit, pass or fail.
#
# Environment:
#   SKIP_SQLITE=1         skip the SQLite stage (to iterate on the other stages)
#   SKIP_PG=1             skip the PostgreSQL stage
#   SKIP_BROWSER=1        skip the browser stage
#   UPDATE_SCREENSHOTS=1  the browser suite also writes docs/screenshots/*.png
#   THIDUA_TEST_PG_PORT   port of the throwaway PostgreSQL (55432)
#   THIDUA_TEST_APP_PORT  port of the app server for the browser suite (18080)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

PG_BIN=/usr/lib/postgresql/15/bin
PG_PORT=${THIDUA_TEST_PG_PORT:-55432}
APP_PORT=${THIDUA_TEST_APP_PORT:-18080}
APP_BIN="$ROOT/.build/debug/thidua"
CHROMIUM=/usr/bin/chromium
SKIP_SQLITE=${SKIP_SQLITE:-0}
SKIP_PG=${SKIP_PG:-0}
SKIP_BROWSER=${SKIP_BROWSER:-0}
UPDATE_SCREENSHOTS=${UPDATE_SCREENSHOTS:-0}

PG_DIR=""
PG_STARTED=0
APP_DIR=""
SERVER_PID=""
STAGE="start"
START_TIME=$SECONDS

banner() {
    STAGE="$*"
    printf '\n========================================================================\n'
    printf '==== %s   (+%ss)\n' "$*" "$((SECONDS - START_TIME))"
    printf '========================================================================\n'
}

as_postgres() {
    # PostgreSQL refuses to run as root: as root, run the command as the "postgres" user.
    if [[ $EUID -eq 0 ]]; then
        (cd / && su postgres -s /bin/sh -c "$1")
    else
        sh -c "$1"
    fi
}

cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null
        for _ in $(seq 1 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.2
        done
        kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
    if [[ $rc -ne 0 && -n $APP_DIR && -s $APP_DIR/server.log ]]; then
        echo "---- last lines of the app server log ----"
        tail -n 60 "$APP_DIR/server.log"
    fi
    if [[ $PG_STARTED -eq 1 ]]; then
        if [[ $rc -ne 0 && -s $PG_DIR/server.log ]]; then
            echo "---- last lines of the PostgreSQL log ----"
            tail -n 30 "$PG_DIR/server.log"
        fi
        as_postgres "$PG_BIN/pg_ctl -D '$PG_DIR' -m fast -w stop" >/dev/null 2>&1 \
            || as_postgres "$PG_BIN/pg_ctl -D '$PG_DIR' -m immediate -w stop" >/dev/null 2>&1
    fi
    [[ -n $PG_DIR ]] && rm -rf "$PG_DIR"
    [[ -n $APP_DIR ]] && rm -rf "$APP_DIR"
    if [[ $rc -eq 0 ]]; then
        printf '\n==== All test stages passed (%ss)\n' "$((SECONDS - START_TIME))"
    else
        printf '\n==== FAILED during stage: %s (exit code %s, %ss)\n' "$STAGE" "$rc" "$((SECONDS - START_TIME))" >&2
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------------------
banner "1/5 Test dependencies"

need_apt=0
if [[ $SKIP_BROWSER != 1 ]] && ! command -v chromium >/dev/null 2>&1; then need_apt=1; fi
if [[ $SKIP_PG != 1 ]] && { ! command -v pg_ctlcluster >/dev/null 2>&1 || [[ ! -x $PG_BIN/initdb ]]; }; then need_apt=1; fi
extra_pkgs=()
if [[ $SKIP_BROWSER != 1 ]]; then
    command -v curl >/dev/null 2>&1 || extra_pkgs+=(curl ca-certificates)
    # The year-end test opens the generated DOCX in a real reader: LibreOffice to PDF, poppler to read it back.
    command -v soffice >/dev/null 2>&1 || extra_pkgs+=(libreoffice-writer-nogui fonts-liberation)
    command -v pdftotext >/dev/null 2>&1 || extra_pkgs+=(poppler-utils)
    if ! command -v python3 >/dev/null 2>&1; then
        extra_pkgs+=(python3 python3-venv)
    elif ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
        extra_pkgs+=(python3-venv)
    fi
fi
if [[ $need_apt -eq 1 || ${#extra_pkgs[@]} -gt 0 ]]; then
    if [[ $EUID -ne 0 ]]; then
        echo "Missing system packages and not root: install postgresql chromium fonts-dejavu-core ${extra_pkgs[*]}" >&2
        exit 1
    fi
    echo "Installing Debian packages: postgresql chromium fonts-dejavu-core ${extra_pkgs[*]}"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        postgresql chromium fonts-dejavu-core "${extra_pkgs[@]}"
else
    echo "System packages present; apt skipped."
fi

if [[ $SKIP_BROWSER != 1 ]]; then
    if [[ ! -x .venv/bin/python ]] || ! .venv/bin/python -c 'import sys' >/dev/null 2>&1; then
        echo "Creating Python venv at .venv"
        rm -rf .venv
        python3 -m venv .venv
    fi
    .venv/bin/python -m pip install -q --disable-pip-version-check -r tests/browser/requirements.txt
    echo "Python venv ready: $(.venv/bin/python --version)"
fi

# ---------------------------------------------------------------------------------------------------------
banner "2/5 swift build --build-tests"
swift build --build-tests

# ---------------------------------------------------------------------------------------------------------
if [[ $SKIP_SQLITE == 1 ]]; then
    banner "3/5 swift test (SQLite) — skipped (SKIP_SQLITE=1)"
else
    banner "3/5 swift test (SQLite)"
    env -u THIDUA_TEST_DATABASE_URL -u DATABASE_URL swift test --skip-build
fi

# ---------------------------------------------------------------------------------------------------------
if [[ $SKIP_PG == 1 ]]; then
    banner "4/5 swift test (PostgreSQL) — skipped (SKIP_PG=1)"
else
    banner "4/5 swift test (PostgreSQL 15 on port $PG_PORT)"
    PG_DIR=$(mktemp -d /tmp/thidua-pg.XXXXXX)
    if [[ $EUID -eq 0 ]]; then
        # mktemp made it 0700 root; hand it to postgres (same as `install -d -o postgres -m 700`).
        chown postgres:postgres "$PG_DIR"
    fi
    chmod 700 "$PG_DIR"
    as_postgres "$PG_BIN/initdb -D '$PG_DIR' -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
    # Throwaway cluster: durability is not needed, speed is.
    as_postgres "$PG_BIN/pg_ctl -D '$PG_DIR' -l '$PG_DIR/server.log' -w -t 60 \
        -o \"-p $PG_PORT -k '$PG_DIR' -c listen_addresses=127.0.0.1 -c max_connections=200 \
            -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start"
    PG_STARTED=1
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres thidua_test
    env -u DATABASE_URL \
        THIDUA_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/thidua_test" \
        swift test --skip-build
fi

# ---------------------------------------------------------------------------------------------------------
if [[ $SKIP_BROWSER == 1 ]]; then
    banner "5/5 Browser suite — skipped (SKIP_BROWSER=1)"
    exit 0
fi
banner "5/5 Browser suite (Playwright + axe, Chromium)"
[[ -x $APP_BIN ]] || swift build --product thidua
[[ -x $APP_BIN ]] || { echo "No app binary at $APP_BIN" >&2; exit 1; }
[[ -x $CHROMIUM ]] || { echo "No Chromium at $CHROMIUM" >&2; exit 1; }
APP_DIR=$(mktemp -d /tmp/thidua-e2e.XXXXXX)
mkdir -p "$APP_DIR/data"

app() {
    # SQLite in the temp data dir, whatever DATABASE_URL the caller's shell has; no stdin, so nothing can prompt.
    env -u DATABASE_URL THIDUA_DATA_DIR="$APP_DIR/data" THIDUA_BCRYPT_COST=4 "$APP_BIN" "$@" </dev/null
}

echo "-- migrate"
app migrate --yes
echo "-- demo province"
app demo --no-passwords
echo "-- dossier tallies against an independent computation (DuckDB, from docs/procedures.md)"
mkdir -p "$APP_DIR/check"
cp "$APP_DIR/data/thidua.sqlite" "$APP_DIR/check/"
.venv/bin/python - "$APP_DIR/check/thidua.sqlite" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for t in ("dossiers", "dossier_tally_histograms", "dossier_tallies", "dossier_unit_tallies"): c.execute("DELETE FROM " + t)
c.commit()
PY
env -u DATABASE_URL THIDUA_DATA_DIR="$APP_DIR/check" "$APP_BIN" dossiers generate --count 20000 --year 2026 --seed 11 --out "$APP_DIR/check/d.csv" </dev/null
# Batches of 3,000 so that several are read and checked while the previous one is stored.
env -u DATABASE_URL THIDUA_DATA_DIR="$APP_DIR/check" "$APP_BIN" dossiers import "$APP_DIR/check/d.csv" --batch 3000 </dev/null 2>/dev/null
.venv/bin/python scripts/duckdb-indicators.py "$APP_DIR/check/thidua.sqlite" "$APP_DIR/check/d.csv" --compare
echo "-- a bad row in an import's second batch stops it there: the first batch stays, nothing of the second"
env -u DATABASE_URL THIDUA_DATA_DIR="$APP_DIR/check" "$APP_BIN" dossiers generate --count 4000 --start 20000 --year 2026 --seed 12 --out "$APP_DIR/check/more.csv" </dev/null
.venv/bin/python - "$APP_DIR/check/more.csv" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
cells = lines[3002].split(",")  # data row 3,002 (line 3,003 of the file): in the second batch of 2,000
cells[4] = "31/02/2026 08:00"
lines[3002] = ",".join(cells)
open(sys.argv[1], "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY
if env -u DATABASE_URL THIDUA_DATA_DIR="$APP_DIR/check" "$APP_BIN" dossiers import "$APP_DIR/check/more.csv" --batch 2000 </dev/null >"$APP_DIR/check/bad.log" 2>&1; then
    echo "An import with a bad row succeeded." >&2; exit 1
fi
grep -q "dòng 3003" "$APP_DIR/check/bad.log" || { echo "The bad row's line is not reported:" >&2; cat "$APP_DIR/check/bad.log" >&2; exit 1; }
stored=$(env -u DATABASE_URL THIDUA_DATA_DIR="$APP_DIR/check" "$APP_BIN" dossiers count </dev/null)
[ "$stored" = 22000 ] || { echo "Expected 22000 dossiers after the stopped import, found $stored." >&2; exit 1; }
echo "-- test accounts"
app user create --username e2e.admin --password 'E2e-Admin-2026' --name 'Quản trị E2E' \
    --role system_admin --unit UBND
app user create --username e2e.officer --password 'E2e-Officer-2026' --name 'Cán bộ E2E' \
    --role unit_officer --unit SNV
app user create --username e2e.head --password 'E2e-Head-2026' --name 'Lãnh đạo Sở Nội vụ E2E' \
    --role unit_head --unit SNV
app user create --username e2e.cchc --password 'E2e-Cchc-2026' --name 'Phòng CCHC E2E' \
    --role reform_office --unit UBND
app user create --username e2e.appraiser --password 'E2e-Appraiser-2026' --name 'Thẩm định viên E2E' \
    --role appraiser --unit UBND
app user create --username e2e.council --password 'E2e-Council-2026' --name 'Thành viên Hội đồng E2E' \
    --role council_member --unit UBND
app user create --username e2e.xa --password 'E2e-Xa-2026' --name 'Cán bộ Xã Tân Phong E2E' \
    --role unit_officer --unit XTP

API_TOKEN=$(app dossiers token --name "Schemathesis (kiểm thử API)" 2>/dev/null | tail -n 1)
[[ $API_TOKEN == tdk_* ]] || { echo "Could not create an API token for the API check." >&2; exit 1; }

echo "-- starting the app server on 127.0.0.1:$APP_PORT"
env -u DATABASE_URL THIDUA_DATA_DIR="$APP_DIR/data" THIDUA_PORT="$APP_PORT" THIDUA_BCRYPT_COST=4 \
    "$APP_BIN" serve --hostname 127.0.0.1 --port "$APP_PORT" </dev/null >"$APP_DIR/server.log" 2>&1 &
SERVER_PID=$!
ready=0
for _ in $(seq 1 60); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "The app server exited before it was ready." >&2
        exit 1
    fi
    if curl -fsS -o /dev/null "http://127.0.0.1:$APP_PORT/healthz" 2>/dev/null; then
        ready=1
        break
    fi
    sleep 1
done
[[ $ready -eq 1 ]] || { echo "The app server did not answer /healthz within 60 s." >&2; exit 1; }
echo "App server ready (pid $SERVER_PID)."

# The plans test starts a second server on the same database with a moved clock (THIDUA_TODAY).
pytest_env=(THIDUA_URL="http://127.0.0.1:$APP_PORT" CHROMIUM_PATH="$CHROMIUM" THIDUA_BIN="$APP_BIN" THIDUA_E2E_DATA_DIR="$APP_DIR/data")
if [[ $UPDATE_SCREENSHOTS == 1 ]]; then
    mkdir -p "$ROOT/docs/screenshots"
    pytest_env+=(SCREENSHOT_DIR="$ROOT/docs/screenshots")
else
    pytest_env+=(SCREENSHOT_DIR=)
fi
env "${pytest_env[@]}" .venv/bin/pytest -q -p no:cacheprovider tests/browser

echo "-- the JSON API against its OpenAPI document (schemathesis; docs/procedures.md says which checks and why)"
.venv/bin/schemathesis run docs/openapi.json --url "http://127.0.0.1:$APP_PORT" \
    -H "Authorization: Bearer $API_TOKEN" --checks all --exclude-checks positive_data_acceptance \
    --max-examples 100 --seed 766 --no-color --output-truncate true
