#!/usr/bin/env bash
# Flags that take a number or a duration refuse what no run or session can use, with exit status
# 2 and the flag's name, before any work: NaN and infinite rates and speeds (CLI11's ranges let
# NaN through), and durations beyond what the clock that measures them holds (docs/scene-format.md,
# "Durations"). Nothing here needs a broker: every refusal comes before the connection.
# Usage: flag_bounds_test.sh LINETWIN LINETWIN_PUBLISH REPO_ROOT
set -u
linetwin=$1
publish=$2
root=$3
# shellcheck source=cli_checks.sh
source "$(dirname "$0")/cli_checks.sh"
scene="$root/scenes/balanced_line.yaml"

for speed in nan inf -1; do
  expect_error 2 "--speed" -- replay "$scene" "$work/unread.csv" --speed "$speed"
done
# Wall-clock durations: at most 2^62 ns (4,611,686,018 s), so that the time now plus them cannot
# overflow the steady clock.
expect_error 2 "field '--until-idle': expected a duration of at most 4611686018s" -- live "$scene" --broker localhost:1 --until-idle 4611686019s
expect_error 2 "field '--report-every': expected a duration of at most 4611686018s" -- live "$scene" --broker localhost:1 --report-every 1e306w

# linetwin-publish, through the same checks.
expect_publish_error() {  # expect_publish_error PATTERN -- ARGS
  local pattern=$1
  shift 2
  "$publish" "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  if [ "$rc" -ne 2 ]; then
    fail "linetwin-publish $* exited $rc, expected 2; stderr: $(cat "$work/err")"
  elif ! grep -qE -- "$pattern" "$work/err"; then
    fail "linetwin-publish $*: stderr lacks /$pattern/: $(cat "$work/err")"
  else
    pass
  fi
}
for rate in nan inf -5; do
  expect_publish_error "--rate" -- --synthetic "$scene" --broker localhost:1 --rate "$rate"
done
expect_publish_error "--rate: expected a finite number, found 'nan'" -- --synthetic "$scene" --broker localhost:1 --rate nan
expect_publish_error "field '--duration': expected a duration of at most 4611686018s" -- --synthetic "$scene" --broker localhost:1 --duration 1e15w
expect_publish_error "field '--duration': expected a duration > 0" -- --synthetic "$scene" --broker localhost:1 --duration 0s
expect_publish_error "field '--connect-timeout': expected a duration of at most 4611686018s" -- --synthetic "$scene" --broker localhost:1 --connect-timeout 1e10s

finish_checks "flag bounds"
