#!/usr/bin/env bash
# Results files of every `linetwin` command are written whole or not at all: an output that
# cannot be written is exit 2 before any work, without creating anything; a command that fails
# after its checks leaves no file, empty, partial or temporary, and a file that was there as it
# was; a success replaces a file whole and keeps its permissions. HDF5 recordings, which the
# engine writes in place, follow the same rules seen from outside.
set -u
linetwin=$1
root=$2
# shellcheck source=cli_checks.sh
source "$(dirname "$0")/cli_checks.sh"

scene="$root/scenes/balanced_line.yaml"
out="$work/results"
mkdir "$out"

# expect_only LABEL [NAME...]: the output folder holds just the files named (in sorted order),
# and there is no temporary file anywhere under $work.
expect_only() {
  local label=$1 left
  shift
  left=$(cd "$out" && ls -A | tr '\n' ' ')
  [ "$left" = "$*${*:+ }" ] && [ -z "$(find "$work" -name '*.tmp')" ] && pass \
    || fail "$label: the output folder holds '$left', temporary: $(find "$work" -name '*.tmp')"
}

# A file's content and permissions, to see that a failed command left it as it was.
fingerprint() { printf '%s %s' "$(stat -c %a "$1")" "$(md5sum <"$1")"; }

# A log to replay and calibrate from: a recorded run of the balanced line.
"$linetwin" run "$scene" --reps 1 --duration 2h --record "$work/log.h5" -q || fail "record a log"

# A folder that does not take new files: exit 2 naming the flag and the reason, before any work
# (a run of 100,000 days would take hours: the timeout says the check came first), nothing made.
# Root writes anywhere: as root the commands run without the capabilities that let it.
mkdir "$work/ro"
chmod 555 "$work/ro"
unprivileged=()
if [ "$(id -u)" -eq 0 ]; then
  unprivileged=(setpriv --bounding-set -dac_override,-dac_read_search --)
fi
read_only_checked=1
if ! "${unprivileged[@]}" true || "${unprivileged[@]}" touch "$work/ro/probe" 2>/dev/null; then
  rm -f "$work/ro/probe"
  read_only_checked=0
  echo "note: cannot make a folder that root cannot write to here: not checked"
else
  for flag in --json --csv --record; do
    "${unprivileged[@]}" timeout 30 "$linetwin" run "$scene" --reps 1 --duration 100000d -q \
      "$flag" "$work/ro/results" 2>"$work/err"
    rc=$?
    [ "$rc" -eq 2 ] && grep -q "$work/ro/results: field '$flag': cannot write the results file: Permission denied" "$work/err" \
      && pass || fail "run $flag to a read-only folder: exit $rc, $(cat "$work/err")"
  done
  "${unprivileged[@]}" timeout 30 "$linetwin" replay "$scene" "$work/log.h5" --json "$work/ro/t.json" 2>"$work/err"
  rc=$?
  [ "$rc" -eq 2 ] && grep -q "field '--json': cannot write the results file: Permission denied" "$work/err" \
    && pass || fail "replay --json to a read-only folder: exit $rc, $(cat "$work/err")"
  "${unprivileged[@]}" timeout 30 "$linetwin" calibrate "$scene" "$work/log.h5" -o "$work/ro/c.yaml" 2>"$work/err"
  rc=$?
  [ "$rc" -eq 2 ] && grep -q "field '--output': cannot write the results file: Permission denied" "$work/err" \
    && pass || fail "calibrate -o to a read-only folder: exit $rc, $(cat "$work/err")"
  # Without --connect-timeout an unreachable broker is retried until a signal: only a check
  # before connecting can end it.
  "${unprivileged[@]}" timeout 30 "$linetwin" live "$scene" --broker 127.0.0.1:1 --record "$work/ro/l.h5" 2>"$work/err"
  rc=$?
  [ "$rc" -eq 2 ] && grep -q "field '--record': cannot write the results file: Permission denied" "$work/err" \
    && pass || fail "live --record to a read-only folder: exit $rc, $(cat "$work/err")"
  [ -z "$(ls -A "$work/ro")" ] && pass || fail "files left in the read-only folder: $(ls -A "$work/ro")"
fi

# A station id of 1100 bytes runs, but a recording holds names of at most 1024 bytes: the run
# fails after its checks and its replications, when the recording is refused.
long_id_scene "$work/long.yaml" 1100 >/dev/null
outputs=(--json "$out/r.json" --csv "$out/r.csv" --record "$out/r.h5")
expect_error 2 "r.h5: field '/machines\[1\]': expected at most 1024 bytes, found 1100" -- \
  run "$work/long.yaml" --reps 2 --duration 1h -q "${outputs[@]}"
