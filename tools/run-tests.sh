#!/usr/bin/env bash
# Runs every test linetwin has, from a fresh Debian 12 machine (as root) to a verdict:
#   1. installs the Debian packages (tools/install-deps.sh --ci);
#   2. checks the formatting of every C++ file against .clang-format;
#   3. builds with g++ and warnings as errors, and runs all tests with CTest (unit, validation
#      against queueing theory, CLI, examples, benchmark smoke runs);
#   4. builds with clang, AddressSanitizer and UndefinedBehaviorSanitizer, and runs the unit,
#      CLI and example tests again, plus the libFuzzer targets for a bounded time.
# Build trees: build-release/ and build-sanitize/ (both git-ignored). Exit status 0 only if all pass.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

bash tools/install-deps.sh --ci
# The live telemetry tests start brokers of their own; the log says which mosquitto they ran.
echo "== $(/usr/sbin/mosquitto -h 2>&1 | head -n 1 || true)"

echo "== format check (clang-format)"
git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

echo "== release build (g++, -Werror) and all tests"
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DLINETWIN_WERROR=ON >/dev/null
cmake --build build-release -j "$jobs"
ctest --test-dir build-release -j "$jobs" --output-on-failure

echo "== sanitizer build (clang, ASan + UBSan) with fuzz targets"
CXX=clang++ cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLINETWIN_WERROR=ON -DLINETWIN_SANITIZE=ON -DLINETWIN_FUZZ=ON -DLINETWIN_BENCH=OFF \
  -DLINETWIN_FUZZ_SECONDS="${LINETWIN_FUZZ_SECONDS:-60}" >/dev/null
cmake --build build-sanitize -j "$jobs"
# The statistical validation runs are long and already ran optimised above; everything else runs
# again under the sanitizers.
ctest --test-dir build-sanitize -j "$jobs" --output-on-failure -E '^validation_tests'
