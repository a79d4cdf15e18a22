#!/usr/bin/env bash
# Throughput of the portal's item page and of the search API, measured with wrk from a
# second process on loopback. Starts a release server on a fresh temporary SQLite database
# (seeds loaded), runs a bounded wrk against each URL, prints the figures, stops the server.
#
#   scripts/load.sh                 # 2 threads, 32 connections, 10 s per URL
#   THREADS=2 CONNS=64 DURATION=15s scripts/load.sh
#   DB=postgres://quanze:quanze@127.0.0.1:54329/quanze_load scripts/load.sh   # on PostgreSQL
#     (an empty database: the seeds are loaded into it; see scripts/pg.sh)
#   HOLD=300000 scripts/load.sh     # with 300,000 more items held (examples/hold.rs), issue 12
#
# Besides the item page and search it measures the home page, the import of a 2-item list
# (as the administrator, timed by curl), and the latency of a static file while two exports
# of the largest list run.
#
# Needs wrk (Debian package; `scripts/browser-deps.sh --with-wrk` installs it).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
threads=${THREADS:-2}
conns=${CONNS:-32}
duration=${DURATION:-10s}
port=${PORT:-18089}

if ! command -v wrk >/dev/null 2>&1; then
  echo "load.sh: wrk is not installed (apt-get install -y wrk, or scripts/browser-deps.sh --with-wrk)" >&2
  exit 2
fi

cd "$root"
cargo build --release -q -p quanze-server --example serve --example hold
target=${CARGO_TARGET_DIR:-$root/target}
bin="$target/release/examples/serve"

tmp=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ -n "${HOLD:-}" ]; then
  "$target/release/examples/hold" --db "${DB:-$tmp/quanze.db}" --items "$HOLD"
fi
QUANZE_ADMIN_PASSWORD=load-test-password "$bin" --db "${DB:-$tmp/quanze.db}" --addr "127.0.0.1:$port" >"$tmp/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  if curl -fsS "$base/api/bureaus?limit=1" >/dev/null 2>&1; then break; fi
  sleep 0.1
done
curl -fsS "$base/api/bureaus?limit=1" >/dev/null

# An item of the first bureau, and a two-character search.
item=$(curl -fsS "$base/api/bureaus/1/items?limit=1" | sed -n 's/.*"items":\[{"id":\([0-9]*\).*/\1/p')
if [ -z "$item" ]; then echo "load.sh: no item found" >&2; exit 1; fi
item_url="$base/items/$item"
search_url="$base/api/search?q=%E5%8C%BB%E4%BF%9D"
portal_search_url="$base/search?q=%E7%BD%9A%E6%AC%BE"

run() {
  local name=$1 url=$2
  local out
  out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency "$url")
  local rps p50 p99 non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $4}')
  printf '%-28s %10s req/s   p50 %-9s p99 %-9s non-2xx %s\n' "$name" "$rps" "$p50" "$p99" "${non2xx:-0}"
}

backend=SQLite; case "${DB:-}" in postgres*) backend=PostgreSQL ;; esac
echo "quanze load: wrk -t$threads -c$conns -d$duration on $(nproc) cores, $backend, release build"
run "item page /items/$item" "$item_url"
run "search API (医保)" "$search_url"
run "search page (罚款)" "$portal_search_url"
run "home page /" "$base/"

# The import of a 2-item list, as the administrator (median of 5, each a new file).
jar="$tmp/cookies"
csrf=$(curl -fsS -c "$jar" -H 'content-type: application/json' \
  -d '{"username":"admin","password":"load-test-password"}' "$base/api/session" |
  sed -n 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/p')
times=()
for n in 1 2 3 4 5; do
  printf '两项县医疗保障局权责清单（第%s版）\n序号\t事项名称\t事项类型\t设定依据\n1\t对违法行为%s的行政处罚\t行政处罚\t《中华人民共和国社会保险法》第八十七条\n2\t对违法行为%s的行政检查\t行政检查\t《中华人民共和国社会保险法》第七十九条\n' \
    "$n" "$n" "$n" >"$tmp/two-$n.txt"
  t=$(curl -sS -o "$tmp/import-$n.json" -w '%{http_code} %{time_total}' -b "$jar" -H "x-csrf-token: $csrf" \
    --data-binary @"$tmp/two-$n.txt" "$base/api/imports?file_name=two-$n.txt")
  times+=("$t")
done
echo "import of a 2-item list (status seconds): ${times[*]}"

# A static file's latency while two exports of the largest list run (each export once:
# a version's export is cached after it is made, so the first two are the heavy ones).
big=$(curl -fsS "$base/api/bureaus?limit=500" | grep -o '"id":[0-9]*,"name"' | tail -1 | grep -o '[0-9]*')
curl -sS -o /dev/null -w 'export xlsx %{http_code} %{time_total}s\n' "$base/bureaus/$big/download/xlsx" &
e1=$!
curl -sS -o /dev/null -w 'export csv  %{http_code} %{time_total}s\n' "$base/bureaus/$big/download/csv" &
e2=$!
run "static /static/quanze.css during exports" "$base/static/quanze.css"
wait "$e1" "$e2"
