#include "experiment/replications.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

#include <pthread.h>

#include "experiment/bottleneck.hpp"
#include "plant/line_run.hpp"

namespace linetwin {

ExperimentSettings settings_from_scene(const Scene& scene) {
  ExperimentSettings settings;
  settings.seed = scene.seed();
  settings.run = scene.run_settings();
  return settings;
}

ReplicationResult run_job(const ReplicationJob& job, const CancelFlag* cancel) {
  LineRun run = job.start ? LineRun::from_snapshot(*job.scene, job.start->snapshot, job.start->file,
                                                   job.seed, job.replication, job.run)
                          : LineRun(*job.scene, job.seed, job.replication, job.run);
  run.cancel_on(cancel);
  return run.run_to_end();
}

std::vector<ReplicationResult> run_jobs(const std::vector<ReplicationJob>& jobs, unsigned threads,
                                        const std::function<void()>& finished_one,
                                        const CancelFlag* cancel) {
  const std::size_t total = jobs.size();
  std::vector<ReplicationResult> results(total);
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, total));

  std::atomic<std::size_t> next{0};
  std::mutex progress_mutex;
  std::exception_ptr failure;
  auto worker = [&] {
    for (;;) {
      const std::size_t j = next.fetch_add(1);
      if (j >= total) return;
      try {
        if (cancel && cancel->load()) throw RunCancelled();
        results[j] = run_job(jobs[j], cancel);
      } catch (...) {
        // Exceptions never cross a thread: keep the first and stop handing out work.
        std::lock_guard lock(progress_mutex);
        if (!failure) failure = std::current_exception();
        next.store(total);
        return;
      }
      std::lock_guard lock(progress_mutex);
      if (finished_one) finished_one();
    }
  };
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&worker] {
        // Named for `top -H`, debuggers and the tests that wait for a run to be at work.
        pthread_setname_np(pthread_self(), kReplicationThreadName);
        worker();
      });
    }
  }
  if (failure) std::rethrow_exception(failure);
  return results;
}

std::vector<ReplicationResult> run_replications(const Scene& scene,
                                                const ExperimentSettings& settings) {
  std::vector<ReplicationJob> jobs(settings.run.replications);
  for (std::uint32_t r = 0; r < jobs.size(); ++r)
    jobs[r] = ReplicationJob{&scene, settings.seed, r, settings.run, settings.start};
  std::size_t finished = 0;
  std::function<void()> finished_one;
  if (settings.progress) {
    finished_one = [&] { settings.progress(++finished, jobs.size()); };
  }
  return run_jobs(jobs, settings.threads, finished_one, settings.cancel);
}

namespace {
// Summarises one number per replication, skipping replications where it is undefined (NaN),
// such as a lead time when no part came out, and replications that deadlocked.
template <class Get>
Estimate over(const std::vector<ReplicationResult>& reps, double confidence, Get get) {
  std::vector<double> values;
  values.reserve(reps.size());
  for (const ReplicationResult& r : reps) {
    if (r.deadlock) continue;
    const double v = get(r);
    if (!std::isnan(v)) values.push_back(v);
  }
  return estimate(values, confidence);
}
}  // namespace

