#!/usr/bin/env bash
# linetwin-viewer's command line: every bad flag is exit status 2 with a message naming the flag,
# found before any window or simulation (so this needs no display). An empty --screenshot must
# not fall back to opening a window, which would leave a script waiting for a person.
# Usage: viewer_cli_test.sh VIEWER SCENE
set -uo pipefail
viewer=$1
scene=$2
failures=0
expect_bad() {  # expect_bad FLAG-NAME ARGS...: exit 2 and FLAG-NAME in the message
  local name=$1
  shift
  local err
  err=$(timeout 20 "$viewer" "$@" 2>&1 >/dev/null)
  local rc=$?
  if [[ $rc -ne 2 || $err != *"$name"* ]]; then
    echo "FAIL: $* -> exit $rc, message: $err"
    failures=$((failures + 1))
  fi
}
expect_bad --screenshot "$scene" --screenshot ""
expect_bad --select "$scene" --select "" --screenshot /tmp/unused.png
expect_bad --select "$scene" --select no_such_element --screenshot /tmp/unused.png
expect_bad --screenshot "$scene" --screenshot /nonexistent-folder/out.png
expect_bad --screenshot "$scene" --screenshot /tmp
expect_bad --time "$scene" --time soon --screenshot /tmp/unused.png
expect_bad --time "$scene" --time -5 --screenshot /tmp/unused.png
expect_bad --size "$scene" --size 100 --screenshot /tmp/unused.png
expect_bad --panels "$scene" --panels all,kpi --screenshot /tmp/unused.png
expect_bad --view "$scene" --view top --screenshot /tmp/unused.png
expect_bad --live "$scene" --live localhost:99999
expect_bad --topic "$scene" --live localhost:1883 --topic "plant/#"
expect_bad --seed "$scene" --seed -1 --screenshot /tmp/unused.png
expect_bad --seed "$scene" --seed 18446744073709551616 --screenshot /tmp/unused.png
expect_bad --time "$scene" --time 1e15w --screenshot /tmp/unused.png
# --time past the end of the run (breakdown_line: 4h warm-up and 40h) shows the end and says so on
# stderr, before any window: exit 0 with a capture, or 1 where no OpenGL context can be had.
capture_dir=$(mktemp -d)
err=$(timeout 120 "$viewer" "$scene" --time 100h --size 64x64 --screenshot "$capture_dir/end.png" 2>&1 >/dev/null)
rc=$?
if [[ $err != *"note: --time 100h is past the end of the simulation at 44h; showing the end"* ]] ||
  ! { [[ $rc -eq 0 && -s $capture_dir/end.png ]] || [[ $rc -eq 1 && $err == *OpenGL* ]]; }; then
  echo "FAIL: --time 100h -> exit $rc, message: $err"
  failures=$((failures + 1))
fi
rm -rf "$capture_dir"
expect_bad SCENE "$scene.missing"
echo "viewer CLI: $failures failure(s)"
exit $((failures > 0))
