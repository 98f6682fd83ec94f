#!/usr/bin/env bash
# Checks that a test without what it needs is reported skipped by CTest, not passed: runs a child
# ctest on this build's tests with the shared data, the mosquitto broker and the display hidden
# ($LINETWIN_SHARED_DATA and $LINETWIN_MOSQUITTO naming folders and programs that are not there,
# DISPLAY unset), and wants one test of each kind (a doctest case, a Python script, a shell
# script, an example) that needs one of them reported skipped, and a test that needs none of them
# passed. The child ctest works from a directory of its own, so that its logs do not mix with
# those of the ctest that runs this test.
# Usage: skip_reporting_test.sh CTEST BUILD_DIR VIEWER (VIEWER: 1 where the viewer is built)
set -u
ctest=$1
build=$2
viewer=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Test names (CTest regular expressions) and the verdict each must get.
expected=(
  "telemetry_tests: *MTConnect: the NIST PocketNC log=skipped"
  "telemetry_tests: *live MQTT, MqttSubscriber: a stream through a real broker=skipped"
  "^live: replay_equal$=skipped"
  "^replay: the NIST PocketNC log=skipped"
  "^example: twin replaying the NIST PocketNC log$=skipped"
  "telemetry_tests: *MTConnect: values outside the vocabulary=passed"
)
if [ "$viewer" = 1 ]; then
  expected+=("viewer_screenshot_tests: *screenshot: a down station=skipped")
fi
regex=$(printf '%s\n' "${expected[@]%=*}" | paste -sd '|')

echo "subdirs(\"$build\")" >"$work/CTestTestfile.cmake"
env -u DISPLAY -u WAYLAND_DISPLAY LINETWIN_SHARED_DATA="$work/no-shared-data" \
  LINETWIN_MOSQUITTO="$work/no-mosquitto" \
  "$ctest" --test-dir "$work" -R "$regex" --output-junit "$work/junit.xml" >"$work/ctest.log" 2>&1
cat "$work/ctest.log"

/usr/bin/python3 - "$work/junit.xml" "${expected[@]}" <<'PY'
import re
import sys
import xml.etree.ElementTree as ET

cases = list(ET.parse(sys.argv[1]).iter("testcase"))
failed = False
for item in sys.argv[2:]:
    pattern, want = item.rsplit("=", 1)
    matched = [c for c in cases if re.search(pattern, c.get("name"))]
    if len(matched) != 1:
        print(f"FAIL: /{pattern}/ matched {len(matched)} tests, expected 1")
        failed = True
        continue
    case = matched[0]
    got = ("skipped" if case.find("skipped") is not None
           else "failed" if case.find("failure") is not None or case.get("status") == "fail"
           else "passed")
    print(f"{got:8} {case.get('name')}")
    if got != want:
        print(f"FAIL: expected {want}")
        failed = True
sys.exit(1 if failed else 0)
PY
