// Order files: the release sequence of a just-in-sequence plant, a CSV file with one order a row.
//
// The header row names the columns order_id, variant and release_time, in any order; other
// columns (a customer, a comment) are ignored. Fields may be double-quoted and surrounding spaces
// are trimmed; blank lines are skipped. release_time is a duration from the start of the run, a
// bare number of seconds or a number with a unit as parse_duration_seconds accepts it ("90 min",
// "2h"), and must be >= 0 and no later than kMaxDurationS (core/duration.hpp).
//
// Every problem is an InputError with the file, the 1-based line and the column's name as the
// field (`release_time`), and what was expected. The orders come back sorted by release time; an
// order keeps its line so that later checks (an unknown variant) can still say where it was.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace linetwin {

struct Order {
  std::string id;
  std::string variant;
  double release_s = 0.0;  // from the start of the run
  int line = 0;            // 1-based line in the order file
};

// The most orders one file may hold: a bound on the memory a scene's order source asks for
// (docs/scene-format.md#limits). A row costs a few hundred bytes while it is read.
inline constexpr std::size_t kMaxOrders = 1'000'000;

// Sorted by release time; orders released at the same time keep their order in the file, since a
// sequence file lists them in the sequence the line is to build them.
std::vector<Order> load_order_file(const std::string& path);

}  // namespace linetwin
