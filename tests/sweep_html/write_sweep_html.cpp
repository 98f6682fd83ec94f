// Writes the HTML report of the sample sweep (sample_sweep_report.hpp), for the browser test.
// Usage: write_sweep_html REPORT.html
#include <cstdio>
#include <exception>
#include <fstream>
#include <stdexcept>
#include <string>

#include "io/sweep_html.hpp"
#include "sweep_html/sample_sweep_report.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fputs("usage: write_sweep_html REPORT.html\n", stderr);
    return 2;
  }
  try {
    const linetwin::test::SampleSweep sweep;
    std::ofstream out(argv[1]);
    linetwin::write_sweep_html(out, sweep.report());
    out.close();
    if (!out) throw std::runtime_error(std::string("cannot write ") + argv[1]);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "write_sweep_html: %s\n", error.what());
    return 1;
  }
  return 0;
}
