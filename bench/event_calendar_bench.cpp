// The HOLD model (Jones, "An empirical comparison of priority-queue and event-set
// implementations", CACM 1986): the calendar holds n pending events, and each operation pops the
// earliest and schedules a new one at the popped time plus a random increment, so the size stays
// n. It isolates the cost of the event set from everything a model does around it.
//
// Three event sets do the same HOLD operations on the same times:
//   - linetwin::EventCalendar directly (pop + schedule),
//   - linetwin::SimulationKernel::run with a handler that reschedules (adds the run loop, the
//     clock and the stop checks),
//   - std::priority_queue of (time, id) pairs with std::greater: the baseline a hand-written
//     simulation would use. It has no stable tie order, no cancel, no payload, so it is a lower
//     bound on what an event set costs rather than an equal competitor.
// Increments are exponential with mean 1 and are drawn before timing into one table that every
// event set walks in the same order, so random-number generation is not measured and all three
// see identical keys. Each benchmark reports `events_per_s`, the HOLD operations per second.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <utility>
#include <vector>

#include "bench_options.hpp"
#include "core/event_calendar.hpp"
#include "core/random_stream.hpp"
#include "core/simulation_kernel.hpp"

namespace {

using linetwin::EventCalendar;
using linetwin::EventPayload;
using linetwin::RandomStream;
using linetwin::ScheduledEvent;
using linetwin::SimulationKernel;

// 16 Ki increments (128 KiB): enough that the cycle never lines up with the heap, small enough
// that reading them costs the same to every event set.
constexpr std::size_t kIncrementCount = std::size_t{1} << 14;
constexpr std::size_t kIncrementMask = kIncrementCount - 1;
constexpr std::uint64_t kSeed = 20261126;

double exponential(RandomStream& rng, double mean) {
  return -mean * std::log(rng.uniform_open0());
}

const std::vector<double>& increments() {
  static const std::vector<double> table = [] {
    RandomStream rng(kSeed, "hold", "increment", 0);
    std::vector<double> values(kIncrementCount);
    for (double& v : values)
      v = exponential(rng, 1.0);
    return values;
  }();
  return table;
}

// The times of the n events the calendar starts with: exponential, mean 1, the same for every
// event set.
std::vector<double> initial_times(std::size_t n) {
  RandomStream rng(kSeed, "hold", "initial", 0);
  std::vector<double> times(n);
  for (double& t : times)
    t = exponential(rng, 1.0);
  return times;
}

void report_rate(benchmark::State& state, std::int64_t events) {
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}

void BM_Hold_EventCalendar(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::vector<double>& inc = increments();
  EventCalendar calendar;
  calendar.reserve(n);
  const std::vector<double> times = initial_times(n);
  for (std::size_t i = 0; i < n; ++i)
    calendar.schedule(times[i], EventPayload{static_cast<std::uint32_t>(i), 0, 0});

  std::size_t k = 0;
  for (auto _ : state) {
    const ScheduledEvent event = calendar.pop();
    calendar.schedule(event.time + inc[k++ & kIncrementMask], event.payload);
  }
  benchmark::DoNotOptimize(calendar.next_time());
  report_rate(state, state.iterations());
}

void BM_Hold_SimulationKernel(benchmark::State& state) {
  // The run loop is entered once per batch of events, as a model's run would be.
  constexpr std::uint64_t kBatch = 1000;
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::vector<double>& inc = increments();
  SimulationKernel kernel;
  kernel.calendar().reserve(n);
  const std::vector<double> times = initial_times(n);
  for (std::size_t i = 0; i < n; ++i)
    kernel.schedule_at(times[i], EventPayload{static_cast<std::uint32_t>(i), 0, 0});

  std::size_t k = 0;
  auto reschedule = [&](const ScheduledEvent& event) {
    kernel.schedule_in(inc[k++ & kIncrementMask], event.payload);
  };
  linetwin::RunLimits limits;
  limits.max_events = kBatch;
  for (auto _ : state)
    kernel.run(reschedule, limits);
  benchmark::DoNotOptimize(kernel.now());
  report_rate(state, state.iterations() * static_cast<std::int64_t>(kBatch));
}

void BM_Hold_PriorityQueue(benchmark::State& state) {
  using Entry = std::pair<double, std::uint64_t>;
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::vector<double>& inc = increments();
  std::vector<Entry> storage;
  storage.reserve(n + 1);
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue(std::greater<>{},
                                                                       std::move(storage));
  const std::vector<double> times = initial_times(n);
  for (std::size_t i = 0; i < n; ++i)
    queue.emplace(times[i], i);

  std::size_t k = 0;
  for (auto _ : state) {
    const Entry top = queue.top();
    queue.pop();
    queue.emplace(top.first + inc[k++ & kIncrementMask], top.second);
  }
  benchmark::DoNotOptimize(queue.top());
  report_rate(state, state.iterations());
}

void register_benchmarks(bool smoke) {
  // 10 is the size of the serial-line benchmark's calendar (one pending event per station); 1000
  // and 100000 are the classic HOLD sizes: a heap that fits in the L1 cache, one that outgrows L2.
  const std::vector<std::int64_t> sizes =
      smoke ? std::vector<std::int64_t>{10} : std::vector<std::int64_t>{10, 1000, 100000};
  for (const auto& [name, function] : {
           std::pair{"BM_Hold_EventCalendar", &BM_Hold_EventCalendar},
           std::pair{"BM_Hold_SimulationKernel", &BM_Hold_SimulationKernel},
           std::pair{"BM_Hold_PriorityQueue", &BM_Hold_PriorityQueue},
       }) {
    auto* b = benchmark::RegisterBenchmark(name, function)->ArgName("pending")->UseRealTime();
    for (std::int64_t n : sizes)
      b->Arg(n);
    if (!smoke) b->Repetitions(5)->ReportAggregatesOnly(true);
  }
}

}  // namespace

int main(int argc, char** argv) {
  return linetwin::bench::run_main(argc, argv, register_benchmarks);
}
