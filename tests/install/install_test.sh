#!/usr/bin/env bash
# Installs this build the two ways docs/install.md gives and uses what was installed as a user
# would, in a temporary folder of its own:
#   prefix: `cmake --install` into a prefix; the out-of-tree project in consumer/ configured
#           against it (find_package(linetwin), linetwin::engine) builds and runs
#           share/linetwin/scenes/balanced_line.yaml, and gives the throughput that the installed
#           bin/linetwin gives for that scene (the same engine, seed and replications), which is
#           below the 60 parts/h that any one of its stations could do alone; and, where the
#           Python module is built, /usr/bin/python3 with PYTHONPATH on the installed package
#           imports it from there and runs that scene as the installed linetwin does.
#   deb:    `cpack -G DEB` builds linetwin_<version>_<arch>.deb; it holds the programs, the engine's
#           libraries, headers and CMake config and the scenes; it depends on the package of every
#           shared library the CLI loads; and the linetwin from `dpkg -x` of it runs a bundled
#           scene with the results of this build's linetwin; with the Python module, it holds the
#           package where /usr/bin/python3 imports from, depends on python3 and python3-numpy, and
#           the unpacked package runs the scene as the unpacked linetwin does.
# Exits 77 (SKIP_RETURN_CODE) where a program the mode needs is missing.
# Usage: install_test.sh prefix|deb SOURCE_DIR BUILD_DIR CMAKE CPACK CXX VERSION VIEWER PYTHON
#                        PHYSICS
#   (CXX: the compiler the build used; VERSION: the project's; VIEWER, PYTHON, PHYSICS: 1 where the
#   viewer, the Python module, the physics layer is built)
set -euo pipefail
mode=$1
source_dir=$2
build=$3
cmake=$4
cpack=$5
cxx=$6
version=$7
viewer=$8
python_module=$9
physics=${10}
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

# Where the Python package installs, relative to the prefix (cmake/install.cmake).
python_dir=$(sed -n 's/^LINETWIN_PYTHON_INSTALL_DIR:STRING=//p' "$build/CMakeCache.txt")
if [ "$python_module" = 1 ] && [ -z "$python_dir" ]; then
  fail "$build/CMakeCache.txt has no LINETWIN_PYTHON_INSTALL_DIR"
fi

# The files the Python package must have installed, relative to its folder: every module and stub
# of the source package, the PEP 561 marker, and the extension under this interpreter's name.
python_package_files() {
  (cd "$source_dir/bindings/python/linetwin" &&
    find . -type f \( -name '*.py' -o -name '*.pyi' \) | sed 's|^\./||')
  echo py.typed
  echo "_core$("$python" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')"
}

# Fails where an ELF file ($1) has an RPATH or RUNPATH: the extension loads system libraries only,
# and an RPATH left from the build would point into the build tree (Debian policy forbids both).
no_rpath() {
  if readelf -d "$1" | grep -E '\((RPATH|RUNPATH)\)'; then fail "$1 has an RPATH"; fi
}

# The installed Python package in a folder ($1) as a user runs it, from a folder of its own so
# that nothing beside it is imported: `import linetwin` must come from $1, and the scene ($2) run
# with the CLI's defaults must give the JSON object of linetwin ($3) for it, and `python3 -m
# linetwin run SCENE --json -` its very bytes. Prints the throughput.
python_throughput() {
  local packages=$1 scene=$2 cli=$3
  "$cli" run "$scene" --json - >"$work/cli.json"
  (
    cd "$(mktemp -d "$work/python.XXXX")"
    PYTHONPATH=$packages "$python" - "$packages" "$scene" "$work/cli.json" <<'PY'
import json
import os
import sys

packages, scene, cli_json = sys.argv[1:]
import linetwin
for module in (linetwin, linetwin._core):
    if os.path.dirname(module.__file__) != os.path.join(packages, "linetwin"):
        sys.exit(f"FAIL: {module.__name__} was imported from {module.__file__}, not {packages}")
results = linetwin.load_scene(scene).run()
with open(cli_json) as f:
    if results.to_dict() != json.load(f):
        sys.exit(f"FAIL: the installed package's results for {scene} are not the CLI's")
print(repr(results.throughput_per_hour.mean))
PY
    PYTHONPATH=$packages "$python" -m linetwin run "$scene" --json - >"$work/python.json"
  )
  cmp "$work/cli.json" "$work/python.json" ||
    fail "python3 -m linetwin run $scene --json - is not the installed linetwin's output"
}

