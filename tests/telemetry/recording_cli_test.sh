#!/usr/bin/env bash
# Damaged HDF5 recordings from the outside: `linetwin replay`, `linetwin calibrate` and
# `linetwin-publish` refuse every damaged copy that `write_recording --damaged` makes
# (recording_fixture/damaged_recordings.hpp: flipped bits, version 1's variable-length strings,
# NaN, infinite and negative readings, extreme timestamps, wrong dtypes, oversized dims, a cut,
# names that are not UTF-8) with exit status 2 and a message naming the file and the field, under
# a time limit: never a signal, never a hang. The good recording they were copied from replays.
# And a station whose id is longer than version 1's 256-byte name fields records and replays as
# that station.
set -u
linetwin=$1
publish=$2
write_recording=$3
root=$4
# shellcheck source=../cli/cli_checks.sh
source "$(dirname "$0")/../cli/cli_checks.sh"

scene="$root/scenes/balanced_line.yaml"
damaged="$work/damaged"
mkdir "$damaged"
"$write_recording" --damaged "$damaged" || { echo "FAIL: write_recording --damaged"; exit 1; }

# expect_refusal FILE FIELD MESSAGE -- COMMAND...: runs COMMAND with a time limit and wants exit
# status 2 with FILE, FIELD (unless "-": the file as a whole) and MESSAGE on stderr.
expect_refusal() {
  local file=$1 field=$2 message=$3
  shift 4
  timeout 60 "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  local what="$(basename "$1") on $(basename "$file")"
  if [ "$rc" -ne 2 ]; then
    fail "$what exited $rc (124: a hang, above 128: a signal), expected 2; stderr: $(cat "$work/err")"
  elif ! grep -qF -- "$file: " "$work/err"; then
    fail "$what: stderr does not name the file: $(cat "$work/err")"
  elif [ "$field" != "-" ] && ! grep -qF -- "field '$field'" "$work/err"; then
    fail "$what: stderr does not name the field '$field': $(cat "$work/err")"
  elif ! grep -qF -- "$message" "$work/err"; then
    fail "$what: stderr lacks '$message': $(cat "$work/err")"
  else
    pass
  fi
}

while IFS=$'\t' read -r name field message; do
  file="$damaged/$name"
  expect_refusal "$file" "$field" "$message" -- "$linetwin" replay "$scene" "$file" -q
  expect_refusal "$file" "$field" "$message" -- \
    "$linetwin" calibrate "$scene" "$file" -o "$work/calibrated.yaml" -q
  # The log is read before the broker is tried, so no broker is needed to see it refused.
  expect_refusal "$file" "$field" "$message" -- \
    "$publish" "$file" --broker 127.0.0.1:1 --connect-timeout 1s -q
done <"$damaged/damaged.tsv"
[ "$passes" -ge 60 ] && pass || fail "only $passes checks ran: is damaged.tsv complete?"

timeout 60 "$linetwin" replay "$scene" "$damaged/good.h5" -q 2>"$work/err" && pass \
  || fail "the good recording does not replay: $(cat "$work/err")"

# A station id of 300 bytes, which version 1 cut to 256: its own recording replays as it.
long_id=$(long_id_scene "$work/long.yaml" 300)
timeout 60 "$linetwin" run "$work/long.yaml" --reps 1 --duration 1h --warmup 0s \
  --record "$work/long.h5" -q 2>"$work/err" && pass || fail "run --record: $(cat "$work/err")"
timeout 60 "$linetwin" replay "$work/long.yaml" "$work/long.h5" --json "$work/long.json" -q \
  2>"$work/err" && pass || fail "replay of the long id: $(cat "$work/err")"
/usr/bin/python3 - "$work/long.json" "$long_id" <<'PY' && pass || fail "the long id's replay"
import json, sys
report, long_id = json.load(open(sys.argv[1])), sys.argv[2]
assert report["ingestion"]["unknown_machine"] == 0, report["ingestion"]
station = [s for s in report["stations"] if s["id"] == long_id]
assert len(station) == 1, [s["id"] for s in report["stations"]]
# 30 s per part over an hour, the source never starving it: 119 or 120 parts leave.
assert station[0]["parts_good"] >= 119, station[0]["parts_good"]
PY

finish_checks "recording CLI"
