#!/usr/bin/env bash
# A/B instruction counts of two revisions, independent of the machine's load: valgrind's
# cachegrind counts the instructions executed (Ir) by the release binaries that
# scripts/ab-bench.sh built into $AB_DIR/bin/<short-rev>/ (run it first, ROUNDS=0 builds only).
#
# (a) `quanze import` of each seed list and of the synthetic 10,000-item list to JSON, the
#     whole process counted (start-up and exit included).
# (b) the server: a database seeded once per revision (a native run of its own server, then
#     copied for each run, so the runs do not count the seeding), then under cachegrind one run
#     per URL answering N requests on one kept-alive connection (each checked 200), and
#     BASELINES runs answering none. Per request: (Ir of the URL's run − mean baseline Ir) / N;
#     the baselines' spread divided by N is printed as the noise per request. Every run also
#     answers the one readiness request. TOKIO_WORKER_THREADS=1 keeps scheduling alike.
# Prints one table: per figure A, B and B/A.
#
#   scripts/ab-ir.sh BASE_REV HEAD_REV
#   N=200 BASELINES=2 scripts/ab-ir.sh 0eec767 45520f7
#
# Environment: AB_DIR (/work/ab), N (1000), BASELINES (3), PORT (18191), SYNTH (10000: the
# synthetic list's items, $AB_DIR/synth/list-$SYNTH.txt), KEEP=1 keeps the cachegrind files in
# $AB_DIR/ir-<short-rev>/ for cg_annotate, ONLY=REV measures one of the two (the figures of
# each revision are kept in $AB_DIR/ir-<short-rev>.txt; the table needs both). Needs valgrind,
# curl, jq.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: scripts/ab-ir.sh BASE_REV HEAD_REV" >&2
  exit 2
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ab=${AB_DIR:-/work/ab}
n=${N:-1000}
baselines=${BASELINES:-3}
port=${PORT:-18191}
synth=${SYNTH:-10000}
base="http://127.0.0.1:$port"
# The law JSON endpoint measured: the first statute that holds sanction articles.
statute_jq='(.statutes | map(select((.sanction_articles // []) | length > 0)) | .[0].url) // .statutes[0].url'
for tool in git curl jq valgrind; do
  command -v "$tool" >/dev/null 2>&1 || { echo "ab-ir.sh: $tool is not installed" >&2; exit 2; }
done
short_a=$(git -C "$root" rev-parse --short=7 "$1^{commit}")
short_b=$(git -C "$root" rev-parse --short=7 "$2^{commit}")
only=${ONLY:-}
for s in "$short_a" "$short_b"; do
  if [ -n "$only" ] && [ "$s" != "$(git -C "$root" rev-parse --short=7 "$only^{commit}")" ]; then continue; fi
  for b in serve quanze; do
    [ -x "$ab/bin/$s/$b" ] || { echo "ab-ir.sh: $ab/bin/$s/$b is missing (scripts/ab-bench.sh $1 $2 builds it)" >&2; exit 1; }
  done
done
list="$ab/synth/list-$synth.txt"
[ -s "$list" ] || { echo "ab-ir.sh: $list is missing (scripts/ab-bench.sh builds it)" >&2; exit 1; }
seeds_dir="$ab/$short_b/data/seeds"

