#!/usr/bin/env bash
# Saved states from the command line: `linetwin run --save-state S --at T` then `linetwin run
# --from-state S` writes the very bytes `linetwin run --reps 1` writes, at three times on two
# scenes, for another replication and seed, and for a line that deadlocks (exit 3 both ways).
# Flags that make no sense together, and states that are not this scene's, are exit 2 naming the
# flag or the file; a state that cannot be saved leaves no file.
set -u
linetwin=$1
root=$2
# shellcheck source=cli_checks.sh
source "$(dirname "$0")/cli_checks.sh"

breakdown="$root/scenes/breakdown_line.yaml"
assembly="$root/scenes/final_assembly.yaml"
deadlock="$root/tests/plant/scenes/deadlock_rework_loop.yaml"

# same_as_whole LABEL CODE SCENE AT [FLAGS...]: the whole run (--reps 1) and the run saved at AT
# and continued give the same JSON and CSV, byte for byte, and both exit CODE (the save too).
same_as_whole() {
  local label=$1 code=$2 scene=$3 at=$4 rc
  shift 4
  "$linetwin" run "$scene" --reps 1 "$@" --json "$work/whole.json" --csv "$work/whole.csv" -q \
    2>/dev/null
  rc=$?
  [ "$rc" -eq "$code" ] || fail "$label: the whole run exited $rc, expected $code"
  rm -f "$work/run.state"
  "$linetwin" run "$scene" "$@" --save-state "$work/run.state" --at "$at" 2>"$work/err"
  rc=$?
  # A line that deadlocked before --at is saved as it stopped, with exit 3.
  if [ "$rc" -ne 0 ] && [ "$rc" -ne "$code" ]; then
    fail "$label: --save-state exited $rc: $(cat "$work/err")"
    return
  fi
  "$linetwin" run "$scene" "$@" --from-state "$work/run.state" --json "$work/continued.json" \
    --csv "$work/continued.csv" -q 2>"$work/err"
  rc=$?
  if [ "$rc" -ne "$code" ]; then
    fail "$label: --from-state exited $rc, expected $code: $(cat "$work/err")"
  elif cmp -s "$work/whole.json" "$work/continued.json" && cmp -s "$work/whole.csv" \
    "$work/continued.csv"; then
    pass
  else
    fail "$label: the continued run's JSON or CSV differs from the whole run's"
  fi
}

for at in 1h 20.5h 43h; do
  same_as_whole "breakdown_line at $at" 0 "$breakdown" "$at"
done
for at in 7h 22.25h 47h; do
  same_as_whole "final_assembly at $at" 0 "$assembly" "$at"
done
same_as_whole "breakdown_line, replication 2, seed 7, at 12h" 0 "$breakdown" 12h \
  --replication 2 --seed 7
same_as_whole "final_assembly with its own settings, at 3h" 0 "$assembly" 3h \
  --duration 10h --warmup 1h
same_as_whole "a line that deadlocks, saved before" 3 "$deadlock" 10s
same_as_whole "a line that deadlocks, saved after" 3 "$deadlock" 10min
same_as_whole "at time zero" 0 "$breakdown" 0s
same_as_whole "at the end" 0 "$breakdown" 44h

# --replication R alone: the replication that --reps R+1 runs as its last.
"$linetwin" run "$breakdown" --reps 3 --replications-csv "$work/three.csv" -q
"$linetwin" run "$breakdown" --replication 2 --replications-csv "$work/one.csv" -q
if [ "$(tail -n 1 "$work/three.csv")" = "$(tail -n 1 "$work/one.csv")" ]; then
  pass
else
  fail "--replication 2 is not the third replication of --reps 3"
fi

# Bad input: exit 2, naming the flag or the file.
"$linetwin" run "$breakdown" --save-state "$work/good.state" --at 6h || fail "save a state"
expect_error 2 "--reps.*expected 1 with --from-state, found 3" -- \
  run "$breakdown" --from-state "$work/good.state" --reps 3
expect_error 2 "--reps.*expected 1 with --save-state, found 2" -- \
  run "$breakdown" --save-state "$work/s.state" --at 1h --reps 2
expect_error 2 "--reps.*expected 1 with --replication" -- run "$breakdown" --replication 1 --reps 2
expect_error 2 "--at.*expected --save-state or --snapshot with it" -- run "$breakdown" --at 1h
expect_error 2 "--save-state requires --at" -- run "$breakdown" --save-state "$work/s.state"
expect_error 2 "--at.*expected a time within the run \(warm-up and duration, 158400 s\), found 360000 s" \
  -- run "$breakdown" --save-state "$work/s.state" --at 100h
expect_error 2 "--(save-state excludes --json|json excludes --save-state)" -- \
  run "$breakdown" --save-state "$work/s.state" --at 1h --json "$work/s.json"
expect_error 2 "--(from-state excludes --save-state|save-state excludes --from-state)" -- \
  run "$breakdown" --from-state "$work/good.state" --save-state "$work/s.state" --at 1h
expect_error 2 "--save-state.*not for standard output" -- run "$breakdown" --save-state - --at 1h
[ ! -e "$work/s.state" ] && pass || fail "a refused --save-state left a file"
expect_error 2 "good.state.*saved from the scene .*final_assembly.yaml, found one of another scene" \
  -- run "$assembly" --from-state "$work/good.state"
expect_error 2 "--seed.*the state was saved with 4711, found 5" -- \
  run "$breakdown" --from-state "$work/good.state" --seed 5
expect_error 2 "--replication.*the state was saved with 0, found 1" -- \
  run "$breakdown" --from-state "$work/good.state" --replication 1
expect_error 2 "--duration.*the state was saved with 144000, found 36000" -- \
  run "$breakdown" --from-state "$work/good.state" --duration 10h
head -c 300 "$work/good.state" >"$work/truncated.state"
expect_error 2 "truncated.state: truncated: 300 bytes, expected the [0-9]+ its header gives" -- \
  run "$breakdown" --from-state "$work/truncated.state"
cp "$work/good.state" "$work/damaged.state"
byte=$(od -An -tu1 -j500 -N1 "$work/good.state" | tr -d ' ')
printf "\\x$(printf %02x $(((byte + 1) % 256)))" |
  dd of="$work/damaged.state" bs=1 seek=500 conv=notrunc status=none
expect_error 2 "damaged.state: damaged: its checksum does not match its contents" -- \
  run "$breakdown" --from-state "$work/damaged.state"
expect_error 2 "breakdown_line.yaml: not a linetwin state file" -- \
  run "$breakdown" --from-state "$breakdown"
expect_error 2 "missing.state: cannot open the state file" -- \
  run "$breakdown" --from-state "$work/missing.state"

finish_checks "saved states"