scene=share/linetwin/scenes/balanced_line.yaml

if [ "$mode" = prefix ]; then
  needs "$python"
  if [ "$python_module" = 1 ]; then needs readelf; fi
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
  [ "$python_module" = 1 ] || exit 0

  packages=$prefix/$python_dir
  while read -r file; do
    [ -f "$packages/linetwin/$file" ] || fail "the prefix lacks $python_dir/linetwin/$file"
  done < <(python_package_files)
  no_rpath "$packages/linetwin/_core"*.so
  from_python=$(python_throughput "$packages" "$prefix/$scene" "$prefix/bin/linetwin")
  echo "the installed Python package: $from_python parts/h"
  exit 0
fi

[ "$mode" = deb ] || fail "unknown mode $mode (prefix or deb)"
# cpack's DEB generator writes the archive itself; dpkg-shlibdeps (dpkg-dev) finds the
# dependencies of the files that `file` tells are ELF.
needs "$python" dpkg dpkg-deb dpkg-query dpkg-shlibdeps file ldd readelf
"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$work/package" >"$work/cpack.log" 2>&1 || {
  cat "$work/cpack.log"
  fail "cpack -G DEB"
}
deb=$work/package/linetwin_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || {
  ls "$work/package"
  fail "cpack made no $(basename "$deb")"
}
dpkg-deb -f "$deb" Package Version Maintainer Depends Recommends Suggests
echo "$(du -k "$deb" | cut -f1) KiB"

dpkg -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/contents"
expected=(/usr/bin/linetwin /usr/bin/linetwin-publish /usr/include/linetwin/plant/line_run.hpp
          /usr/include/linetwin/plant/run/run_state.hpp /usr/include/linetwin/linetwin_version.hpp
          /usr/lib/cmake/linetwin/linetwinConfig.cmake
          /usr/lib/cmake/linetwin/linetwinConfigVersion.cmake
          /usr/lib/cmake/linetwin/linetwinTargets.cmake "/usr/$scene")
for layer in core transport plant experiment io telemetry recording live; do
  expected+=("/usr/lib/liblinetwin_$layer.a")
done
if [ "$viewer" = 1 ]; then expected+=(/usr/bin/linetwin-viewer); fi
if [ "$physics" = 1 ]; then expected+=(/usr/lib/liblinetwin_physics.a); fi
if [ "$python_module" = 1 ]; then
  while read -r file; do
    expected+=("/usr/$python_dir/linetwin/$file")
  done < <(python_package_files)
fi
for file in "${expected[@]}"; do
  grep -qxF "$file" "$work/contents" || fail "the package lacks $file"
done

dpkg -x "$deb" "$work/root"
linetwin=$work/root/usr/bin/linetwin
for program in "$work/root/usr/bin/"*; do no_rpath "$program"; done
# The names in Depends, one a line, without their versions.
depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | awk '{print $1}')
if [ "$python_module" = 1 ]; then
  # Installed under /usr, the package is where this interpreter imports from without PYTHONPATH.
  env -u PYTHONPATH "$python" -c 'import sys; sys.exit(sys.argv[1] not in sys.path)' \
    "/usr/$python_dir" ||
    fail "$python does not import from /usr/$python_dir"
  no_rpath "$work/root/usr/$python_dir/linetwin/_core"*.so
  for package in python3 python3-numpy; do
    grep -qxF "$package" <<<"$depends" || fail "the package does not depend on $package"
  done
  # The extension is for this interpreter's version: its python3 satisfies the package's bounds.
  installed=$(dpkg-query -W -f '${Version}' python3)
  while read -r relation bound; do
    dpkg --compare-versions "$installed" "$relation" "$bound" ||
      fail "python3 $installed is not $relation $bound, as the package requires"
  done < <(dpkg-deb -f "$deb" Depends | tr ',' '\n' |
           sed -n 's/^ *python3 (\(.*\) \(.*\))$/\1 \2/p')
fi
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
[ "$python_module" = 1 ] || exit 0
from_python=$(python_throughput "$work/root/usr/$python_dir" "$work/root/usr/$scene" "$linetwin")
echo "the unpacked Python package: $from_python parts/h"
