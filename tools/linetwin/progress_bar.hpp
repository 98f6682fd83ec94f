// A one-line progress bar for long runs: drawn on stderr only when stderr is a terminal and the
// CI environment variable is unset, so logs and pipes stay clean.
#pragma once

#include <cstddef>
#include <string>

namespace linetwin::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void update(std::size_t done, std::size_t total);
  // Clears the bar's line, so that what is printed next starts on a clean line.
  void finish();
  bool enabled() const { return enabled_; }

 private:
  std::string label_;
  bool enabled_ = false;
  bool drawn_ = false;
};

}  // namespace linetwin::cli
