// The `linetwin` command line: headless runs for people at a terminal and for CI pipelines. The
// whole program is run_cli (cli.cpp), which the Python module runs too.
#include "cli.hpp"

int main(int argc, char** argv) {
  return linetwin::cli::run_cli(argc, argv);
}
