// Stations in a line run: how their servers take parts in, process them and hand them on.
//
// Stations pull: a server that becomes free takes from its inputs (buffers in front of it, parts
// waiting to be handed over directly, an unlimited supply) by the station's merge rule, first
// come first served by the time each part became ready, or by a priority order. An assembly
// station takes a main part and its components all at once; a batch station takes up to its batch
// size (station_intake.cpp). A server goes through setup (on a product change, from the
// station's matrix), processing, and handing over; each of setup and processing may need an
// operator (OperatorCrew), who walks to the station first and stays with it until the task is
// done. A server that is handing parts over is in a state of its own, so a cascade that comes back
// to its station (rework) never takes it for idle. Stops (breakdowns, shifts) are StationStops'.
//
// Plain stations (StationPath) take a short path through hand-over and refill: the functions on
// it are in station_flow_inline.hpp, inlined into the run loop.
#pragma once

#include <cstdint>
#include <vector>

#include "plant/line_snapshot.hpp"
#include "plant/replication_result.hpp"
#include "plant/run/flow_types.hpp"
#include "plant/run/station_state.hpp"
#include "plant/scene.hpp"

namespace linetwin {
class StateStream;
}  // namespace linetwin

namespace linetwin::line_run {

struct Line;

class StationFlow {
 public:
  void build(const Scene& scene, const std::vector<Node>& nodes, std::uint64_t seed,
             std::uint32_t replication);
  StationRun& at(std::uint32_t index) { return stations_[index]; }
  const StationRun& at(std::uint32_t index) const { return stations_[index]; }
  std::size_t size() const { return stations_.size(); }
  std::vector<StationRun>& all() { return stations_; }
  const std::vector<StationRun>& all() const { return stations_; }
  ServerRun& server(const StationRun& station, std::uint32_t k) {
    return servers_[station.first_server + k];
  }
  const ServerRun& server(const StationRun& station, std::uint32_t k) const {
    return servers_[station.first_server + k];
  }

  // Whether an offer to the station would be taken now. Assembly and batch stations decide for
  // themselves when to take parts (they pull from their buffers).
  bool can_take(const Line& line, const StationRun& station) const;
  bool offer(Line& line, StationRun& station, Part& part);
  // Every idle server takes its next part, if it can.
  void refill_all(Line& line, StationRun& station);

  void on_service_end(Line& line, StationRun& station, std::uint32_t k);
  void on_setup_end(Line& line, StationRun& station, std::uint32_t k);
  // Starts the setup or the processing a server waited for (its operator has come).
  void start_setup(Line& line, StationRun& station, std::uint32_t k);
  template <bool kPlain>
  void start_processing(Line& line, StationRun& station, std::uint32_t k);
  // A server's operator has gone off duty in the middle of its setup or processing: the work left
  // waits, and the server waits for an operator on duty. resume_work: one has come.
  void operator_left(Line& line, StationRun& station, std::uint32_t k);
  void resume_work(Line& line, StationRun& station, std::uint32_t k);

  // Server state changes, with the station's counts and time integrals.
  void set_state(Line& line, StationRun& station, ServerRun& server, ServerState state);
  void refresh_active(double now, StationRun& station);
  // Assembly stations: which inputs an idle server waits for.
  void update_starvation(const Line& line, StationRun& station);

  // A blocked server as the holder of its finished part.
  bool holds(const StationRun& station, const Holder& holder) const {
    const ServerRun& s = server(station, holder.server);
    return s.state == ServerState::kBlocked && s.ticket == holder.ticket;
  }
  Part take_held(StationRun& station, const Holder& holder);
  // Its part taken, the server frees itself and takes its next part (a plain station, inline)
  // or hands out the rest of what it holds (release_general, out of line).
  void release_held(Line& line, StationRun& station, const Holder& holder);
  void release_general(Line& line, StationRun& station, const Holder& holder);

  std::uint64_t parts_at(const StationRun& station) const;
  // The parts the station's servers hold, one entry per part, for a snapshot (the work done on
  // them is not known: NaN).
  void held_parts(const StationRun& station, std::vector<HeldPart>& out) const;
  // Starting from a snapshot (plant/line_run_snapshot.cpp), at time zero: idle server k takes
  // `part` with `remaining_s` of its processing left (waiting for an operator first if its
  // processing needs one), or takes it before its setup and processing began (a station in setup
  // or waiting for an operator), or holds it finished and hands it over, or waits to.
  void place_in_process(Line& line, StationRun& station, std::uint32_t k, const Part& part,
                        double remaining_s);
  void place_unstarted(Line& line, StationRun& station, std::uint32_t k, const Part& part);
  void place_finished(Line& line, StationRun& station, std::uint32_t k, const Part& part);
  void reset(double now);
  // Station results, the line's bottleneck and scrap rate.
  void write(double now, double observed_from_s, ReplicationResult& r) const;
  // Stations and servers (run_state.hpp); the servers per state, the busy count and whether a
  // station is halted are derived again on reading. `operators`: how many the scene has.
  void transfer_state(StateStream& io, const Scene& scene, std::size_t operators);

 private:
  template <ServerState kFrom, ServerState kTo, bool kRunning>
  void move_server(Line& line, StationRun& station, ServerRun& server);
  void arm_failure(Line& line, StationRun& station, bool was_operating, double end_s);
  void start_service(Line& line, StationRun& station, std::uint32_t k, const Part& part);
  void load_server(StationRun& station, std::uint32_t k, const Part& part);
  void begin_tasks(Line& line, StationRun& station, std::uint32_t k);
  // Server k is idle: it takes its next part. refill_from_buffer is the plain case with a part
  // waiting in the buffer in front (it says whether it took one); refill_other is the rest: it
  // returns at once where a plain station's buffer is empty and no one waits to hand a part
  // through it, and otherwise calls refill_elsewhere, out of line, which looks at every input.
  void refill(Line& line, StationRun& station, std::uint32_t k);
  bool refill_from_buffer(Line& line, StationRun& station, std::uint32_t k);
  void refill_other(Line& line, StationRun& station, std::uint32_t k);
  void refill_elsewhere(Line& line, StationRun& station, std::uint32_t k);
  bool pull_part(Line& line, StationRun& station, Part& part);
  bool pull_batch(Line& line, StationRun& station, std::uint32_t k);
  bool try_assemble(Line& line, StationRun& station, std::uint32_t k);
  std::uint32_t first_idle_server(const StationRun& station) const;
  // The parts server k holds: none when idle, else its part, batch or what it still hands over.
  std::size_t parts_of_server(const StationRun& station, std::uint32_t k) const;
  void finish(Line& line, StationRun& station, std::uint32_t k);
  void hand_out(Line& line, StationRun& station, std::uint32_t k);

  std::vector<StationRun> stations_;
  std::vector<ServerRun> servers_;
  std::vector<ServerLoad> loads_;  // parallel to servers_
  std::size_t product_count_ = 0;
  std::vector<double> ideal_s_;  // per station and product: mean processing time per part
};

}  // namespace linetwin::line_run