ExperimentSummary summarize(const std::vector<ReplicationResult>& reps, double confidence) {
  ExperimentSummary s;
  s.confidence = confidence;
  s.replications = reps.size();
  if (reps.empty()) return s;
  s.throughput_per_hour = over(reps, confidence, [](auto& r) { return r.throughput_per_hour; });
  s.wip_mean = over(reps, confidence, [](auto& r) { return r.wip_mean; });
  s.lead_time_mean_s = over(reps, confidence, [](auto& r) { return r.lead_time_mean_s; });
  s.lead_time_p50_s = over(reps, confidence, [](auto& r) { return r.lead_time_p50_s; });
  s.lead_time_p95_s = over(reps, confidence, [](auto& r) { return r.lead_time_p95_s; });
  std::size_t running = 0;  // replications that did not deadlock
  // How often each station, then each fleet, was a replication's bottleneck.
  std::vector<std::size_t> times_bottleneck(reps.front().stations.size() +
                                            reps.front().fleets.size());
  for (const ReplicationResult& r : reps) {
    s.events += r.events;
    if (r.deadlock) {
      s.deadlocks.emplace_back(r.replication, *r.deadlock);
      continue;
    }
    ++running;
    if (const std::optional<Bottleneck> b = line_bottleneck(r)) {
      const bool fleet = b->kind == Bottleneck::Kind::kFleet;
      ++times_bottleneck[(fleet ? r.stations.size() : 0) + b->index];
    }
  }
  auto share_of_running = [&](std::size_t times) {
    return running > 0 ? static_cast<double>(times) / running
                       : std::numeric_limits<double>::quiet_NaN();
  };

  const std::size_t stations = reps.front().stations.size();
  double longest = 0.0;  // a station never active is nobody's bottleneck
  for (std::size_t i = 0; i < stations; ++i) {
    StationSummary st;
    auto field = [&](auto member) {
      return over(reps, confidence, [&](const ReplicationResult& r) {
        return static_cast<double>(r.stations[i].*member);
      });
    };
    st.working = field(&StationResult::working);
    st.setup = field(&StationResult::setup);
    st.waiting_operator = field(&StationResult::waiting_operator);
    st.starved = field(&StationResult::starved);
    st.blocked = field(&StationResult::blocked);
    st.down = field(&StationResult::down);
    st.off_shift = field(&StationResult::off_shift);
    st.waiting_for_vehicle = field(&StationResult::waiting_for_vehicle);
    st.parts_processed = field(&StationResult::parts_processed);
    st.parts_good = field(&StationResult::parts_good);
    st.parts_scrapped = field(&StationResult::parts_scrapped);
    st.parts_reworked = field(&StationResult::parts_reworked);
    st.failures = field(&StationResult::failures);
    st.setups = field(&StationResult::setups);
    auto oee = [&](auto member) {
      return over(reps, confidence,
                  [&](const ReplicationResult& r) { return r.stations[i].oee.*member; });
    };
    st.availability = oee(&OeeResult::availability);
    st.performance = oee(&OeeResult::performance);
    st.quality = oee(&OeeResult::quality);
    st.oee = oee(&OeeResult::oee);
    for (std::size_t line = 0; line < reps.front().stations[i].starved_by.size(); ++line) {
      st.starved_by.push_back(
          over(reps, confidence, [&](auto& r) { return r.stations[i].starved_by[line]; }));
    }
    st.active_period_mean_s = field(&StationResult::active_period_mean_s);
    st.bottleneck_share = share_of_running(times_bottleneck[i]);
    if (st.active_period_mean_s.mean > longest) {
      longest = st.active_period_mean_s.mean;
      s.bottleneck_station = i;
    }
    s.stations.push_back(st);
  }
  for (std::size_t i = 0; i < reps.front().buffers.size(); ++i) {
    BufferSummary b;
    b.occupancy_mean = over(reps, confidence, [&](auto& r) { return r.buffers[i].occupancy_mean; });
    for (const ReplicationResult& r : reps) {
      if (r.deadlock) continue;
      b.occupancy_max = std::max(b.occupancy_max.value_or(0), r.buffers[i].occupancy_max);
    }
    s.buffers.push_back(b);
  }
  for (std::size_t i = 0; i < reps.front().sources.size(); ++i) {
    SourceSummary src;
    src.arrivals =
        over(reps, confidence, [&](auto& r) { return static_cast<double>(r.sources[i].arrivals); });
    src.lost =
        over(reps, confidence, [&](auto& r) { return static_cast<double>(r.sources[i].lost); });
    src.loss_probability =
        over(reps, confidence, [&](auto& r) { return r.sources[i].loss_probability; });
    src.blocked = over(reps, confidence, [&](auto& r) { return r.sources[i].blocked; });
    s.sources.push_back(src);
  }
  for (std::size_t i = 0; i < reps.front().conveyors.size(); ++i) {
    ConveyorSummary c;
    c.parts_transported = over(reps, confidence, [&](auto& r) {
      return static_cast<double>(r.conveyors[i].parts_transported);
    });
    c.occupancy_mean =
        over(reps, confidence, [&](auto& r) { return r.conveyors[i].occupancy_mean; });
    c.stopped = over(reps, confidence, [&](auto& r) { return r.conveyors[i].stopped; });
    s.conveyors.push_back(c);
  }
  for (std::size_t i = 0; i < reps.front().operators.size(); ++i) {
    OperatorPoolSummary o;
    o.utilisation = over(reps, confidence, [&](auto& r) { return r.operators[i].utilisation; });
    o.walking = over(reps, confidence, [&](auto& r) { return r.operators[i].walking; });
    o.working = over(reps, confidence, [&](auto& r) { return r.operators[i].working; });
    o.on_shift = over(reps, confidence, [&](auto& r) { return r.operators[i].on_shift; });
    s.operators.push_back(o);
  }
  for (std::size_t i = 0; i < reps.front().fleets.size(); ++i) {
    auto vehicle = [&](auto get) {
      VehicleSummary v;
      v.loaded_travel = over(reps, confidence, [&](auto& r) { return get(r).loaded_travel; });
      v.empty_travel = over(reps, confidence, [&](auto& r) { return get(r).empty_travel; });
      v.driving_home = over(reps, confidence, [&](auto& r) { return get(r).driving_home; });
      v.waiting_for_zone = over(reps, confidence, [&](auto& r) { return get(r).waiting_for_zone; });
      v.handling = over(reps, confidence, [&](auto& r) { return get(r).handling; });
      v.idle = over(reps, confidence, [&](auto& r) { return get(r).idle; });
      v.orders =
          over(reps, confidence, [&](auto& r) { return static_cast<double>(get(r).orders); });
      v.charging = over(reps, confidence, [&](auto& r) { return get(r).charging; });
      v.charges =
          over(reps, confidence, [&](auto& r) { return static_cast<double>(get(r).charges); });
      v.energy_kwh = over(reps, confidence, [&](auto& r) { return get(r).energy_kwh; });
      v.busy = over(reps, confidence, [&](auto& r) { return busy_share(get(r)); });
      return v;
    };
    FleetSummary f;
    f.fleet = vehicle([i](const ReplicationResult& r) -> auto& { return r.fleets[i].fleet; });
    f.order_lead_time_mean_s =
        over(reps, confidence, [&](auto& r) { return r.fleets[i].order_lead_time_mean_s; });
    for (std::size_t k = 0; k < reps.front().fleets[i].vehicles.size(); ++k) {
      f.vehicles.push_back(vehicle(
          [ i, k ](const ReplicationResult& r) -> auto& { return r.fleets[i].vehicles[k]; }));
    }
    f.bottleneck_share = share_of_running(times_bottleneck[stations + i]);
    s.fleets.push_back(std::move(f));
  }
  if (!s.fleets.empty()) {
    std::vector<double> busy;
    for (std::size_t i = 0; i < s.fleets.size(); ++i)
      busy.push_back(
          over(reps, confidence, [&](auto& r) { return fleet_share(r.fleets[i]); }).mean);
    const double station_active =
        s.bottleneck_station
            ? over(reps, confidence,
                   [&](auto& r) { return active_share(r.stations[*s.bottleneck_station]); })
                  .mean
            : 0.0;
    s.bottleneck_fleet = busier_fleet(station_active, busy);
  }
  for (std::size_t i = 0; i < reps.front().zones.size(); ++i) {
    ZoneSummary z;
    z.waits =
        over(reps, confidence, [&](auto& r) { return static_cast<double>(r.zones[i].waits); });
    z.wait_s = over(reps, confidence, [&](auto& r) { return r.zones[i].wait_s; });
    s.zones.push_back(z);
  }
  for (std::size_t i = 0; i < reps.front().products.size(); ++i) {
    ProductSummary p;
    p.throughput_per_hour =
        over(reps, confidence, [&](auto& r) { return r.products[i].throughput_per_hour; });
    p.lead_time_mean_s =
        over(reps, confidence, [&](auto& r) { return r.products[i].lead_time_mean_s; });
    p.scrapped = over(reps, confidence,
                      [&](auto& r) { return static_cast<double>(r.products[i].scrapped); });
    s.products.push_back(p);
  }
  for (std::size_t i = 0; i < reps.front().wip_limits.size(); ++i) {
    s.wip_limits.push_back(
        over(reps, confidence, [&](auto& r) { return r.wip_limits[i].cards_in_use_mean; }));
  }
  s.scrap_rate = over(reps, confidence, [](auto& r) { return r.scrap_rate; });
  return s;
}

}  // namespace linetwin
