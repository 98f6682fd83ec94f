#!/usr/bin/env bash
# Runs every test linetwin has, from a fresh Debian 12 machine (as root) to a verdict:
#   1. installs the Debian packages (tools/install-deps.sh --ci);
#   2. checks the formatting of every C++ file against .clang-format, and the engine's layers
#      (tools/check-layers.py: no include up a layer or round in a cycle);
#   3. builds with g++ and warnings as errors, and runs all tests with CTest (unit, validation
#      against queueing theory, CLI, examples, benchmark smoke runs) under Xvfb, so that the
#      viewer's screenshot tests draw with Mesa's software OpenGL; then makes the viewer images
#      in docs/images (tools/doc-screenshots.sh);
#   4. checks that no engine or viewer-model source includes a GL, GLFW or Dear ImGui header;
#   5. builds with clang, AddressSanitizer and UndefinedBehaviorSanitizer and the viewer disabled
#      (-DLINETWIN_VIEWER=OFF), and runs the unit, CLI and example tests again, plus the libFuzzer
#      targets for a bounded time.
# Build trees: build-release/ and build-sanitize/ (both git-ignored). Exit status 0 only if all
# pass.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

bash tools/install-deps.sh --ci
# The live telemetry tests start brokers of their own; the log says which mosquitto they ran.
echo "== $(/usr/sbin/mosquitto -h 2>&1 | head -n 1 || true)"

echo "== format check (clang-format)"
git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

echo "== layer check (docs/architecture.md, Layers)"
/usr/bin/python3 tools/check-layers.py

echo "== release build (g++, -Werror) and all tests"
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DLINETWIN_WERROR=ON >/dev/null
cmake --build build-release -j "$jobs"
# CI installs everything the tests need, so a test that CTest reports skipped (no ../shared/data,
# no broker, no display) did not run here: that fails the run. The JUnit report each ctest writes
# names the skipped tests and holds their output, which says what was missing.
fail_on_skipped_tests() {
  /usr/bin/python3 - "$1" <<'PY'
import sys
import xml.etree.ElementTree as ET

skipped = [case for case in ET.parse(sys.argv[1]).iter("testcase")
           if case.find("skipped") is not None or case.get("status") in ("notrun", "disabled")]
for case in skipped:
    output = case.findtext("system-out") or ""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    # The line that says why: "SKIP: ..." (scripts), the skip marker (doctest), else the last.
    reason = next((line for line in lines if "SKIP" in line), lines[-1] if lines else "")
    print(f"skipped: {case.get('name')}: {reason}", file=sys.stderr)
if skipped:
    print(f"{len(skipped)} test(s) skipped: everything they need is installed here, so they must "
          "run", file=sys.stderr)
    sys.exit(1)
PY
}
# One X server for the whole run; the viewer's tests read DISPLAY from it.
xvfb-run -a -s "-screen 0 1920x1080x24" \
  ctest --test-dir build-release -j "$jobs" --output-on-failure \
  --output-junit "$PWD/build-release/ctest-junit.xml"
fail_on_skipped_tests build-release/ctest-junit.xml

echo "== viewer images for docs/ (headless capture)"
bash tools/doc-screenshots.sh build-release/bin docs/images

echo "== no GL, GLFW or Dear ImGui header in the engine or the viewer model"
# The headers each object was compiled with, as the compiler reported them: none of the engine's
# or the viewer model's may be a GL, GLFW or Dear ImGui header.
ninja -C build-release -t deps | awk '
  /^[^ \t]/ { target = $1 }
  /^[ \t]/ && target ~ /^(engine|tools\/viewer\/model)\// && $1 ~ /\/(GL|GLFW|imgui)\// {
    print "  " target " includes " $1; bad = 1
  }
  END { exit bad }' || { echo "engine or viewer model includes a GL/GLFW/ImGui header" >&2; exit 1; }

echo "== sanitizer build (clang, ASan + UBSan) with fuzz targets, without the viewer"
# Built with the viewer off, this is also the check that the engine, the CLI and the viewer's
# model build and pass their tests without it, and configure without looking for any GL, GLFW,
# Dear ImGui or Assimp package (as on a machine without them).
CXX=clang++ cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLINETWIN_WERROR=ON -DLINETWIN_SANITIZE=ON -DLINETWIN_FUZZ=ON -DLINETWIN_BENCH=OFF \
  -DLINETWIN_VIEWER=OFF -DLINETWIN_FUZZ_SECONDS="${LINETWIN_FUZZ_SECONDS:-60}" >/dev/null
if grep -iE '^[^#/].*(opengl|glfw|imgui|assimp)' build-sanitize/CMakeCache.txt; then
  echo "the build without the viewer looked for a viewer package (above)" >&2
  exit 1
fi
cmake --build build-sanitize -j "$jobs"
# The statistical validation runs are long and already ran optimised above, and the memory test
# measures the release build's memory (the sanitizers keep freed memory in quarantine); everything
# else runs again under the sanitizers.
ctest --test-dir build-sanitize -j "$jobs" --output-on-failure -E '^(validation_tests|memory:)' \
  --output-junit "$PWD/build-sanitize/ctest-junit.xml"
fail_on_skipped_tests build-sanitize/ctest-junit.xml
