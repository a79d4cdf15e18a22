#!/usr/bin/env bash
# Acknowledged case actions per second over HTTP on loopback, for the README: a release
# server (crates/quanze-server/benches/http_actions.rs) on a new SQLite file, closed-loop
# clients (1, 8, 32), each action an `investigate` answered after its commit. Prints one
# table (actions/s, p50/p99/max latency) with the machine's load beside it.
#
#   scripts/http-bench.sh                                # SQLite, 5 s per run
#   SECS=10 CLIENTS=1,8,32,64 scripts/http-bench.sh
#   QUANZE_BENCH_PG=postgres://… scripts/http-bench.sh   # also PostgreSQL (a fresh schema;
#                                                        # QUANZE_TEST_POSTGRES_URL works too)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export QUANZE_HTTP_BENCH_SECS=${SECS:-5}
export QUANZE_HTTP_BENCH_CLIENTS=${CLIENTS:-1,8,32}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! cargo bench -q -p quanze-server --bench http_actions 2>"$log"; then
  cat "$log" >&2
  exit 1
fi
