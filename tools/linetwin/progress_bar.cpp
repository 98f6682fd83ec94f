#include "progress_bar.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

namespace linetwin::cli {

ProgressBar::ProgressBar(std::string label) : label_(std::move(label)) {
  enabled_ = isatty(STDERR_FILENO) == 1 && std::getenv("CI") == nullptr;
}

ProgressBar::~ProgressBar() {
  finish();
}

void ProgressBar::finish() {
  if (drawn_) fmt::print(stderr, "\r\033[K");
  std::fflush(stderr);
  drawn_ = false;
}

void ProgressBar::update(std::size_t done, std::size_t total) {
  if (!enabled_ || total == 0) return;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(kWidth * done / total);
  fmt::print(stderr, "\r{} [{:=<{}}{:<{}}] {}/{}", label_, "", filled, "", kWidth - filled, done,
             total);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace linetwin::cli
