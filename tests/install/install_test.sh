#!/usr/bin/env bash
# Installs this build the two ways docs/install.md gives and uses what was installed as a user
# would, in a temporary folder of its own:
#   prefix: `cmake --install` into a prefix; the out-of-tree project in consumer/ configured
#           against it (find_package(linetwin), linetwin::engine) builds and runs
#           share/linetwin/scenes/balanced_line.yaml, and gives the throughput that the installed
#           bin/linetwin gives for that scene (the same engine, seed and replications), which is
#           below the 60 parts/h that any one of its stations could do alone.
#   deb:    `cpack -G DEB` builds linetwin_<version>_<arch>.deb; it holds the programs, the engine's
#           libraries, headers and CMake config and the scenes; it depends on the package of every
#           shared library the CLI loads; and the linetwin from `dpkg -x` of it runs a bundled
#           scene with the results of this build's linetwin.
# Exits 77 (SKIP_RETURN_CODE) where a program the mode needs is missing.
# Usage: install_test.sh prefix|deb SOURCE_DIR BUILD_DIR CMAKE CPACK CXX VERSION VIEWER
#   (CXX: the compiler the build used; VERSION: the project's; VIEWER: 1 where the viewer is built)
set -euo pipefail
mode=$1
source_dir=$2
build=$3
cmake=$4
cpack=$5
cxx=$6
version=$7
viewer=$8
python=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

