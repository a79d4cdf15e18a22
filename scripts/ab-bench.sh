#!/usr/bin/env bash
# A/B speed of two revisions on this machine: page and API throughput (wrk) and import time,
# measured in interleaved rounds so that a change in the machine's load falls on both sides.
# Each revision is checked out as a detached worktree under $AB_DIR/<short-rev> (kept and
# reused), release-built there (the server's `serve` example as scripts/load.sh uses it, the
# `quanze` CLI, and with CRITERION=1 the import criterion bench), and its binaries are copied
# to $AB_DIR/bin/<short-rev>/. The synthetic lists are generated once (the generator,
# quanze_import::synth, seed 7, as the import bench and `cargo xtask synth`) and read by both.
#
# Per round and revision (the first revision alternates between rounds): a server on a fresh
# temporary SQLite file (seeds loaded), a curl check that each URL answers 200, a 1 s warm-up
# and a wrk run per URL (req/s and p99 latency); then `quanze import` of the five seed lists
# (IMPORT_REPS times, milliseconds per run) and of the 100,000-item list (seconds), wall clock.
# Prints one table: per metric the median of A and of B, B/A, and each side's min–max, with
# the load (/proc/loadavg) at the start and the end. Figures depend on the machine and its
# load; only the ratio of interleaved runs is meant to be compared.
#
#   scripts/ab-bench.sh BASE_REV HEAD_REV              # build, then 5 rounds of 5 s per URL
#   SKIP_BUILD=1 scripts/ab-bench.sh 0eec767 45520f7   # reuse $AB_DIR/bin/<rev>/ (a rerun)
#   ROUNDS=0 scripts/ab-bench.sh A B                   # build only
#   IR=1 scripts/ab-bench.sh A B                       # then instruction counts (scripts/ab-ir.sh)
#   CRITERION=1 …                                      # also the criterion import bench, short
#
# Environment: AB_DIR (/work/ab), ROUNDS (5), DURATION (5s per URL), CONNS (32), THREADS (2),
# PORT (18189), IMPORT_REPS (20), ITEMS (100000), CARGO_TARGET_DIR for the builds (default
# $AB_DIR/target, shared by the revisions: the registry crates are built once; the workspace
# crates get the same file names in every checkout, so each revision's build replaces the
# other's, which is why the binaries are copied out; build one revision at a time).
# Needs git, cargo, curl, jq, wrk.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: scripts/ab-bench.sh BASE_REV HEAD_REV" >&2
  exit 2
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ab=${AB_DIR:-/work/ab}
rounds=${ROUNDS:-5}
duration=${DURATION:-5s}
conns=${CONNS:-32}
threads=${THREADS:-2}
port=${PORT:-18189}
reps=${IMPORT_REPS:-20}
items=${ITEMS:-100000}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ab/target}

for tool in git cargo curl jq wrk; do
  command -v "$tool" >/dev/null 2>&1 || { echo "ab-bench.sh: $tool is not installed" >&2; exit 2; }
done

short_a=$(git -C "$root" rev-parse --short=7 "$1^{commit}")
short_b=$(git -C "$root" rev-parse --short=7 "$2^{commit}")
mkdir -p "$ab/bin" "$ab/synth"

