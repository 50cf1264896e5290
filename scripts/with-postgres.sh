#!/usr/bin/env bash
# Run a command with DATABASE_URL pointing at a PostgreSQL server.
#
#   scripts/with-postgres.sh COMMAND [ARGS ...]
#
# When DATABASE_URL already names a PostgreSQL database it is used as it is. Otherwise a throw-away cluster
# is created in a temporary directory (initdb as the `postgres` user when we are root), listening only on
# 127.0.0.1 on a free port with `trust` authentication and durability switched off for speed; the database
# `kompetansebro_test` is created, DATABASE_URL exported, the command run, and the cluster stopped and deleted
# afterwards, also when the command fails or is interrupted. The command's exit status is returned.
set -euo pipefail

[[ $# -gt 0 ]] || { echo "usage: $0 COMMAND [ARGS ...]" >&2; exit 2; }

case "${DATABASE_URL:-}" in
    postgres://* | postgresql://* | pgsql://*)
        echo ">>> using the PostgreSQL server from DATABASE_URL"
        exec "$@"
        ;;
esac

pg_bin=${PG_BIN:-}
if [[ -z $pg_bin ]]; then
    pg_bin=$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -n 1 || true)
    pg_bin=${pg_bin%/initdb}
fi
if [[ -z $pg_bin || ! -x $pg_bin/initdb ]]; then
    echo ">>> no PostgreSQL server binaries (apt-get install postgresql, or set PG_BIN)" >&2
    exit 1
fi

as_owner=()
if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || { echo ">>> root cannot run initdb and there is no 'postgres' user" >&2; exit 1; }
    as_owner=(runuser -u postgres --)
fi

tmp_base=${TMPDIR:-/tmp}
[[ ${#as_owner[@]} -gt 0 ]] && tmp_base=/tmp  # the postgres user must be able to reach it
tmp=$(mktemp -d "$tmp_base/kompetansebro-pg.XXXXXX")
[[ ${#as_owner[@]} -gt 0 ]] && chown postgres: "$tmp"
data=$tmp/data

cleanup() {
    local status=$?
    if [[ -f $data/postmaster.pid ]]; then
        "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
    echo ">>> throw-away PostgreSQL cluster stopped and removed"
    return $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

port=$("${PYTHON:-python3}" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

"${as_owner[@]}" "$pg_bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$tmp/initdb.log" 2>&1 \
    || { cat "$tmp/initdb.log" >&2; exit 1; }
options="-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
options+=" -c full_page_writes=off -c max_connections=50"
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data" -l "$tmp/server.log" -o "$options" -w -t 60 start >/dev/null \
    || { cat "$tmp/server.log" >&2; exit 1; }
"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres kompetansebro_test

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/kompetansebro_test"
echo ">>> throw-away PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') cluster in $data, DATABASE_URL=$DATABASE_URL"

# In the background so that a signal to this script stops it and removes the cluster at once (bash runs traps
# only between foreground commands); the command gets SIGTERM, as background commands ignore SIGINT.
set +e
"$@" <&0 &
child=$!
trap 'kill -TERM $child 2>/dev/null; wait $child; exit 130' INT
trap 'kill -TERM $child 2>/dev/null; wait $child; exit 143' TERM HUP
wait $child
