#!/usr/bin/env bash
# Import speed at province scale (issue 13), in one run: the read-and-split floor and
# `quanze import` of the synthetic 100,000-item list to compact JSON, each with its wall
# time and peak RSS (GNU time), and their ratio. The target: under 3 s and 400 MiB, at most
# 3.5 × the floor. Figures depend on the machine and its load; the load is printed beside.
#
#   scripts/import-speed.sh [ITEMS]      (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
items="${1:-100000}"
target="${CARGO_TARGET_DIR:-target}"
out="$target/synth"
mkdir -p "$out"
list="$out/list-$items.txt"

cargo build --release --quiet -p quanze-cli -p xtask
[ -f "$list" ] || cargo xtask synth --items "$items" -o "$list" >/dev/null
rustc -O --edition 2024 -o "$out/import-floor" scripts/import-floor.rs

measure() { # label, command…: prints "label seconds MiB"
    local label="$1"; shift
    local log; log="$(mktemp)"
    /usr/bin/time -v "$@" >/dev/null 2>"$log"
    local secs mib
    secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$log")
    mib=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$log")
    rm -f "$log"
    echo "$label $secs $mib"
}

echo "list: $list ($(stat -c %s "$list") bytes); load: $(cut -d' ' -f1-3 /proc/loadavg)"
floor=$(measure floor "$out/import-floor" "$list")
full=$(measure import "$target/release/quanze" import "$list" --max-bytes 1073741824 -o "$out/list-$items.json")
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
read -r _ fs fm <<<"$floor"
read -r _ is im <<<"$full"
awk -v fs="$fs" -v fm="$fm" -v is="$is" -v im="$im" 'BEGIN {
    printf "read and split (floor): %6.2f s %5d MiB\n", fs, fm
    printf "quanze import to JSON:  %6.2f s %5d MiB  (%.1f x the floor)\n", is, im, is / fs
}'
