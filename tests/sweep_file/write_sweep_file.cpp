// Writes the sample sweep file (sample_sweep.hpp) and a wide one, for sweep_file_test.py.
// Usage: write_sweep_file SAMPLE.h5 WIDE.h5
#include <cstdio>
#include <exception>

#include "recording/sweep_file.hpp"
#include "sweep_file/sample_sweep.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fputs("usage: write_sweep_file SAMPLE.h5 WIDE.h5\n", stderr);
    return 2;
  }
  try {
    linetwin::write_sweep_file(argv[1], "SAMPLE", linetwin::test::sample_sweep());
    linetwin::write_sweep_file(argv[2], "WIDE", linetwin::test::wide_sweep(3000));
  } catch (const std::exception& error) {
    std::fprintf(stderr, "write_sweep_file: %s\n", error.what());
    return 1;
  }
  return 0;
}
