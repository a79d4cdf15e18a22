#!/usr/bin/env bash
# Fuzz the importer for a bounded time: quanze_import::import_bytes must never panic.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# SECONDS (default 60) is the time per target; TARGETs default to every target in
# fuzz/fuzz_targets (import_bytes, import_table_text). Exit status: 0 when every target ran
# clean, 1 when a target crashed (panic, timeout, out of memory), 2 on a usage or build
# error. One summary line per target on stdout; full libFuzzer logs under
# fuzz/target/logs/ (fuzz/target/address/logs/ with ASan), crash inputs under
# fuzz/artifacts/<target>/.
#
# Works on the stable toolchain: the coverage instrumentation cargo-fuzz uses is made of
# stable -C flags, so the default build has no sanitizer and needs no nightly. Panics,
# overflow checks and debug assertions (on in fuzz builds) are what we look for; the
# project itself has no unsafe code. QUANZE_FUZZ_SANITIZER=address adds AddressSanitizer
# (for the unsafe code in dependencies): it needs -Zsanitizer, so the script then sets
# RUSTC_BOOTSTRAP=1, builds into its own target dir (fuzz/target/address) and runs about
# two times slower.
#
# Other knobs: QUANZE_FUZZ_TIMEOUT (seconds one input may take, default 25: a slower
# input is reported as a crash, since a list imports in milliseconds),
# QUANZE_FUZZ_RSS_MB (default 2048).
#
# Every run starts from a fresh corpus, fuzz/target/corpus/<target> (corpora are not
# committed), seeded with data/seeds/*.txt plus csv and xlsx exports of them that
# fuzz/seedgen writes (the xlsx seeds are the fuzzer's way into the xlsx reader).
# Fuzzed inputs are at most QUANZE_FUZZ_MAX_LEN bytes (default 8192: 5-7x the
# executions/s of full-size 80 KB lists and more coverage in the same time; 0 = libFuzzer's
# choice, the largest seed). Before fuzzing, every seed at full size and every input in
# fuzz/regressions/<target>-* (minimized crashes found earlier) is run once, so a fixed
# crash stays fixed.
#
# cargo-fuzz is installed with `cargo install cargo-fuzz --locked` when `cargo fuzz` is
# missing (about 75 s on a 2-core machine).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SECS="${1:-60}"
if ! [[ "$SECS" =~ ^[0-9]+$ ]] || [ "$SECS" -lt 1 ]; then
  echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2
  exit 2
fi
shift || true

TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  for f in fuzz/fuzz_targets/*.rs; do
    TARGETS+=("$(basename "$f" .rs)")
  done
fi

for t in "${TARGETS[@]}"; do
  if [ ! -f "fuzz/fuzz_targets/$t.rs" ]; then
    echo "fuzz: no such target: $t (see fuzz/fuzz_targets)" >&2
    exit 2
  fi
done

SANITIZER="${QUANZE_FUZZ_SANITIZER:-none}"
TIMEOUT="${QUANZE_FUZZ_TIMEOUT:-25}"
RSS_MB="${QUANZE_FUZZ_RSS_MB:-2048}"
MAX_LEN="${QUANZE_FUZZ_MAX_LEN:-8192}"
TARGET_DIR="$ROOT/fuzz/target"
if [ "$SANITIZER" != "none" ]; then
  # -Zsanitizer=... is a nightly flag; allow it on the stable compiler.
  export RUSTC_BOOTSTRAP=1
  TARGET_DIR="$ROOT/fuzz/target/$SANITIZER"
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz"
  t0=$(date +%s)
  cargo install cargo-fuzz --locked
  echo "fuzz: cargo-fuzz installed in $(( $(date +%s) - t0 )) s"
fi

FUZZ=(cargo fuzz)
COMMON=(--fuzz-dir "$ROOT/fuzz" --target-dir "$TARGET_DIR" --sanitizer "$SANITIZER")

LOGS="$TARGET_DIR/logs"
mkdir -p "$LOGS"

# Build every target once (a first build compiles all dependencies with coverage
# instrumentation: about 4 minutes on a busy 2-core machine; later builds are seconds).
t0=$(date +%s)
if ! "${FUZZ[@]}" build "${COMMON[@]}" >"$LOGS/build.log" 2>&1; then
  cat "$LOGS/build.log" >&2
  echo "fuzz: build failed" >&2
  exit 2
fi
echo "fuzz: built the fuzz targets (sanitizer: $SANITIZER) in $(( $(date +%s) - t0 )) s"

# Seeds: the published lists, and their csv and xlsx exports (plain build of seedgen).
SEEDS="$TARGET_DIR/seeds"
rm -rf "$SEEDS"
mkdir -p "$SEEDS/text" "$SEEDS/export"
cp data/seeds/*.txt "$SEEDS/text/"
t0=$(date +%s)
if env -u RUSTC_BOOTSTRAP cargo run --quiet --manifest-path fuzz/seedgen/Cargo.toml \
  --target-dir "$ROOT/fuzz/target" -- "$SEEDS/export" data/seeds/*.txt >"$LOGS/seedgen.log" 2>&1; then
  echo "fuzz: $(tail -n 1 "$LOGS/seedgen.log") in $(( $(date +%s) - t0 )) s"
else
  # Fatal: seedgen is built against quanze-import's API, and a failure means that API
  # moved without the fuzz workspace (which the main workspace's clippy does not see).
  echo "fuzz: seedgen failed (log: $LOGS/seedgen.log)"
  tail -n 20 "$LOGS/seedgen.log" | sed 's/^/  /'
  exit 2
fi

# Run the built binaries directly rather than through `cargo fuzz run`, which would
# rebuild first: every target then tests the same code, even when the sources change
# during the run, and the time reported is fuzzing time only.
HOST="$(rustc -vV | sed -n 's/^host: //p')"
BIN_DIR="$TARGET_DIR/$HOST/release"
if [ "$SANITIZER" = "address" ]; then
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_odr_violation=0}"
fi
failed=0

stat_of() { # stat_of LOG NAME → the value of libFuzzer's final "stat::NAME:" line
  sed -n "s/^stat::$2: *//p" "$1" | tail -n 1
}

