#!/usr/bin/env bash
# Everything CI checks, in order (run through `make test`):
#   1. install           `make install`: virtualenv, Python packages, front-end assets, compiled translations
#   2. system packages   Chromium and the PostgreSQL server, installed with apt-get when missing and we are root
#   3. ruff              `ruff check .`
#      pip-audit         the pinned packages of requirements.lock against PyPI's vulnerability data (skipped with a
#                        banner, also in CI, when that service cannot be reached: nothing was checked then)
#   4. migrations        `kompetansebro makemigrations --check --dry-run`: no model change lacks a migration
#   5. pytest, SQLite    the whole suite except browser tests, in parallel (pytest-xdist)
#   6. browser, SQLite   tests marked `browser` (headless Chromium against live_server), one process
#   7. pytest, PostgreSQL the whole suite except browser tests (they ran in 6) on a throw-away cluster, or on
#                        the server DATABASE_URL names when it is a PostgreSQL URL
# Every phase runs even when an earlier one failed (except install), so one CI run shows every problem;
# the summary at the end gives each phase's time and result. Exit status 1 when anything failed.
#
# Missing Chromium or PostgreSQL that cannot be installed is skipped with a loud banner on a developer's
# machine, and is a failure in CI (CI=true). A pytest run that runs no test is a failure too.
#
# Environment: PYTEST_WORKERS (default auto), PYTEST_ARGS (added to every pytest run, e.g. "-k matching"),
# CHROMIUM (default /usr/bin/chromium), DATABASE_URL (see 7), PG_BIN (PostgreSQL bin folder).
set -uo pipefail
cd "$(dirname "$0")/.."

MAKE=${MAKE:-make}
BIN=.venv/bin
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
WORKERS=${PYTEST_WORKERS:-auto}
read -r -a EXTRA <<<"${PYTEST_ARGS:-}"
PYTEST=("$BIN/pytest" -ra --durations=5 "${EXTRA[@]}")
in_ci=false
[[ ${CI:-} == true || ${CI:-} == 1 ]] && in_ci=true

summary=()
skipped=()
failed=0
started=$SECONDS

banner() {
    local line='##########################################################################################'
    printf '\n%s\n' "$line"
    printf '###  %s\n' "$@"
    printf '%s\n\n' "$line"
}

finish() {
    local total=$((SECONDS - started))
    printf '\n=== make test summary\n'
    printf '  %s\n' "${summary[@]}"
    for item in "${skipped[@]}"; do printf '  SKIPPED: %s\n' "$item"; done
    printf '  %-52s %5ss  (%dm%02ds)\n' "total" "$total" $((total / 60)) $((total % 60))
    if [[ $failed -ne 0 ]]; then
        banner "make test FAILED (see the phases above)"
    elif [[ ${#skipped[@]} -gt 0 ]]; then
        banner "make test passed, BUT SKIPPED:" "${skipped[@]}"
    else
        printf '\nmake test passed.\n'
    fi
}
trap finish EXIT
trap 'failed=1; exit 130' INT TERM

# phase NAME COMMAND [ARGS ...]: run and time one phase, record its result.
phase() {
    local name=$1 t0=$SECONDS status result
    shift
    printf '\n=== %s\n' "$name"
    "$@"
    status=$?
    if [[ $status -eq 0 ]]; then result=ok; else result="FAILED (exit $status)"; failed=1; fi
    summary+=("$(printf '%-52s %5ss  %s' "$name" $((SECONDS - t0)) "$result")")
    return $status
}

# pytest_status STATUS WHAT: a run that ran no test (pytest exit 5) is a failure.
pytest_status() {
    if [[ $1 -eq 5 ]]; then
        banner "FAILED: $2 ran no test"
    fi
    return "$1"
}

sqlite_suite() {
    env -u DATABASE_URL "${PYTEST[@]}" -n "$WORKERS" -m "not browser"
    pytest_status $? "pytest on SQLite"
}

sqlite_browser() {
    env -u DATABASE_URL "${PYTEST[@]}" -p no:xdist -m browser
    local status=$?
    if [[ $status -eq 5 ]]; then
        echo "(no test is marked browser yet)"
        return 0
    fi
    return $status
}

postgres_suite() {
    echo "(browser tests are left out here: they ran against SQLite)"
    scripts/with-postgres.sh "${PYTEST[@]}" -n "$WORKERS" -m "not browser"
    pytest_status $? "pytest on PostgreSQL"
}

# --- 1. install: nothing else can run without it
phase "install (make install)" "$MAKE" --no-print-directory install || exit 1

# --- 2. system packages
have_postgres_url=false
case "${DATABASE_URL:-}" in postgres://* | postgresql://* | pgsql://*) have_postgres_url=true ;; esac
system_packages() {
    local wanted=("chromium=$CHROMIUM")
    if [[ -n ${PG_BIN:-} ]]; then
        wanted+=("postgresql=$PG_BIN/initdb")
    elif [[ $have_postgres_url == false ]]; then
        wanted+=("postgresql=/usr/lib/postgresql/*/bin/initdb")
    fi
    scripts/apt-ensure.sh "${wanted[@]}"
    [[ -x $CHROMIUM ]] && echo "chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    return 0
}
phase "system packages (chromium, postgresql)" system_packages
have_chromium=false
[[ -x $CHROMIUM ]] && have_chromium=true
have_postgres=$have_postgres_url
if [[ $have_postgres == false ]]; then
    if [[ -n ${PG_BIN:-} ]]; then
        [[ -x $PG_BIN/initdb ]] && have_postgres=true
    else
        compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && have_postgres=true
    fi
fi
missing() {  # missing WHAT: a skip on a developer's machine, a failure in CI
    if [[ $in_ci == true ]]; then
        banner "FAILED: $1 (CI=true: nothing may be skipped)"
        summary+=("$(printf '%-52s %5s   %s' "$1" "" "FAILED (missing in CI)")")
        failed=1
    else
        banner "SKIPPED: $1"
        skipped+=("$1")
    fi
}

# --- 3.-4. static checks
phase "ruff check" "$BIN/ruff" check .
audit_dependencies() {
    "$BIN/python" scripts/audit_dependencies.py
    local status=$?
    if [[ $status -eq 3 ]]; then
        banner "SKIPPED: pip-audit could not reach PyPI's vulnerability data; no package was audited"
        skipped+=("pip-audit (no vulnerability data reachable)")
        return 0
    fi
    return $status
}
phase "pip-audit (requirements.lock)" audit_dependencies
phase "makemigrations --check" env DATABASE_URL='sqlite://:memory:' \
    "$BIN/kompetansebro" makemigrations --check --dry-run

# --- 5.-7. the test suite
phase "pytest, SQLite (-n $WORKERS, not browser)" sqlite_suite
if [[ $have_chromium == true ]]; then
    phase "pytest, SQLite, browser tests (Chromium)" sqlite_browser
else
    missing "browser tests (no $CHROMIUM)"
fi
if [[ $have_postgres == true ]]; then
    phase "pytest, PostgreSQL (-n $WORKERS, not browser)" postgres_suite
else
    missing "PostgreSQL run (no server, no DATABASE_URL)"
fi

exit $failed
