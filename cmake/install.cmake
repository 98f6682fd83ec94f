# What `cmake --install` puts where (docs/install.md), and the Debian package `cpack -G DEB`
# builds from the same rules. The programs and the engine's libraries and headers have their
# install rules beside their targets (tools/, engine/CMakeLists.txt); here: the CMake package
# config for the engine's export set, the bundled scenes, the Python package, and CPack.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(linetwin_config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/linetwin)
install(EXPORT linetwin NAMESPACE linetwin:: FILE linetwinTargets.cmake
        DESTINATION ${linetwin_config_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/linetwinConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/linetwinConfig.cmake
                              INSTALL_DESTINATION ${linetwin_config_dir})
# Before 1.0 a minor version may change the API.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/linetwinConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/linetwinConfig.cmake
              ${PROJECT_BINARY_DIR}/linetwinConfigVersion.cmake
        DESTINATION ${linetwin_config_dir})

# The scenes name their 3D models as ../assets/models/*.obj: the two folders stay side by side.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenes ${PROJECT_SOURCE_DIR}/assets
        DESTINATION ${CMAKE_INSTALL_DATADIR}/linetwin)

# The Python package linetwin: the extension and every Python file and stub of the package's
# folder, chosen by pattern at install time so that a module added there installs with no change
# here, and the PEP 561 marker (py.typed, made by bindings/python) that tells type checkers to
# read them. The default is where Debian's /usr/bin/python3 imports packages from under /usr
# (/usr/lib/python3/dist-packages, for every Python 3 version: the extension's file name carries
# its ABI); under another prefix, PYTHONPATH names the folder (docs/install.md). A STRING, not a
# PATH: a relative PATH given with -D would be made absolute from the working directory.
if(TARGET linetwin_python)
  set(LINETWIN_PYTHON_INSTALL_DIR lib/python3/dist-packages CACHE STRING
      "Where the Python package linetwin installs, relative to the prefix")
  set(python_package_dir ${LINETWIN_PYTHON_INSTALL_DIR}/linetwin)
  # No RPATH: the module loads only system libraries (CMake's build RPATH goes at install).
  install(TARGETS linetwin_python LIBRARY DESTINATION ${python_package_dir})
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/bindings/python/linetwin/
          DESTINATION ${python_package_dir} FILES_MATCHING PATTERN "*.py" PATTERN "*.pyi"
          PATTERN __pycache__ EXCLUDE)
  install(FILES ${PROJECT_BINARY_DIR}/bindings/python/linetwin/py.typed
          DESTINATION ${python_package_dir})
  # The extension is built for this interpreter's minor version only; the package imports numpy,
  # and only where used pandas (DataFrames) and Dask's distributed, PyYAML and h5py (a sweep on a
  # cluster).
  find_package(Python REQUIRED COMPONENTS Interpreter)
  math(EXPR python_next_minor "${Python_VERSION_MINOR} + 1")
  set(python_depends
      "python3 (>= ${Python_VERSION_MAJOR}.${Python_VERSION_MINOR}~)"
      "python3 (<< ${Python_VERSION_MAJOR}.${python_next_minor})" python3-numpy)
  set(python_suggests python3-pandas python3-distributed python3-yaml python3-h5py)
endif()

# One package with the programs, the Python package, the engine to build against and the scenes.
# dpkg-shlibdeps (dpkg-dev) derives the runtime dependencies from the programs and the
# extension; building against the engine also needs the -dev packages of the libraries the config
# finds, which the package recommends.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME linetwin)
set(CPACK_PACKAGE_VENDOR "linetwin maintainers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# The package's long description (CPack indents it and turns the empty line into " .").
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "linetwin simulates production lines (stations, buffers, conveyors, operators, failures and
shifts) by discrete events, runs replications, sweeps and paired comparisons, and keeps twins of
real lines from their telemetry (MQTT, MTConnect, recordings in HDF5).

This package holds the command-line program linetwin, the viewer linetwin-viewer, the telemetry
publisher linetwin-publish, the Python package linetwin (import linetwin; python3 -m linetwin),
the bundled scenes, and the engine's static libraries, headers and CMake package config
(find_package(linetwin)).")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER
    "linetwin maintainers <maintainers@users.noreply.h-seed-f8c5c204.example>")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # linetwin_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The dependencies dpkg-shlibdeps cannot see: the interpreter the Python package runs in.
string(JOIN ", " CPACK_DEBIAN_PACKAGE_DEPENDS ${python_depends})
string(JOIN ", " CPACK_DEBIAN_PACKAGE_SUGGESTS ${python_suggests})
string(JOIN ", " CPACK_DEBIAN_PACKAGE_RECOMMENDS cmake pkg-config libfmt-dev libyaml-cpp-dev
       nlohmann-json3-dev libsimdjson-dev libpugixml-dev libhdf5-dev libmosquitto-dev)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Debian ships programs stripped; cmake strips the programs only, never the static libraries.
set(CPACK_STRIP_FILES ON)
include(CPack)
