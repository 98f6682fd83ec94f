#!/usr/bin/env bash
# Compares two builds of one benchmark in pairs of runs back to back: what a change does to the
# engine's speed, on a machine whose speed drifts by more than the change (docs/performance.md,
# "Comparing two builds"). It builds nothing.
#
# Usage: bench/compare_builds.sh BEFORE AFTER [PAIRS] [FILTER] [Google Benchmark flags...]
#   BEFORE, AFTER  two builds of one benchmark program (e.g. a copy of build/bin/bench_serial_line
#                  made before the change, and the one built after it)
#   PAIRS          pairs of runs (default 10); the order within a pair alternates
#   FILTER         --benchmark_filter (default: BM_SerialLine_linetwin)
#   flags          passed to both programs (the CTest smoke run passes --smoke)
# Each run reports its benchmark's median over its repetitions; each pair gives AFTER / BEFORE. A
# pair's two runs are seconds apart, so that a slow spell of the machine falls on both sides of
# its ratio; the median over the pairs is the figure, and the spread says how far to trust it.
set -euo pipefail
export LC_ALL=C  # printf reads "470.1" as a number whatever the locale
if [[ $# -lt 2 ]]; then
  sed -n '6,11p' "$0" | sed 's/^# //' >&2
  exit 2
fi
before=$1
after=$2
pairs=${3:-10}
filter=${4:-BM_SerialLine_linetwin}
flags=("${@:5}")
for program in "$before" "$after"; do
  [[ -x $program ]] || { echo "compare_builds.sh: $program is not a program" >&2; exit 2; }
done
[[ $pairs =~ ^[1-9][0-9]*$ ]] || { echo "compare_builds.sh: PAIRS must be a whole number above 0, not '$pairs'" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
# The median real time of the first benchmark that the filter selects, in the program's unit.
median_of() {
  local report
  report=$("$1" --benchmark_filter="$filter" --benchmark_format=json "${flags[@]}" |
    /usr/bin/python3 "$here/medians.py") || return 1
  echo "${report%%$'\n'*}" | cut -d' ' -f2
}

ratios=()
echo "pair  before  after  after/before"
for ((i = 1; i <= pairs; ++i)); do
  if ((i % 2)); then
    b=$(median_of "$before"); a=$(median_of "$after")
  else
    a=$(median_of "$after"); b=$(median_of "$before")
  fi
  ratio=$(/usr/bin/python3 -c "print(f'{$a / $b:.3f}')")
  ratios+=("$ratio")
  printf '%4d  %6.1f  %5.1f  %s\n' "$i" "$b" "$a" "$ratio"
done
/usr/bin/python3 -c '
import statistics, sys
r = [float(x) for x in sys.argv[1:]]
print(f"after/before: median {statistics.median(r):.3f}, from {min(r):.3f} to {max(r):.3f} over {len(r)} pairs")
' "${ratios[@]}"