tmp=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# The Ir total of a valgrind log ("==1== I   refs:      1,234,567").
ir_of() { sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' "$1" | tr -d , | tail -n 1; }

cg() { # out-prefix command…: runs under cachegrind, the log in out-prefix.log
  local out=$1; shift
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$out.cg" --log-file="$out.log" "$@"
}

wait_ready() {
  for _ in $(seq 1 1200); do
    if curl -fsS "$base/api/bureaus?limit=1" >/dev/null 2>&1; then return 0; fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.25
  done
  echo "ab-ir.sh: the server did not start" >&2
  exit 1
}

stop_server() { # SIGTERM: the server shuts down gracefully and valgrind writes its counts
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

run_server() { # dir short label path (empty: no requests); sets run_ir
  local dir=$1 short=$2
  local label=$3 path=$4 codes
  rm -rf "$dir/run"; mkdir -p "$dir/run"; cp "$dir/tpl"/db.sqlite* "$dir/run/"
  (cd "$ab/$short" && TOKIO_WORKER_THREADS=1 QUANZE_ADMIN_PASSWORD=ab-ir-password exec valgrind --tool=cachegrind \
    --cache-sim=no --cachegrind-out-file="$dir/$label.cg" --log-file="$dir/$label.log" \
    "$ab/bin/$short/serve" --db "$dir/run/db.sqlite" --addr "127.0.0.1:$port") >"$dir/$label.out" 2>&1 &
  server_pid=$!
  wait_ready
  if [ -n "$path" ]; then
    local args=() i
    for i in $(seq 1 "$n"); do args+=(-o /dev/null "$base$path"); done
    codes=$(curl -s -w '%{http_code}\n' "${args[@]}" | sort | uniq -c | tr -s ' ')
    [ "$codes" = " $n 200" ] || { echo "ab-ir.sh: $short $path answered:$codes" >&2; exit 1; }
  fi
  stop_server
  run_ir=$(ir_of "$dir/$label.log")
  [ -n "$run_ir" ] || { echo "ab-ir.sh: no count in $dir/$label.log" >&2; exit 1; }
}

measure_rev() { # side short: the figures to $AB_DIR/ir-<short>.txt
  local side=$1 short=$2 dir="$tmp/$2" f name path ir results="$ab/ir-$2.txt.part"
  : >"$results"
  mkdir -p "$dir/out"
  echo "ab-ir: $short imports" >&2
  for f in "$seeds_dir"/*.txt; do
    name=$(basename "$f" .txt)
    cg "$dir/import-$name" "$ab/bin/$short/quanze" import "$f" -o "$dir/out/$name.json" >/dev/null
    echo "import seed ${name%%_*} Ir|$(ir_of "$dir/import-$name.log")" >>"$results"
  done
  cg "$dir/import-synth" "$ab/bin/$short/quanze" import "$list" --max-bytes 1073741824 -o "$dir/out/synth.json" >/dev/null
  echo "import ${synth} items Ir|$(ir_of "$dir/import-synth.log")" >>"$results"

  # A seeded database: the revision's own server on a new file, stopped once ready.
  mkdir -p "$dir/tpl"
  (cd "$ab/$short" && QUANZE_ADMIN_PASSWORD=ab-ir-password exec "$ab/bin/$short/serve" --db "$dir/tpl/db.sqlite" \
    --addr "127.0.0.1:$port") >"$dir/tpl.log" 2>&1 &
  server_pid=$!
  wait_ready
  local item statute
  item=$(curl -fsS "$base/api/bureaus/1/items?limit=1" | jq -r '.items[0].id // empty')
  statute=$(curl -fsS "$base/api/statutes" | jq -r "$statute_jq")
  [ -n "$item" ] && [ -n "$statute" ] || { echo "ab-ir.sh: no item or statute found" >&2; exit 1; }
  stop_server

  echo "ab-ir: $short server (item $item, statute $statute)" >&2
  local sum=0 lo="" hi="" b mean
  for i in $(seq 1 "$baselines"); do
    run_server "$dir" "$short" "baseline-$i" ""
    b=$run_ir
    sum=$((sum + b))
    if [ -z "$lo" ] || [ "$b" -lt "$lo" ]; then lo=$b; fi
    if [ -z "$hi" ] || [ "$b" -gt "$hi" ]; then hi=$b; fi
  done
  mean=$((sum / baselines))
  echo "server idle run Ir|$mean" >>"$results"
  echo "baseline noise Ir/request|$(((hi - lo) / n))" >>"$results"
  while IFS='|' read -r name path; do
    run_server "$dir" "$short" "url-${name// /-}" "$path"
    ir=$run_ir
    echo "$name Ir/request|$(((ir - mean) / n))" >>"$results"
  done <<EOF
home|/
item page|/items/$item
search page|/search?q=%E7%BD%9A%E6%AC%BE
search API|/api/search?q=%E5%8C%BB%E4%BF%9D
item API|/api/items/$item
statute API|$statute
EOF
  mv "$results" "$ab/ir-$short.txt"
  if [ "${KEEP:-0}" = 1 ]; then
    rm -rf "$ab/ir-$short"; mkdir -p "$ab/ir-$short"; cp "$dir"/*.cg "$ab/ir-$short/"
  fi
}

echo "ab-ir: A=$short_a B=$short_b, $n requests per URL, $baselines idle runs, valgrind $(valgrind --version)"
# ONLY=REV measures that revision alone (its figures are kept, and the table is printed when
# the other revision's figures are there from an earlier run).
if [ -z "$only" ] || [ "$short_a" = "$(git -C "$root" rev-parse --short=7 "$only^{commit}")" ]; then
  measure_rev A "$short_a"
fi
if [ -z "$only" ] || [ "$short_b" = "$(git -C "$root" rev-parse --short=7 "$only^{commit}")" ]; then
  measure_rev B "$short_b"
fi
for s in "$short_a" "$short_b"; do
  [ -s "$ab/ir-$s.txt" ] || { echo "ab-ir.sh: no figures of $s yet ($ab/ir-$s.txt)"; exit 0; }
done
echo
printf '%-32s %16s %16s %7s\n' figure "A $short_a" "B $short_b" "B/A"
awk -F'|' '
  { if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } v[$1, $2] = $3 }
  END {
    for (k = 1; k <= n; k++) {
      key = order[k]; a = v[key, "A"]; b = v[key, "B"]
      printf "%-32s %16d %16d %7s%s\n", key, a, b, (a > 0) ? sprintf("%.3f", b / a) : "-",
        (key !~ /noise|idle/ && a > 0 && b / a > 1.1) ? "  B more by >10 %" : ""
    }
  }' <(sed 's/|/|A|/' "$ab/ir-$short_a.txt") <(sed 's/|/|B|/' "$ab/ir-$short_b.txt")
echo
echo "Ir: instructions executed (lower is better); counts do not depend on the machine's load."
echo "raw figures: $ab/ir-$short_a.txt $ab/ir-$short_b.txt"
