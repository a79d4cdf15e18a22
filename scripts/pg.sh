#!/usr/bin/env bash
# A throwaway PostgreSQL server for quanze's storage tests and benches.
#
#   scripts/pg.sh start    install PostgreSQL (Debian packages) if missing, create a cluster
#                          under target/pg, start it on 127.0.0.1:54329, create role and
#                          database, print `export QUANZE_TEST_POSTGRES_URL=...`
#   scripts/pg.sh stop     stop it (the cluster stays for the next start)
#   scripts/pg.sh status   exit 0 when running
#   scripts/pg.sh url      print the URL
#   scripts/pg.sh clean    stop and delete the cluster
#
# Idempotent: `start` on a running server only prints the export line.
# Use:  eval "$(scripts/pg.sh start | grep '^export ')"
# Env:  QUANZE_PG_DIR (default <repo>/target/pg), QUANZE_PG_PORT (default 54329).
# Everything but the export line goes to stderr.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${QUANZE_PG_DIR:-$root/target/pg}
port=${QUANZE_PG_PORT:-54329}
user=quanze
password=quanze
db=quanze_test
url="postgres://$user:$password@127.0.0.1:$port/$db"

say() { echo "pg.sh: $*" >&2; }

find_bindir() {
    # The newest installed major version (sort -V: 9.6 < 15 < 16).
    local best
    best=$(for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && echo "$d"; done | sort -V | tail -n1)
    if [ -z "$best" ] && command -v initdb >/dev/null 2>&1; then
        best=$(dirname "$(readlink -f "$(command -v initdb)")")
    fi
    echo "$best"
}

bindir=$(find_bindir)

install_postgres() {
    if [ "$(id -u)" != 0 ]; then
        say "PostgreSQL is not installed and this is not root: run 'apt-get install postgresql' first"
        exit 1
    fi
    say "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    bindir=$(find_bindir)
    if [ -z "$bindir" ]; then
        say "postgresql installed but no initdb found under /usr/lib/postgresql/*/bin"
        exit 1
    fi
}

# Run a command as the cluster's owner: postgres when we are root (initdb refuses root).
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        # From /, which postgres can always enter (the repository may be private to root).
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

data=""
sock=""
set_paths() {
    data="$dir/data"
    sock="$dir/sock"
}
set_paths

pg_running() {
    [ -n "$bindir" ] && [ -f "$data/PG_VERSION" ] && as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
}

psql_admin() {
    as_owner "$bindir/psql" -h "$sock" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
}

ensure_role_and_db() {
    psql_admin -c "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$user') THEN
            CREATE ROLE $user LOGIN PASSWORD '$password' CREATEDB;
        END IF; END \$\$;" >&2
    if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
        psql_admin -c "CREATE DATABASE $db OWNER $user" >&2
    fi
}

# Another cluster (say, from another clone of the repository) already serving the port: use
# it when our role and database answer there, rather than failing to bind.
port_taken_by_usable_server() {
    "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" >/dev/null 2>&1 || return 1
    PGPASSWORD=$password PGCONNECT_TIMEOUT=5 "$bindir/psql" -h 127.0.0.1 -p "$port" -U "$user" -d "$db" \
        -qAt -c "SELECT 1" >/dev/null 2>&1
}

start() {
    if [ -z "$bindir" ]; then
        install_postgres
    fi
    if ! pg_running && port_taken_by_usable_server; then
        say "a server on 127.0.0.1:$port already has role $user and database $db; using it"
        echo "export QUANZE_TEST_POSTGRES_URL=$url"
        return 0
    fi
    if ! pg_running; then
        if [ "$(id -u)" = 0 ]; then
            id postgres >/dev/null 2>&1 || { say "no 'postgres' user to own the cluster"; exit 1; }
            mkdir -p "$dir"
            # The owner must reach the cluster directory; fall back to /tmp when it cannot.
            if ! runuser -u postgres -- test -w "$dir" 2>/dev/null; then
                chown postgres: "$dir" 2>/dev/null || true
            fi
            if ! runuser -u postgres -- test -w "$dir" 2>/dev/null; then
                dir="/tmp/quanze-pg-$port"
                say "postgres cannot write under the repository; using $dir"
                set_paths
                mkdir -p "$dir"
                chown postgres: "$dir"
            fi
        else
            mkdir -p "$dir"
        fi
        as_owner mkdir -p "$sock"
        if [ ! -f "$data/PG_VERSION" ]; then
            say "creating a cluster in $data"
            as_owner "$bindir/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
                --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 || {
                cat "$dir/initdb.log" >&2
                exit 1
            }
        fi
        say "starting PostgreSQL ($bindir) on 127.0.0.1:$port"
        as_owner "$bindir/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$sock' -c max_connections=200" \
            start >&2 || {
            tail -n 30 "$dir/server.log" >&2 || true
            exit 1
        }
    fi
    ensure_role_and_db
    echo "export QUANZE_TEST_POSTGRES_URL=$url"
}

# The cluster may have been moved to /tmp by start (see above).
locate() {
    if [ ! -f "$data/PG_VERSION" ] && [ -z "${QUANZE_PG_DIR:-}" ] && [ -f "/tmp/quanze-pg-$port/data/PG_VERSION" ]; then
        dir="/tmp/quanze-pg-$port"
        set_paths
    fi
}

stop() {
    locate
    if pg_running; then
        as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >&2
    else
        say "not running"
    fi
}

case "${1:-}" in
    start) locate; start ;;
    stop) stop ;;
    status) locate; if pg_running; then say "running on 127.0.0.1:$port ($data)"; else say "not running"; exit 1; fi ;;
    url) echo "$url" ;;
    clean) stop; locate; rm -rf "$dir" ;;
    *)
        echo "usage: scripts/pg.sh start|stop|status|url|clean" >&2
        exit 2
        ;;
esac