# Worktree and release binaries of one revision.
build_rev() {
  local short=$1 wt="$ab/$1" bin="$ab/bin/$1"
  if [ ! -d "$wt" ]; then
    git -C "$root" worktree add --detach "$wt" "$short" >/dev/null
  fi
  echo "building $short in $wt (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)" >&2
  (
    cd "$wt"
    cargo build --release --locked -q -p quanze-server --example serve
    cargo build --release --locked -q -p quanze-cli
    mkdir -p "$bin"
    cp "$CARGO_TARGET_DIR/release/examples/serve" "$bin/serve"
    cp "$CARGO_TARGET_DIR/release/quanze" "$bin/quanze"
    [ "${CRITERION:-0}" = 1 ] || exit 0
    local exe
    exe=$(cargo bench --locked -q -p quanze-import --bench import --no-run --message-format=json 2>/dev/null |
      sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
    if [ -n "$exe" ]; then cp "$exe" "$bin/import-bench"; fi
  )
}

# The synthetic lists both revisions import (one generator; it is the same in both).
synth_list() {
  local n=$1 out="$ab/synth/list-$1.txt"
  if [ ! -s "$out" ]; then
    (cd "$ab/$short_b" && cargo build --release --locked -q -p xtask &&
      "$CARGO_TARGET_DIR/release/xtask" synth --items "$n" -o "$out" >/dev/null)
  fi
  echo "$out"
}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  build_rev "$short_a"
  build_rev "$short_b"
  synth_list "$items" >/dev/null
  synth_list 10000 >/dev/null
fi
for s in "$short_a" "$short_b"; do
  for b in serve quanze; do
    [ -x "$ab/bin/$s/$b" ] || { echo "ab-bench.sh: $ab/bin/$s/$b is missing (run without SKIP_BUILD=1)" >&2; exit 1; }
  done
done
list="$ab/synth/list-$items.txt"
[ -s "$list" ] || { echo "ab-bench.sh: $list is missing (run without SKIP_BUILD=1)" >&2; exit 1; }
[ "$rounds" -gt 0 ] || { echo "built: $ab/bin/$short_a $ab/bin/$short_b"; exit 0; }

tmp=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
results="$tmp/results"
: >"$results"
base="http://127.0.0.1:$port"
# The law JSON endpoint measured: the first statute that holds sanction articles.
statute_jq='(.statutes | map(select((.sanction_articles // []) | length > 0)) | .[0].url) // .statutes[0].url'

start_server() { # short
  rm -f "$tmp"/db*
  (cd "$ab/$1" && QUANZE_ADMIN_PASSWORD=ab-bench-password exec "$ab/bin/$1/serve" --db "$tmp/db.sqlite" --addr "127.0.0.1:$port") \
    >"$tmp/server-$1.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do
    if curl -fsS "$base/api/bureaus?limit=1" >/dev/null 2>&1; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "ab-bench.sh: the server of $1 did not start:" >&2
  cat "$tmp/server-$1.log" >&2
  exit 1
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

# name|path pairs; the ids are looked up on each server (the seeds give both the same).
urls() {
  local item statute
  item=$(curl -fsS "$base/api/bureaus/1/items?limit=1" | jq -r '.items[0].id // empty')
  statute=$(curl -fsS "$base/api/statutes" | jq -r "$statute_jq")
  [ -n "$item" ] && [ -n "$statute" ] || { echo "ab-bench.sh: no item or statute found" >&2; exit 1; }
  echo "home|/"
  echo "item page|/items/$item"
  echo "search page|/search?q=%E7%BD%9A%E6%AC%BE"
  echo "search API|/api/search?q=%E5%8C%BB%E4%BF%9D"
  echo "item API|/api/items/$item"
  echo "statute API|$statute"
}

ms() { # a wrk latency (950.00us, 1.23ms, 1.02s, 2.00m) in milliseconds
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.3f", v * 60000 }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else printf "nan" }'
}

now_ns() { date +%s%N; }

measure_rev() { # side short round
  local side=$1 short=$2 round=$3 name path out rps p99 bad
  start_server "$short"
  local list_of_urls
  list_of_urls=$(urls)
  while IFS='|' read -r name path; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$base$path")
    [ "$code" = 200 ] || { echo "ab-bench.sh: $short $path answered $code" >&2; exit 1; }
    wrk -t"$threads" -c"$conns" -d1s "$base$path" >/dev/null
    out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency "$base$path")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p99=$(ms "$(echo "$out" | awk '$1=="99%" {print $2}')")
    bad=$(echo "$out" | awk '/Non-2xx/ {print $4}')
    [ -z "$bad" ] || { echo "ab-bench.sh: $short $path: $bad non-2xx answers under load" >&2; exit 1; }
    echo "$name req/s|$side|$round|$rps|hi" >>"$results"
    echo "$name p99 ms|$side|$round|$p99|lo" >>"$results"
  done <<<"$list_of_urls"
  stop_server

  local t0 t1 i
  mkdir -p "$tmp/out"
  "$ab/bin/$short/quanze" import "$ab/$short"/data/seeds/*.txt -o "$tmp/out" >/dev/null
  t0=$(now_ns)
  for i in $(seq 1 "$reps"); do
    "$ab/bin/$short/quanze" import "$ab/$short"/data/seeds/*.txt -o "$tmp/out" >/dev/null
  done
  t1=$(now_ns)
  echo "import 5 seeds ms|$side|$round|$(awk -v a="$t0" -v b="$t1" -v n="$reps" 'BEGIN {printf "%.2f", (b - a) / 1e6 / n}')|lo" >>"$results"
  t0=$(now_ns)
  "$ab/bin/$short/quanze" import "$list" --max-bytes 1073741824 -o "$tmp/out/list.json" >/dev/null
  t1=$(now_ns)
  echo "import ${items} items s|$side|$round|$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b - a) / 1e9}')|lo" >>"$results"
  rm -rf "$tmp/out"

  if [ "${CRITERION:-0}" = 1 ] && [ -x "$ab/bin/$short/import-bench" ]; then
    # criterion's estimate (the middle of "time: [lo mid hi]"), in ms
    (cd "$ab/$short/crates/quanze-import" && "$ab/bin/$short/import-bench" --bench --noplot \
      --warm-up-time 1 --measurement-time 3 2>/dev/null) |
      awk -v side="$side" -v round="$round" '
        /^(synthetic\/)?import / { name = $0; sub(/ +time:.*/, "", name) }
        /time: +\[/ { line = $0; sub(/.*time: +\[/, "", line); split(line, f, " ");
          v = f[3]; u = f[4]; if (u == "s") v *= 1000; else if (u == "µs") v /= 1000; else if (u == "ns") v /= 1e6;
          printf "criterion %s ms|%s|%s|%.3f|lo\n", name, side, round, v }' >>"$results"
  fi
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "ab-bench: A=$short_a B=$short_b, $rounds rounds, wrk -t$threads -c$conns -d$duration, $(nproc) cores, load $load_start"
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then
    measure_rev A "$short_a" "$round"; measure_rev B "$short_b" "$round"
  else
    measure_rev B "$short_b" "$round"; measure_rev A "$short_a" "$round"
  fi
  echo "round $round done, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

cp "$results" "$ab/results-$short_a-$short_b.txt"
echo
printf '%-32s %12s %12s %7s  %-23s %-23s\n' metric "A $short_a" "B $short_b" "B/A" "A min–max" "B min–max"
awk -F'|' '
  { key = $1; if (!(key in seen)) { seen[key] = 1; order[++n] = key; dir[key] = $5 }
    v[key, $2, ++c[key, $2]] = $4 }
  function median(key, side,   m, i, j, t, a) {
    m = c[key, side]; for (i = 1; i <= m; i++) a[i] = v[key, side, i]
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    lo[side] = a[1]; hi[side] = a[m]
    return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
  }
  END {
    for (k = 1; k <= n; k++) {
      key = order[k]; ma = median(key, "A"); mb = median(key, "B")
      r = (ma > 0) ? mb / ma : 0
      worse = (dir[key] == "hi") ? (r < 0.9) : (r > 1.1)
      printf "%-32s %12.2f %12.2f %7.3f  %-23s %-23s%s\n", key, ma, mb, r,
        sprintf("%.2f–%.2f", lo["A"], hi["A"]), sprintf("%.2f–%.2f", lo["B"], hi["B"]), worse ? "  B worse by >10 %" : ""
    }
  }' "$results"
echo
echo "load (1/5/15 min) at start: $load_start; at end: $load_end. req/s: higher is better; p99, ms, s: lower is better."
echo "raw figures: $ab/results-$short_a-$short_b.txt"

if [ "${IR:-0}" = 1 ]; then
  AB_DIR="$ab" "$root/scripts/ab-ir.sh" "$short_a" "$short_b"
fi
