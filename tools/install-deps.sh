#!/usr/bin/env bash
# Installs the Debian 12 packages that linetwin needs to build, test and benchmark. Run as root.
# Pass --ci to add what the full test run needs beyond the main build (clang for the sanitizer and
# fuzzing build, clang-format for the format check, the mosquitto broker and clients for the live
# telemetry tests, h5py and pandas to check that recordings read without linetwin, pytest and
# PyYAML for the Python module's tests, mypy's stubtest for its type stubs, Dask's distributed
# for its sweeps on a cluster, GNU time for the memory test's peak resident set, xmllint for the
# sweep's JUnit and HTML files, and chromium, which opens the sweep's HTML report headless in a
# test).
set -euo pipefail

packages=(
  g++ cmake ninja-build git ca-certificates
  libfmt-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libboost-dev libfccp-dev
  doctest-dev libeigen3-dev libbenchmark-dev
  libsimdjson-dev libmosquitto-dev libhdf5-dev libpugixml-dev
  # The physics layer (-DLINETWIN_PHYSICS=ON, the default): Bullet, whose package holds both its
  # float and its double build; linetwin links the double one (bullet-float64, docs/physics.md).
  libbullet-dev
  python3
  # The Python module (bindings/python): pybind11 and the headers of Debian's python3, and numpy,
  # whose arrays hold each replication's KPIs.
  pybind11-dev python3-dev python3-numpy
  # cpack -G DEB (docs/install.md): file, and dpkg-shlibdeps for the package's dependencies.
  dpkg-dev file
  # The desktop viewer (-DLINETWIN_VIEWER=ON, the default): Dear ImGui with its GLFW and OpenGL 3
  # backends, GLFW, Assimp for 3D models, GLM, stb for PNGs, the GL headers; Mesa's software
  # renderer and Xvfb for its screenshot tests, doc images and frame benchmark without a GPU.
  libimgui-dev libglfw3-dev libassimp-dev libglm-dev libstb-dev libgl-dev libgl1-mesa-dri
  xvfb xauth
)
if [ "${1:-}" = "--ci" ]; then
  packages+=(clang clang-format mosquitto mosquitto-clients python3-h5py python3-pandas
             python3-pytest python3-yaml python3-distributed python3-mypy time libxml2-utils
             chromium)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