needs() {
  for program in "$@"; do
    if ! command -v "$program" >/dev/null; then
      echo "SKIP: needs $program"
      exit 77
    fi
  done
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# The mean throughput of a linetwin --json report (stdin).
json_throughput() {
  "$python" -c 'import json, sys
print(repr(json.load(sys.stdin)["kpis"]["throughput_per_hour"]["mean"]))'
}

# Runs linetwin ($1) on a scene ($2) and prints its mean throughput.
cli_throughput() {
  "$1" run "$2" --json - | json_throughput
}

# Configures and builds consumer/ (its program linked with the whole engine, and again with the io
# layer alone) against the linetwin installed in a prefix ($1), checking that it found that one
# and compiled with its headers, not this source tree's; then runs the first on a scene ($2),
# printing its throughput.
consumer_throughput() {
  local prefix=$1 consumer generator=()
  consumer=$(mktemp -d "$work/consumer.XXXX")
  if command -v ninja >/dev/null; then generator=(-G Ninja); fi
  "$cmake" -S "$source_dir/tests/install/consumer" -B "$consumer" "${generator[@]}" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >"$consumer.configure.log" || {
    cat "$consumer.configure.log" >&2
    fail "the consumer does not configure against $prefix"
  }
  grep -qxF "linetwin_DIR:PATH=$prefix/lib/cmake/linetwin" "$consumer/CMakeCache.txt" ||
    fail "find_package(linetwin) did not find $prefix/lib/cmake/linetwin"
  "$cmake" --build "$consumer" >"$consumer.build.log" || {
    cat "$consumer.build.log" >&2
    fail "the consumer does not build against $prefix"
  }
  grep -qF "$prefix/include/linetwin" "$consumer/compile_commands.json" ||
    fail "the consumer was not compiled with $prefix/include/linetwin"
  if grep -qF "$source_dir/engine" "$consumer/compile_commands.json"; then
    fail "the consumer was compiled with $source_dir/engine"
  fi
  "$consumer/consumer" "$2"
}

scene=share/linetwin/scenes/balanced_line.yaml

if [ "$mode" = prefix ]; then
  needs "$python"
  prefix=$work/prefix
  "$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" || {
    cat "$work/install.log"
    fail "cmake --install $build --prefix $prefix"
  }
  for file in bin/linetwin bin/linetwin-publish include/linetwin/plant/line_run.hpp \
              include/linetwin/linetwin_version.hpp lib/cmake/linetwin/linetwinConfig.cmake \
              "$scene" share/linetwin/assets/models/station.obj; do
    [ -e "$prefix/$file" ] || fail "the prefix lacks $file"
  done

  consumer=$(consumer_throughput "$prefix" "$prefix/$scene")
  cli=$(cli_throughput "$prefix/bin/linetwin" "$prefix/$scene")
  echo "consumer: $consumer parts/h; installed linetwin: $cli parts/h"
  "$python" - "$consumer" "$cli" <<'PY'
import sys
consumer, cli = float(sys.argv[1]), float(sys.argv[2])
if consumer != cli:
    sys.exit(f"FAIL: the consumer's throughput {consumer} is not the CLI's {cli}")
# Five stations of 60 s mean processing: no line of them ships 60 parts/h or more.
if not 0 < consumer < 60:
    sys.exit(f"FAIL: throughput {consumer} parts/h is outside (0, 60)")
PY
  exit 0
fi

[ "$mode" = deb ] || fail "unknown mode $mode (prefix or deb)"
# cpack's DEB generator writes the archive itself; dpkg-shlibdeps (dpkg-dev) finds the
# dependencies of the files that `file` tells are ELF.
needs "$python" dpkg dpkg-deb dpkg-shlibdeps file ldd readelf
"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$work/package" >"$work/cpack.log" 2>&1 || {
  cat "$work/cpack.log"
  fail "cpack -G DEB"
}
deb=$work/package/linetwin_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || {
  ls "$work/package"
  fail "cpack made no $(basename "$deb")"
}
dpkg-deb -f "$deb" Package Version Maintainer Depends Recommends
echo "$(du -k "$deb" | cut -f1) KiB"

dpkg -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/contents"
expected=(/usr/bin/linetwin /usr/bin/linetwin-publish /usr/include/linetwin/plant/line_run.hpp
          /usr/include/linetwin/plant/run/run_state.hpp /usr/include/linetwin/linetwin_version.hpp
          /usr/lib/cmake/linetwin/linetwinConfig.cmake
          /usr/lib/cmake/linetwin/linetwinConfigVersion.cmake
          /usr/lib/cmake/linetwin/linetwinTargets.cmake "/usr/$scene")
for layer in core plant experiment io telemetry recording live; do
  expected+=("/usr/lib/liblinetwin_$layer.a")
done
if [ "$viewer" = 1 ]; then expected+=(/usr/bin/linetwin-viewer); fi
for file in "${expected[@]}"; do
  grep -qxF "$file" "$work/contents" || fail "the package lacks $file"
done

dpkg -x "$deb" "$work/root"
linetwin=$work/root/usr/bin/linetwin
# The names in Depends, one a line, without their versions.
depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | awk '{print $1}')
# Every shared library the CLI names (its NEEDED entries; what those load in turn is their
# packages' business) comes from a package the .deb depends on. ldd tells where each is found,
# as the merged /lib path where the package may have shipped /usr/lib.
readelf -d "$linetwin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' >"$work/needed"
[ -s "$work/needed" ] || fail "readelf shows no shared library that $linetwin needs"
ldd "$linetwin" | awk 'NR == FNR {needed[$1]; next} $1 in needed && $3 ~ /^\// {print $3}' \
  "$work/needed" - >"$work/libraries"
[ "$(wc -l <"$work/libraries")" = "$(wc -l <"$work/needed")" ] ||
  fail "ldd does not find every library in $(paste -sd ' ' "$work/needed")"
while read -r library; do
  owner=$(dpkg -S "$library" 2>/dev/null || dpkg -S "/usr$library" 2>/dev/null) ||
    fail "no package holds $library"
  package=${owner%%:*}
  grep -qxF "$package" <<<"$depends" ||
    fail "the package does not depend on $package, which holds $library"
done <"$work/libraries"

extracted=$(cli_throughput "$linetwin" "$work/root/usr/$scene")
# The package's headers, libraries and config work where it was unpacked.
consumer=$(consumer_throughput "$work/root/usr" "$work/root/usr/$scene")
built=$(cli_throughput "$build/bin/linetwin" "$source_dir/scenes/balanced_line.yaml")
echo "extracted linetwin: $extracted parts/h; consumer built against it: $consumer parts/h;" \
  "this build's linetwin: $built parts/h"
"$python" - "$extracted" "$consumer" "$built" <<'PY'
import sys
extracted, consumer, built = map(float, sys.argv[1:])
if not extracted == consumer == built:
    sys.exit(f"FAIL: throughputs differ: {extracted}, {consumer}, {built}")
PY