expect_only "a refused recording"
# Files that were there stay as they were, permissions included.
for name in r.json r.csv r.h5; do echo "earlier $name" >"$out/$name"; done
chmod 600 "$out/r.json"
chmod 640 "$out/r.h5"
before="$(fingerprint "$out/r.json") $(fingerprint "$out/r.csv") $(fingerprint "$out/r.h5")"
expect_error 2 "expected at most 1024 bytes" -- run "$work/long.yaml" --reps 2 --duration 1h -q "${outputs[@]}"
after="$(fingerprint "$out/r.json") $(fingerprint "$out/r.csv") $(fingerprint "$out/r.h5")"
[ "$before" = "$after" ] && pass || fail "a refused recording changed the files that were there"
expect_only "a refused recording, files there" r.csv r.h5 r.json

# A success replaces each of them whole, with its permissions.
"$linetwin" run "$scene" --reps 2 --duration 1h -q "${outputs[@]}" 2>"$work/err" || fail "run: $(cat "$work/err")"
/usr/bin/python3 -c "import json, sys; json.load(open(sys.argv[1]))" "$out/r.json" && pass || fail "r.json is not JSON"
head -1 "$out/r.csv" | grep -q "^section,id,kpi," && pass || fail "r.csv: $(head -1 "$out/r.csv")"
[ "$(head -c 4 "$out/r.h5" | od -An -c | tr -d ' ')" = '211HDF' ] && pass || fail "r.h5 is no HDF5 file"
[ "$(stat -c %a "$out/r.json") $(stat -c %a "$out/r.h5")" = "600 640" ] && pass \
  || fail "permissions not kept: r.json $(stat -c %a "$out/r.json"), r.h5 $(stat -c %a "$out/r.h5")"
"$linetwin" replay "$scene" "$out/r.h5" -q && pass || fail "the replaced recording does not replay"
expect_only "a run that succeeded" r.csv r.h5 r.json
rm -f "$out"/*

# replay: a log that fails to read, after the checks.
printf 'this is no telemetry log\n' >"$work/bad.csv"
expect_error 2 "bad.csv" -- replay "$scene" "$work/bad.csv" --json "$out/t.json" --csv "$out/t.csv"
expect_only "replay of a bad log"
echo "earlier" >"$out/t.json"
before=$(fingerprint "$out/t.json")
expect_error 2 "bad.csv" -- replay "$scene" "$work/bad.csv" --json "$out/t.json"
[ "$(fingerprint "$out/t.json")" = "$before" ] && pass || fail "a failed replay changed t.json"
rm -f "$out"/*

# live: a broker never reached within --connect-timeout.
live_outputs=(--json "$out/l.json" --csv "$out/l.csv" --record "$out/l.h5")
expect_error 2 "cannot connect to 127.0.0.1:1 within 1s" -- \
  live "$scene" --broker 127.0.0.1:1 --connect-timeout 1s -q "${live_outputs[@]}"
expect_only "a live session that never connected"
echo "earlier recording" >"$out/l.h5"
chmod 600 "$out/l.h5"
before=$(fingerprint "$out/l.h5")
expect_error 2 "cannot connect" -- live "$scene" --broker 127.0.0.1:1 --connect-timeout 1s -q "${live_outputs[@]}"
[ "$(fingerprint "$out/l.h5")" = "$before" ] && pass || fail "a failed live session changed l.h5"
expect_only "a live session that never connected, a recording there" l.h5
expect_error 2 "field '--record': expected a file path" -- live "$scene" --broker 127.0.0.1:1 --record -

# calibrate's --seed takes what run's does.
expect_error 2 "--seed: expected a whole number from 0 to 18446744073709551615" -- \
  calibrate "$scene" "$work/log.h5" -o "$out/c.yaml" --seed -1
expect_only "calibrate with a bad seed" l.h5

# Two outputs that name one file, however the path is spelt: exit 2 before any work (a run of
# 100,000 days would take hours), nothing written, a file that was there as it was.
rm -f "$out"/*
echo "earlier" >"$out/same"
before=$(fingerprint "$out/same")
for pair in "--json $out/same --csv $out/same" "--json $out/same --record $out/./same" \
  "--csv $out/same --record $out/../results/same"; do
  # shellcheck disable=SC2086
  expect_error 2 "writes to the same file" -- run "$scene" --duration 100000d -q $pair
done
expect_error 2 "field '--csv': expected a file of its own; --json writes to the same file" -- \
  replay "$scene" "$work/log.h5" --csv "$out/same" --json "$out/same"
expect_error 2 "field '--json': expected a file of its own; --output writes to the same file" -- \
  calibrate "$scene" "$work/log.h5" -o "$out/same" --json "$out/same"
expect_error 2 "writes to the same file" -- \
  live "$scene" --broker 127.0.0.1:1 --json "$out/same" --record "$out/same"
[ "$(fingerprint "$out/same")" = "$before" ] && pass || fail "outputs on one file changed it"
expect_only "outputs that name one file" same

if [ "$read_only_checked" -eq 0 ]; then
  echo "results files: $passes passed, $failures failed; SKIPPED: the read-only folder checks"
  [ "$failures" -eq 0 ] && exit 77
  exit 1
fi
finish_checks "results files"
