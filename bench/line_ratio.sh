#!/usr/bin/env bash
# The serial line's figure (docs/performance.md): linetwin's time over the hand-written loop's on
# the same line, measured in several processes, for one build or for several builds in turn (the
# state before a change and after it, on the same machine in the same minutes). It builds nothing.
#
# Usage: bench/line_ratio.sh [PROCESSES] PROGRAM [PROGRAM...] [-- Google Benchmark flags...]
#   PROCESSES  runs of each program (default 10)
#   PROGRAM    builds of bench_serial_line; with several, each round runs each once, the order
#              rotating from round to round
#   flags      passed to every run (the CTest smoke run passes --smoke)
# Each run times both benchmarks, their repetitions in random interleaved order, and gives
# linetwin / hand-written from the medians of that one process, so that a ratio never mixes two
# states of the machine. A program's figure is the median over its runs, with the range, against
# the target of issue 11 (summarize.py's LINE_TARGET, 1.25). It prints the verdict and exits 0
# either way: a timing is a measurement to read, never a test to pass.
set -euo pipefail
export LC_ALL=C  # printf reads "470.1" as a number whatever the locale
here=$(cd "$(dirname "$0")" && pwd)
# The target is summarize.py's, so that the two never judge the same figure by different bounds.
target=$(/usr/bin/python3 -B -c "import sys; sys.path.insert(0, sys.argv[1]); import summarize; print(summarize.LINE_TARGET)" "$here")
processes=10
if [[ ${1:-} =~ ^[0-9]+$ ]]; then
  [[ $1 =~ ^[1-9][0-9]*$ ]] || { echo "line_ratio.sh: PROCESSES must be a whole number above 0, not '$1'" >&2; exit 2; }
  processes=$1
  shift
fi
programs=()
while [[ $# -gt 0 && $1 != -- ]]; do
  programs+=("$1")
  shift
done
[[ ${1:-} == -- ]] && shift
flags=("$@")
if [[ ${#programs[@]} -eq 0 ]]; then
  sed -n '6,10p' "$0" | sed 's/^# //' >&2
  exit 2
fi
for program in "${programs[@]}"; do
  [[ -x $program ]] || { echo "line_ratio.sh: $program is not a program" >&2; exit 2; }
done

# "LINETWIN_MS HAND_WRITTEN_MS" from one run of a program.
one_run() {
  "$1" --benchmark_format=json --benchmark_enable_random_interleaving=true "${flags[@]}" |
    /usr/bin/python3 "$here/medians.py" BM_SerialLine_linetwin BM_SerialLine_HandWritten |
    cut -d' ' -f2 | paste -sd' '
}

count=${#programs[@]}
declare -a ratios
echo "round  program  linetwin ms  hand-written ms  linetwin/hand-written"
for ((round = 0; round < processes; ++round)); do
  for ((i = 0; i < count; ++i)); do
    p=$(((round + i) % count))
    times=$(one_run "${programs[$p]}")
    read -r mine theirs <<<"$times"
    ratio=$(/usr/bin/python3 -c "print(f'{$mine / $theirs:.3f}')")
    ratios[p]="${ratios[p]:-} $ratio"
    printf '%5d  %7d  %11.1f  %15.1f  %s\n' $((round + 1)) $((p + 1)) "$mine" "$theirs" "$ratio"
  done
done
for ((p = 0; p < count; ++p)); do
  # shellcheck disable=SC2086  # the ratios are words
  /usr/bin/python3 -c '
import statistics, sys
label, target, r = sys.argv[1], float(sys.argv[2]), [float(x) for x in sys.argv[3:]]
m = statistics.median(r)
verdict = "met" if m <= target else "MISSED"
print(f"{label}: linetwin / hand-written median {m:.3f}, from {min(r):.3f} to {max(r):.3f} "
      f"over {len(r)} runs (target <= {target}: {verdict})")
' "program $((p + 1)) ${programs[$p]}" "$target" ${ratios[p]}
done
