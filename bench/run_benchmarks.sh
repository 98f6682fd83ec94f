#!/usr/bin/env bash
# Runs linetwin's benchmarks and prints a table of medians and ratios (docs/performance.md).
# It builds nothing: build first, e.g.
#   cmake -S . -B build -G Ninja &&
#   cmake --build build --target bench_event_calendar bench_serial_line bench_telemetry_decode \
#     bench_sweep
#
# Usage: bench/run_benchmarks.sh [BIN_DIR] [extra Google Benchmark flags...]
#   BIN_DIR defaults to build/bin. The JSON results are kept in $LINETWIN_BENCH_OUT (default: a
#   new temporary directory, printed at the end), so the table can be made again with
#   /usr/bin/python3 bench/summarize.py DIR/*.json.
# Repetitions run in random interleaved order, so that a slow spell of a shared machine spreads
# over all benchmarks instead of landing on one of the two sides of a ratio.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bin_dir=${1:-$repo/build/bin}
[[ $# -gt 0 ]] && shift
benchmarks=(bench_event_calendar bench_serial_line bench_telemetry_decode bench_sweep)

for b in "${benchmarks[@]}"; do
  if [[ ! -x $bin_dir/$b ]]; then
    echo "run_benchmarks.sh: $bin_dir/$b not found; build it first" \
      "(cmake --build build --target $b)" >&2
    exit 2
  fi
done
out_dir=${LINETWIN_BENCH_OUT:-$(mktemp -d -t linetwin-bench.XXXXXX)}
mkdir -p "$out_dir"

results=()
for b in "${benchmarks[@]}"; do
  echo "running $b ..." >&2
  "$bin_dir/$b" --benchmark_format=json --benchmark_enable_random_interleaving=true "$@" \
    >"$out_dir/$b.json"
  results+=("$out_dir/$b.json")
done

# Debian's interpreter on purpose: the first python3 on PATH may be another one.
/usr/bin/python3 "$repo/bench/summarize.py" "${results[@]}"
echo "JSON results: $out_dir"
