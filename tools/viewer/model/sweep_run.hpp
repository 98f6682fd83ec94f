// SweepRun: `linetwin sweep SCENARIO` in the background while the viewer keeps drawing, with its
// progress, a cancel, and its results as the sweep panel shows them (SweepView).
//
// The scenario is read, planned (run settings, a detected warm-up) and run by the CLI's own code
// (tools/linetwin/sweep_support.hpp, experiment/sweep.hpp) on one background thread that runs
// the engine's sweep with the given worker threads, so that its results are `linetwin sweep`'s to
// the bit for the same scenario and seed, whatever the thread count. The sweep looks at the cancel
// flag between replications: cancel() returns at once, and the thread ends within one
// replication's time (and within one pilot replication while a warm-up is detected).
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>
#include <thread>

#include "sweep_support.hpp"
#include "sweep_view.hpp"

namespace linetwin::viewer {

class SweepRun {
 public:
  // Starts at once on a background thread; `flags` as `linetwin sweep`'s (replications, seed,
  // duration, warm-up, threads).
  SweepRun(std::string scenario_path, cli::SweepFlags flags);
  ~SweepRun();  // cancels and waits
  SweepRun(const SweepRun&) = delete;
  SweepRun& operator=(const SweepRun&) = delete;

  const std::string& scenario_path() const { return scenario_path_; }
  // Replications finished, of those planned so far (a precision goal or a selection plans more
  // as it goes; 0 of 0 while the scenario is read and a warm-up detected).
  std::size_t done() const { return done_.load(); }
  std::size_t total() const { return total_.load(); }
  bool finished() const { return finished_.load(); }
  void cancel() { cancel_.store(true); }
  bool cancelled() const { return cancel_.load(); }
  // Once finished(): what went wrong (a scenario refused, an output that failed), empty when
  // nothing did.
  const std::string& error() const { return error_; }
  // Once finished() (and not cancelled, and no error): the JSON `linetwin sweep --json` writes,
  // the replications, and the view of the JSON.
  const std::string& json() const { return json_; }
  const SweepResults& results() const { return results_; }
  const std::optional<SweepView>& view() const { return view_; }

 private:
  void work();
  std::string scenario_path_;
  cli::SweepFlags flags_;
  std::atomic<std::size_t> done_{0};
  std::atomic<std::size_t> total_{0};
  std::atomic<bool> cancel_{false};
  std::atomic<bool> finished_{false};
  std::string error_;
  std::string json_;
  SweepResults results_;
  std::optional<SweepView> view_;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace linetwin::viewer