for t in "${TARGETS[@]}"; do
  log="$LOGS/$t.log"
  : >"$log"

  # The table target wraps its input in a header; xlsx seeds mean nothing to it.
  shopt -s nullglob
  if [ "$t" = "import_table_text" ]; then
    seeds=("$SEEDS"/text/* "$SEEDS"/export/*.csv)
  else
    seeds=("$SEEDS"/text/* "$SEEDS"/export/*)
  fi
  regressions=(fuzz/regressions/"$t"-*)
  shopt -u nullglob
  mkdir -p "fuzz/artifacts/$t"

  # 1. Run every seed at full size and every saved regression once.
  if ! "$BIN_DIR/$t" -artifact_prefix="$ROOT/fuzz/artifacts/$t/" \
    -timeout="$TIMEOUT" -rss_limit_mb="$RSS_MB" "${seeds[@]}" "${regressions[@]}" >>"$log" 2>&1; then
    failed=1
    echo "fuzz: $t: CRASH on a seed or a saved regression (${#seeds[@]} seeds, ${#regressions[@]} regressions); log: $log"
    grep -E "panicked at|^SUMMARY|ERROR: libFuzzer|^Running: " "$log" | tail -n 6 | sed 's/^/  /'
    continue
  fi

  # 2. Fuzz from a fresh corpus holding the seeds.
  corpus="$TARGET_DIR/corpus/$t"
  rm -rf "$corpus"
  mkdir -p "$corpus"
  cp "${seeds[@]}" "$corpus"/
  len_args=()
  if [ "$MAX_LEN" -gt 0 ]; then len_args=(-max_len="$MAX_LEN"); fi
  start=$(date +%s)
  rc=0
  "$BIN_DIR/$t" -max_total_time="$SECS" -rss_limit_mb="$RSS_MB" -timeout="$TIMEOUT" "${len_args[@]}" \
    -dict="$ROOT/fuzz/dict/quanze.dict" -print_final_stats=1 \
    -artifact_prefix="$ROOT/fuzz/artifacts/$t/" "$corpus" >>"$log" 2>&1 || rc=$?
  secs=$(( $(date +%s) - start ))
  runs="$(stat_of "$log" number_of_executed_units)"
  speed="$(stat_of "$log" average_exec_per_sec)"
  rss="$(stat_of "$log" peak_rss_mb)"
  units="$(find "$corpus" -type f | wc -l)"
  if [ "$rc" -eq 0 ]; then
    echo "fuzz: $t: ok, ${runs:-?} runs in $secs s (${speed:-?} exec/s), corpus $units inputs, peak rss ${rss:-?} MB"
  else
    failed=1
    artifact="$(grep -oE "Test unit written to [^ ]+" "$log" | tail -n 1 | sed 's/^Test unit written to //')"
    echo "fuzz: $t: CRASH after ${runs:-?} runs in $secs s (exit $rc); input: ${artifact:-see log}; log: $log"
    grep -E "panicked at|^SUMMARY|ERROR: libFuzzer|==[0-9]+== ERROR" "$log" | head -n 5 | sed 's/^/  /'
    if [ -n "$artifact" ]; then
      echo "  minimize: cargo fuzz tmin --fuzz-dir fuzz --sanitizer $SANITIZER $t $artifact"
      echo "  then save it as fuzz/regressions/$t-<short-hash>"
    fi
  fi
done

exit "$failed"
