#!/usr/bin/env bash
# A run's memory does not grow with simulated time beyond what its statistics need: 10^6
# simulated hours of a small line (about 6 million parts) peak within 10% of the resident memory
# of 10^4 hours (about 60,000 parts), measured by /usr/bin/time as the largest resident set.
# Usage: run_memory_test.sh LINETWIN REPO
set -u
linetwin=$1
scene=$2/tests/plant/scenes/small_line.yaml
peak_kb() {
  /usr/bin/time -f "%M" -o "$work/time" "$linetwin" run "$scene" --duration "$1" --reps 1 \
    --threads 1 -q --json "$work/$1.json" || { echo "FAIL: linetwin run --duration $1"; exit 1; }
  cat "$work/time"
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
short=$(peak_kb 10000h)
long=$(peak_kb 1000000h)
parts=$(/usr/bin/python3 -c "import json,sys; print(int(json.load(open(sys.argv[1]))['kpis']['throughput_per_hour']['mean'] * 1e6))" "$work/1000000h.json")
echo "peak resident memory: 10^4 h $short KB, 10^6 h $long KB ($parts parts)"
if [ "$parts" -lt 5000000 ]; then
  echo "FAIL: expected millions of parts in 10^6 h, found $parts"
  exit 1
fi
if [ $((long * 10)) -gt $((short * 11)) ]; then
  echo "FAIL: 10^6 h took more than 10% more memory than 10^4 h"
  exit 1
fi
