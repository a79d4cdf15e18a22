#!/usr/bin/env bash
# Acknowledged case actions per second over HTTP on loopback, for the README: a release
# server (crates/quanze-server/benches/http_actions.rs) on a new SQLite file, closed-loop
# clients (1, 8, 32), each action an `investigate` answered after its commit. Prints one
# table (actions/s, p50/p99/max latency) with the machine's load beside it. About a minute
# per backend with the defaults.
#
#   scripts/http-bench.sh                                # SQLite, 5 s per run (builds first)
#   SECS=10 CLIENTS=1,8,32,64 scripts/http-bench.sh
#   QUANZE_BENCH_PG=postgres://… scripts/http-bench.sh   # also PostgreSQL (a fresh schema,
#                                                        # dropped at the end; QUANZE_TEST_POSTGRES_URL
#                                                        # works too)
#   BIN=path/to/http_actions-… scripts/http-bench.sh     # a prebuilt bench binary, no cargo
#   scripts/http-bench.sh --print-bin                    # build, print the binary's path, stop
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export QUANZE_HTTP_BENCH_SECS=${SECS:-5}
export QUANZE_HTTP_BENCH_CLIENTS=${CLIENTS:-1,8,32}
exe=${BIN:-}
if [ -z "$exe" ]; then
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  if ! out=$(cargo bench -p quanze-server --bench http_actions --no-run --message-format=json 2>"$log"); then
    cat "$log" >&2
    exit 1
  fi
  exe=$(printf '%s\n' "$out" | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
  if [ -z "$exe" ]; then
    echo "http-bench: cargo named no bench executable" >&2
    exit 1
  fi
fi
if [ "${1:-}" = "--print-bin" ]; then
  echo "$exe"
  exit 0
fi
exec "$exe"
