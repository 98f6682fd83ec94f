// The flow elements of the plant library on small lines whose behaviour is known exactly:
// products and their mixes, order files, per-product processing, setups, routing rules, merges,
// quality (scrap and rework), splits and assembly, and the part ledger that ties them together.
//
// Every expectation is worked out from the scene and the semantics stated in plant/line_run.hpp,
// plant/scene.hpp and plant/replication_result.hpp; the comment next to a check says how. Where a
// scene is random (mix, probability routing, scrap), the check is a binomial band around the
// stated share, wide enough (stated at each check) that a correct engine passes for any seed.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/distribution.hpp"
#include "core/random_stream.hpp"
#include "io/scene_file.hpp"
#include "plant/line_run.hpp"
#include "test_files.hpp"

using namespace linetwin;
using linetwin::test::TempDir;

namespace {

Scene scene_of(const std::string& yaml) {
  return load_scene_text("linetwin_scene: 1\n" + yaml, "flow.yaml");
}

ReplicationResult simulate(const Scene& scene, std::uint32_t replication = 0) {
  LineRun run(scene, scene.seed(), replication);
  return run.run_to_end();
}

ReplicationResult simulate(const std::string& yaml, std::uint32_t replication = 0) {
  return simulate(scene_of(yaml), replication);
}

// Writes the order file `orders.csv` (header and rows as given) and the scene next to it, which
// names it by a path relative to the scene file, and loads the scene from its file.
Scene scene_with_orders(const TempDir& dir, const std::string& rows, const std::string& yaml) {
  dir.write("orders.csv", "order_id,variant,release_time\n" + rows);
  return load_scene_file(dir.write("scene.yaml", "linetwin_scene: 1\n" + yaml));
}

// Half-width of a two-sided binomial band for a share p out of n draws at normal quantile z.
double band(double p, double n, double z) {
  return z * std::sqrt(p * (1.0 - p) / n);
}
constexpr double kZ99 = 2.576;    // 99 % two-sided
constexpr double kZ9999 = 3.891;  // 99.99 % two-sided

// created = in the line + completed + scrapped + consumed, over the whole run.
void check_conservation(const PartLedger& ledger) {
  CHECK(ledger.created == ledger.in_line + ledger.completed + ledger.scrapped + ledger.consumed);
}

}  // namespace

// ---- 1. conservation of parts ----

TEST_CASE("flow: the part ledger balances at every time, with scrap, rework, split and assembly") {
  // Random times everywhere, so that every element is at some point blocked, starved, reworking
  // or splitting; the ledger must balance at each stop of the clock, warm-up included, and the
  // parts in the line can never exceed what the line can hold.
  const Scene scene = scene_of(R"(
products: [body, screw]
run: {duration: 20000s, warmup: 1000s}
elements:
  - {id: bodies, type: source, interarrival: {distribution: exponential, mean: 12s}, product: body, to: Q0}
  - {id: Q0, type: buffer, capacity: 4, to: S0}
  - {id: R, type: buffer, capacity: unlimited, to: S0}
  - {id: S0, type: station, servers: 2, processing: {distribution: exponential, mean: 15s}, to: S1}
  - id: S1
    type: station
    processing: {distribution: exponential, mean: 6s}
    quality: {scrap: 0.1, rework: 0.2, rework_to: R}
    split: 2
    to: QM
  - {id: QM, type: buffer, capacity: 5, to: A}
  - {id: screws, type: source, supply: unlimited, product: screw, to: QC}
  - {id: QC, type: buffer, capacity: 6, to: A}
  - id: A
    type: station
    processing: {distribution: exponential, mean: 5s}
    assembly: {main: QM, components: [{from: QC, quantity: 3}]}
    quality: {scrap: {default: 0.0, body: 0.05}}
    to: out
  - {id: out, type: sink}
)");
  // Reworked parts go back through R, which never refuses, so the loop cannot lock up. What the
  // line holds at most: Q0 4 (a part refused by Q0 waits at the source, not yet entered), R as
  // many as it ever held, S0 2, S1 2 finished pieces, QM 5, QC 6, A 1.
  const std::uint64_t fixed_capacity = 4 + 2 + 2 + 5 + 6 + 1;
  for (std::uint32_t replication = 0; replication < 3; ++replication) {
    LineRun run(scene, scene.seed(), replication);
    for (double t = 0.0; t <= run.end_time(); t += 777.0) {
      run.advance_to(t);
      const ReplicationResult r = run.results();
      CAPTURE(t);
      check_conservation(r.ledger);
      CHECK(r.ledger.in_line <= fixed_capacity + r.buffers[1].occupancy_max);
      CHECK(r.parts_in_line_at_end == r.ledger.in_line);
    }
    const ReplicationResult r = run.run_to_end();
    check_conservation(r.ledger);
    CHECK(r.ledger.scrapped > 0);
    CHECK(r.ledger.consumed > 0);
    CHECK(r.stations[1].parts_reworked > 0);
    // Every assembly consumes exactly 3 screws, and the whole run's completions include the
    // observed period's.
    CHECK(r.ledger.consumed % 3 == 0);
    CHECK(r.ledger.completed >= r.parts_completed);
  }
}

TEST_CASE("flow: the part ledger balances on a deterministic split and assembly line") {
  // A splits each part into 2 every 10 s; the pieces are main parts of an assembly that takes
  // 1 screw from an unlimited supply. B needs 4 s, so it keeps up with 2 pieces per 10 s.
  const Scene scene = scene_of(R"(
products: [body, screw]
run: {duration: 100s}
elements:
  - {id: in, type: source, supply: unlimited, product: body, to: A}
  - {id: A, type: station, processing: 10s, split: 2, to: QM}
  - {id: QM, type: buffer, capacity: unlimited, to: B}
  - {id: screws, type: source, supply: unlimited, product: screw, to: QC}
  - {id: QC, type: buffer, capacity: 1, to: B}
  - id: B
    type: station
    processing: 4s
    assembly: {main: QM, components: [{from: QC}]}
    to: out
  - {id: out, type: sink}
)");
  LineRun run(scene, scene.seed(), 0);
  run.advance_to(25.0);
  // A finished at 10 and 20 s: 2 + 2 pieces. B assembled at 10 (done 14), 14 (done 18), 20
  // (done 24), 24 (in process at 25): 3 completed, 4 screws consumed, one screw waiting in QC.
  // Created: 3 bodies entered at A (0, 10, 20) + 2 extra pieces + 5 screws (4 consumed, 1 in QC).
  {
    const ReplicationResult r = run.results();
    CHECK(r.parts_completed == 3);
    CHECK(r.ledger.completed == 3);
    CHECK(r.ledger.consumed == 4);
    CHECK(r.ledger.scrapped == 0);
    // In the line: the body at A, the piece at B, the screw in QC.
    CHECK(r.ledger.in_line == 3);
    CHECK(r.ledger.created == 3 + 2 + 5);
    check_conservation(r.ledger);
  }
  const ReplicationResult r = run.run_to_end();
  // A finishes at 10, ..., 100 s: 10 parts, 20 pieces. B starts its pieces at 10, 14, 20, 24,
  // ..., 90, 94, 100: pieces from A's 1st to 9th part complete (18), the one started at 100 s
  // not yet.
  CHECK(r.stations[0].parts_processed == 10);
  CHECK(r.parts_completed == 18);
  CHECK(r.ledger.consumed == 19);
  check_conservation(r.ledger);
}

// ---- 2. per-product processing, throughput and lead time ----

TEST_CASE("flow: each product takes its own processing time; lead times per product are exact") {
  TempDir dir;
  // Orders alternate a and b every 30 s; M takes 10 s for a and 20 s for b, so no part ever
  // waits: a leaves 10 s after release, b 20 s after. Releases at 0, 30, 60, 90, 120, 150 s;
  // completions at 10, 50, 70, 110, 130 and 170 s, the last after the end (160 s).
  const Scene scene = scene_with_orders(dir,
                                        "o1,a,0\n"
                                        "o2,b,30\n"
                                        "o3,a,60\n"
                                        "o4,b,90\n"
                                        "o5,a,120\n"
                                        "o6,b,150\n",
                                        R"(
products: [a, b]
run: {duration: 160s}
elements:
  - {id: in, type: source, orders: orders.csv, to: M}
  - {id: M, type: station, processing: 99s, processing_by_product: {a: 10s, b: 20s}, to: out}
  - {id: out, type: sink}
)");
  const auto r = simulate(scene);
  REQUIRE(r.products.size() == 2);
  CHECK(r.products[0].completed == 3);
  CHECK(r.products[1].completed == 2);
  CHECK(r.products[0].lead_time_mean_s == doctest::Approx(10.0));
  CHECK(r.products[1].lead_time_mean_s == doctest::Approx(20.0));
  // 3 a per 160 s = 67.5 per hour; 2 b per 160 s = 45 per hour.
  CHECK(r.products[0].throughput_per_hour == doctest::Approx(3.0 / 160.0 * 3600.0));
  CHECK(r.products[1].throughput_per_hour == doctest::Approx(2.0 / 160.0 * 3600.0));
  CHECK(r.parts_completed == 5);
  CHECK(r.lead_time_mean_s == doctest::Approx((3 * 10.0 + 2 * 20.0) / 5.0));
  // Working: 3 x 10 + 3 x 20 s would be 90 s, but the last b runs only [150, 160]: 80 s of 160.
  CHECK(r.stations[0].working == doctest::Approx(80.0 / 160.0));
  CHECK(r.stations[0].setups == 0);
}

TEST_CASE("flow: a product without its own processing time takes the default") {
  // Products a, b, c; only b has its own time (5 s). A source of c alone: every part takes the
  // default 8 s. Unlimited supply: completions every 8 s, 12 in 100 s, lead time 8 s.
  const auto r = simulate(R"(
products: [a, b, c]
run: {duration: 100s}
elements:
  - {id: in, type: source, supply: unlimited, product: c, to: M}
  - {id: M, type: station, processing: 8s, processing_by_product: {b: 5s}, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.products[0].completed == 0);
  CHECK(r.products[1].completed == 0);
  CHECK(r.products[2].completed == 12);
  CHECK(r.products[2].lead_time_mean_s == doctest::Approx(8.0));
  CHECK(std::isnan(r.products[0].lead_time_mean_s));
}

TEST_CASE("flow: an exponential processing time is the distribution's own draw, on every path") {
  // M draws each part's time from its processing stream. Where every product takes one
  // exponential, the station keeps that mean at hand; where products differ (b: another mean,
  // or a gamma of shape 1, the same law drawn another way), it looks up the part's product. Only
  // a runs: either way its parts must take the draws of Exponential(60 s) from that stream, in
  // order. Parts arrive every 1,000 s, so none waits while every draw is shorter (required
  // below), and a part's lead time is its draw.
  for (const std::string b_time :
       {"{distribution: exponential, mean: 60s}", "{distribution: exponential, mean: 90s}",
        "{distribution: gamma, shape: 1, mean: 60s}"}) {
    CAPTURE(b_time);
    const Scene scene = scene_of(R"(
products: [a, b]
run: {duration: 20000s}
elements:
  - {id: in, type: source, interarrival: 1000s, product: a, to: M}
  - id: M
    type: station
    processing: {distribution: exponential, mean: 60s}
    processing_by_product: {b: )" +
                                 b_time + R"(}
    to: out
  - {id: out, type: sink}
)");
    const ReplicationResult r = simulate(scene);
    const std::uint64_t n = r.products[0].completed;
    REQUIRE(n >= 19);
    RandomStream stream(scene.seed(), "M", "processing", 0);
    const Distribution processing = Distribution::exponential(60.0);
    double total_s = 0.0;
    for (std::uint64_t i = 0; i < n; ++i) {
      const double draw_s = processing.sample(stream);
      REQUIRE(draw_s < 1000.0);
      total_s += draw_s;
    }
    // Another draw would be off by seconds; only the rounding of entry and exit times differs.
    CHECK(r.products[0].lead_time_mean_s ==
          doctest::Approx(total_s / static_cast<double>(n)).epsilon(1e-12));
  }
}

// ---- 3. order files and mixes ----

TEST_CASE("flow: an order source releases its orders at the listed times, in time order") {
  TempDir dir;
  // The file lists the orders out of time order and with a unit on one time; they are released
  // at 0, 20 s and 1 min, in that order. M takes 5 s, so each completes 5 s after its release.
  const Scene scene = scene_with_orders(dir,
                                        "late,p,1 min\n"
                                        "first,p,0\n"
                                        "second,p,20\n",
                                        R"(
product: p
run: {duration: 200s}
elements:
  - {id: in, type: source, orders: orders.csv, to: M}
  - {id: M, type: station, processing: 5s, to: out}
  - {id: out, type: sink}
)");
  LineRun run(scene, scene.seed(), 0);
  const std::vector<std::pair<double, std::uint64_t>> expected = {
      {4.9, 0}, {5.0, 1}, {19.9, 1}, {24.9, 1}, {25.0, 2}, {59.0, 2}, {64.9, 2}, {65.0, 3}};
  // Not a structured binding: clang 14 cannot capture one in CAPTURE's lambda.
  for (const auto& step : expected) {
    const double t = step.first;
    run.advance_to(t);
    CAPTURE(t);
    CHECK(run.results().parts_completed == step.second);
  }
  const auto r = run.run_to_end();
  // After the last order the source is silent: 3 arrivals, 3 completions, each in 5 s.
  CHECK(r.sources[0].arrivals == 3);
  CHECK(r.parts_completed == 3);
  CHECK(r.lead_time_mean_s == doctest::Approx(5.0));
  CHECK(r.lead_time_p95_s == doctest::Approx(5.0));
  CHECK(r.ledger.created == 3);
  check_conservation(r.ledger);
}

TEST_CASE("flow: advancing to an earlier time leaves the clock where it is") {
  // Stepping a run (viewers, the checks above) asks for times in order; a time already passed
  // must not move the clock back, or time averages would integrate negative spans.
  const Scene scene = scene_of(R"(
run: {duration: 100s}
elements:
  - {id: in, type: source, interarrival: 10s, to: M}
  - {id: M, type: station, processing: 5s, to: out}
  - {id: out, type: sink}
)");
  LineRun run(scene, scene.seed(), 0);
  run.advance_to(50.0);
  CHECK(run.now() == 50.0);
  run.advance_to(20.0);
  CHECK(run.now() == 50.0);
  CHECK(run.results().observed_s == 50.0);
  // Arrivals at 10, ..., 100 s, each done 5 s later: 9 completed by 95 s, the 10th just
  // started; M works 9 x 5 s of 100.
  const auto r = run.run_to_end();
  CHECK(r.parts_completed == 9);
  CHECK(r.stations[0].working == doctest::Approx(45.0 / 100.0));
}

TEST_CASE("flow: orders released while the station is busy wait in sequence") {
  TempDir dir;
  // Three orders at once and one at 12 s, M 10 s each: they start at 0, 10, 20, 30 s and
  // complete at 10, 20, 30, 40 s in file order; lead times 10, 20, 30 and 40 - 12 = 28 s. The
  // product of each order is that of its row: x, y, x, y.
  const Scene scene = scene_with_orders(dir,
                                        "o1,x,0\n"
                                        "o2,y,0\n"
                                        "o3,x,0\n"
                                        "o4,y,12\n",
                                        R"(
products: [x, y]
run: {duration: 100s}
elements:
  - {id: in, type: source, orders: orders.csv, to: Q}
  - {id: Q, type: buffer, capacity: unlimited, to: M}
  - {id: M, type: station, processing: 10s, to: out}
  - {id: out, type: sink}
)");
  const auto r = simulate(scene);
  CHECK(r.parts_completed == 4);
  CHECK(r.products[0].completed == 2);
  CHECK(r.products[1].completed == 2);
  CHECK(r.products[0].lead_time_mean_s == doctest::Approx((10.0 + 30.0) / 2.0));
  CHECK(r.products[1].lead_time_mean_s == doctest::Approx((20.0 + 28.0) / 2.0));
  CHECK(r.buffers[0].occupancy_max == 2);
}

TEST_CASE("flow: a mix source's product shares converge to the mix") {
  // One arrival a second for 20000 s straight into a sink: n = 20000 draws. The share of each
  // product is binomial; the band is 99.99 % two-sided (z = 3.891), e.g. +-0.0126 for p = 0.3.
  // Product c is declared between them with no share and never appears.
  const auto r = simulate(R"(
products: [a, c, b]
run: {duration: 20000s}
elements:
  - {id: in, type: source, interarrival: 1s, mix: {a: 0.3, b: 0.7}, to: out}
  - {id: out, type: sink}
)");
  const double n = 20000.0;
  REQUIRE(r.parts_completed == 20000);
  CHECK(r.products[1].completed == 0);
  CHECK(r.products[0].completed + r.products[2].completed == 20000);
  const double share_a = static_cast<double>(r.products[0].completed) / n;
  CHECK(std::abs(share_a - 0.3) <= band(0.3, n, kZ9999));
  // Several replications: each draws its own mix, and each lies in the band.
  for (std::uint32_t rep = 1; rep < 4; ++rep) {
    const auto other = simulate(R"(
products: [a, b]
run: {duration: 20000s}
elements:
  - {id: in, type: source, interarrival: 1s, mix: {a: 0.5, b: 0.5}, to: out}
  - {id: out, type: sink}
)",
                                rep);
    const double share = static_cast<double>(other.products[0].completed) / n;
    CAPTURE(rep);
    CHECK(std::abs(share - 0.5) <= band(0.5, n, kZ9999));
  }
}

// ---- 4. setups ----

TEST_CASE("flow: a setup is charged only when the product changes, with the matrix's time") {
  TempDir dir;
  // Sequence a, a, b, b, a all released at 0 s. a takes 10 s, b 20 s; a -> b costs 5 s, b -> a
  // 7 s, the diagonal 0. The first part needs no setup.
  //   a: 0-10; a: 10-20; setup 20-25, b: 25-45; b: 45-65; setup 65-72, a: 72-82.
  // Two setups, 12 s of setup; completions at 10, 20, 45, 65 and 82 s.
  const Scene scene = scene_with_orders(dir,
                                        "o1,a,0\n"
                                        "o2,a,0\n"
                                        "o3,b,0\n"
                                        "o4,b,0\n"
                                        "o5,a,0\n",
                                        R"(
products: [a, b]
run: {duration: 100s}
elements:
  - {id: in, type: source, orders: orders.csv, to: Q}
  - {id: Q, type: buffer, capacity: unlimited, to: M}
  - id: M
    type: station
    processing_by_product: {a: 10s, b: 20s}
    setup: {products: [a, b], times: [[0s, 5s], [7s, 0s]]}
    to: out
  - {id: out, type: sink}
)");
  LineRun run(scene, scene.seed(), 0);
  const std::vector<std::pair<double, std::uint64_t>> expected = {
      {9.9, 0}, {10, 1}, {20, 2}, {44.9, 2}, {45, 3}, {64.9, 3}, {65, 4}, {81.9, 4}, {82, 5}};
  // Not a structured binding: clang 14 cannot capture one in CAPTURE's lambda.
  for (const auto& step : expected) {
    const double t = step.first;
    run.advance_to(t);
    CAPTURE(t);
    CHECK(run.results().parts_completed == step.second);
  }
  const auto r = run.run_to_end();
  CHECK(r.stations[0].setups == 2);
  CHECK(r.stations[0].setup == doctest::Approx(12.0 / 100.0));
  CHECK(r.stations[0].working == doctest::Approx((10 + 10 + 20 + 20 + 10) / 100.0));
  CHECK(r.stations[0].starved == doctest::Approx(18.0 / 100.0));
  CHECK(r.products[0].lead_time_mean_s == doctest::Approx((10.0 + 20.0 + 82.0) / 3.0));
  CHECK(r.products[1].lead_time_mean_s == doctest::Approx((45.0 + 65.0) / 2.0));
  // OEE availability: run time = planned - setups = 88 of 100 s.
  CHECK(r.stations[0].oee.availability == doctest::Approx(0.88));
}

TEST_CASE("flow: each server of a station keeps its own last product for setups") {
  TempDir dir;
  // Two servers, orders a, b at 0 s and a, b at 30 s; 10 s each, change costs 4 s. Server 0
  // takes a, server 1 takes b at 0 s (first parts: no setup). At 30 s both are idle; the a goes
  // to the first idle server (server 0, last a: no setup), the b to server 1 (last b: none).
  // No setup at all; every part completes 10 s after release.
  const Scene scene = scene_with_orders(dir,
                                        "o1,a,0\n"
                                        "o2,b,0\n"
                                        "o3,a,30\n"
                                        "o4,b,30\n",
                                        R"(
products: [a, b]
run: {duration: 100s}
elements:
  - {id: in, type: source, orders: orders.csv, to: M}
  - id: M
    type: station
    servers: 2
    processing: 10s
    setup: {products: [a, b], times: [[0s, 4s], [4s, 0s]]}
    to: out
  - {id: out, type: sink}
)");
  const auto r = simulate(scene);
  CHECK(r.stations[0].setups == 0);
  CHECK(r.parts_completed == 4);
  CHECK(r.lead_time_mean_s == doctest::Approx(10.0));
}

// ---- 5. routing ----

TEST_CASE("flow: by_product routing sends each product to its own station") {
  // A mix of a and b every 100 s; a goes to A (1 s), b to B (2 s): nothing ever waits, so every
  // a has a lead time of exactly 1 s and every b 2 s, and each station processed exactly the
  // parts of its product. 100 arrivals in 10000 s, the last (10000 s) still in process.
  const auto r = simulate(R"(
products: [a, b]
run: {duration: 10000s}
elements:
  - {id: in, type: source, interarrival: 100s, mix: {a: 0.5, b: 0.5}, to: {by_product: {a: A, b: B}}}
  - {id: A, type: station, processing: 1s, to: out}
  - {id: B, type: station, processing: 2s, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.parts_completed == 99);
  CHECK(r.products[0].completed > 0);
  CHECK(r.products[1].completed > 0);
  CHECK(r.stations[0].parts_processed == r.products[0].completed);
  CHECK(r.stations[1].parts_processed == r.products[1].completed);
  CHECK(r.products[0].lead_time_mean_s == doctest::Approx(1.0));
  CHECK(r.products[1].lead_time_mean_s == doctest::Approx(2.0));
}

TEST_CASE("flow: round_robin routing hands parts to its targets in turn") {
  // Arrivals every 10 s from 10 s; three stations of 1 s each: arrival k (1-based) goes to
  // station (k - 1) mod 3, and is processed 1 s later.
  const Scene scene = scene_of(R"(
run: {duration: 1000s}
elements:
  - {id: in, type: source, interarrival: 10s, to: {round_robin: [S1, S2, S3]}}
  - {id: S1, type: station, processing: 1s, to: out}
  - {id: S2, type: station, processing: 1s, to: out}
  - {id: S3, type: station, processing: 1s, to: out}
  - {id: out, type: sink}
)");
  LineRun run(scene, scene.seed(), 0);
  std::uint64_t expected[3] = {0, 0, 0};
  for (int k = 1; k <= 10; ++k) {
    ++expected[(k - 1) % 3];
    run.advance_to(10.0 * k + 5.0);
    const auto r = run.results();
    CAPTURE(k);
    for (int s = 0; s < 3; ++s)
      CHECK(r.stations[s].parts_processed == expected[s]);
  }
  // 100 arrivals in 1000 s; the one at 1000 s is still in process: 33, 33, 33 processed.
  const auto r = run.run_to_end();
  CHECK(r.stations[0].parts_processed == 33);
  CHECK(r.stations[1].parts_processed == 33);
  CHECK(r.stations[2].parts_processed == 33);
}

TEST_CASE("flow: probability routing splits the flow by its shares") {
  // Arrivals every second; X gets each with probability 0.7. Arrivals at 1, ..., 10000 s, the
  // last still in process at the end: n = 9999 parts processed per replication.
  const Scene scene = scene_of(R"(
run: {duration: 10000s}
elements:
  - {id: in, type: source, interarrival: 1s, to: {probability: {X: 0.7, Y: 0.3}}}
  - {id: X, type: station, processing: 0.5s, to: out}
  - {id: Y, type: station, processing: 0.5s, to: out}
  - {id: out, type: sink}
)");
  const double n = 9999.0;
  double pooled = 0.0;
  constexpr int kReplications = 20;
  for (std::uint32_t rep = 0; rep < kReplications; ++rep) {
    const auto r = simulate(scene, rep);
    CAPTURE(rep);
    REQUIRE(r.parts_completed == 9999);
    CHECK(r.stations[0].parts_processed + r.stations[1].parts_processed == 9999);
    const double share_x = static_cast<double>(r.stations[0].parts_processed) / n;
    // Each replication: the 99.99 % band (z = 3.891), +-0.0178; a 99 % band would fail one
    // replication in a hundred of a correct engine (replication 0 lies at 3.0 sd).
    CHECK(std::abs(share_x - 0.7) <= band(0.7, n, kZ9999));
    pooled += share_x / kReplications;
  }
  // All 20 together, n = 199980 draws: the 99 % band (z = 2.576), +-0.0026.
  CHECK(std::abs(pooled - 0.7) <= band(0.7, n * kReplications, kZ99));
}

TEST_CASE("flow: shortest_queue routing picks the least loaded target") {
  // Arrivals every 10 s from 10 s. S1 takes 1000 s, S2 5 s. The first part finds both empty and
  // goes to the first target, S1. Every later part finds S1 busy (load 1) and S2 free (load 0):
  // S2 gets it. In 100 s: S1 processed nothing; S2 took parts at 20, ..., 100 s and finished
  // the 8 taken up to 90 s.
  const auto r = simulate(R"(
run: {duration: 100s}
elements:
  - {id: in, type: source, interarrival: 10s, to: {shortest_queue: [S1, S2]}}
  - {id: S1, type: station, processing: 1000s, to: out}
  - {id: S2, type: station, processing: 5s, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.stations[0].parts_processed == 0);
  CHECK(r.stations[1].parts_processed == 8);
  CHECK(r.sources[0].arrivals == 10);
}

TEST_CASE("flow: shortest_queue routing into buffers counts the parts waiting there") {
  TempDir dir;
  // Both stations take 1000 s, so nothing leaves the buffers during the run. Orders every
  // second from 0 to 6 s. Loads are the parts waiting in each buffer:
  //   t0: Q1 0, Q2 0 -> Q1 (first), straight through to S1.   t1: 0, 0 -> Q1, waits (Q1 = 1).
  //   t2: 1, 0 -> Q2, straight through to S2.                  t3: 1, 0 -> Q2 (Q2 = 1).
  //   t4: 1, 1 -> Q1 (Q1 = 2).  t5: 2, 1 -> Q2 (Q2 = 2).  t6: 2, 2 -> Q1 (Q1 = 3).
  const Scene scene =
      scene_with_orders(dir, "o0,p,0\no1,p,1\no2,p,2\no3,p,3\no4,p,4\no5,p,5\no6,p,6\n",
                        R"(
product: p
run: {duration: 100s}
elements:
  - {id: in, type: source, orders: orders.csv, to: {shortest_queue: [Q1, Q2]}}
  - {id: Q1, type: buffer, capacity: unlimited, to: S1}
  - {id: Q2, type: buffer, capacity: unlimited, to: S2}
  - {id: S1, type: station, processing: 1000s, to: out}
  - {id: S2, type: station, processing: 1000s, to: out}
  - {id: out, type: sink}
)");
  const auto r = simulate(scene);
  CHECK(r.buffers[0].occupancy_max == 3);
  CHECK(r.buffers[1].occupancy_max == 2);
  CHECK(r.ledger.in_line == 7);
}

TEST_CASE("flow: first_free routing uses a later target only when the earlier ones are busy") {
  // Arrivals every 10 s for 1000 s, handed to the first free of S1 and S2 straight from the
  // source or through a buffer; both stations take `processing`.
  const std::string from_source = R"(
run: {duration: 1000s}
elements:
  - {id: in, type: source, interarrival: 10s, to: {first_free: [S1, S2]}}
)";
  const std::string from_buffer = R"(
run: {duration: 1000s}
elements:
  - {id: in, type: source, interarrival: 10s, to: Q}
  - {id: Q, type: buffer, capacity: unlimited, to: {first_free: [S1, S2]}}
)";
  auto stations = [](const std::string& processing) {
    return "  - {id: S1, type: station, processing: " + processing + ", to: out}\n" +
           "  - {id: S2, type: station, processing: " + processing + ", to: out}\n" +
           "  - {id: out, type: sink}\n";
  };
  SUBCASE("the first target is always free in time: the second gets nothing") {
    // Arrivals every 10 s, S1 takes 5 s: S1 is free at every arrival. 100 arrivals in 1000 s,
    // the last (1000 s) still in process.
    const auto r = simulate(from_source + stations("5s"));
    CHECK(r.stations[0].parts_processed == 99);
    CHECK(r.stations[1].parts_processed == 0);
  }
  SUBCASE("the first target is busy at every second arrival") {
    // S1 takes 15 s: the arrivals at 10, 30, 50, ... s find it free, those at 20, 40, ... s
    // find it busy (until 25, 45, ... s) and go to S2 (free: its part took 15 s from 20 s).
    // In 1000 s: S1 took 50 parts, the last at 990 s still in process: 49; S2 took 50, the
    // last at 1000 s: 49.
    const auto r = simulate(from_source + stations("15s"));
    CHECK(r.stations[0].parts_processed == 49);
    CHECK(r.stations[1].parts_processed == 49);
    CHECK(r.lead_time_mean_s == doctest::Approx(15.0));
  }
  SUBCASE("a buffer hands its parts to the first free station after it") {
    // The same through a buffer that may route first_free to several stations.
    const auto r = simulate(from_buffer + stations("5s"));
    CHECK(r.stations[0].parts_processed == 99);
    CHECK(r.stations[1].parts_processed == 0);
    CHECK(r.buffers[0].occupancy_max == 0);
  }
}

// ---- 6. merges ----

TEST_CASE("flow: a priority merge takes from the high-priority input whenever it has parts") {
  // Two saturated inputs; M prefers QB. At 0 s M is idle when the a-supply (declared first)
  // offers its part, so M starts with an a; from then on QB always holds parts and M only takes
  // b. M completes at 10, 20, ..., 100 s: 1 a and 9 b.
  const auto r = simulate(R"(
products: [a, b]
run: {duration: 100s}
elements:
  - {id: sa, type: source, supply: unlimited, product: a, to: QA}
  - {id: sb, type: source, supply: unlimited, product: b, to: QB}
  - {id: QA, type: buffer, capacity: 3, to: M}
  - {id: QB, type: buffer, capacity: 3, to: M}
  - {id: M, type: station, processing: 10s, merge: {priority: [QB, QA]}, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.products[0].completed == 1);
  CHECK(r.products[1].completed == 9);
}

TEST_CASE("flow: first_come and priority merges choose between parts waiting at two inputs") {
  // Orders a at 0 s, b at 3 s, a at 5 s, routed by product to QA and QB in front of M (10 s).
  // The first a starts at once (0-10). At 10 s b (ready at 3 s) and a (ready at 5 s) wait.
  //   first_come: b 10-20 (lead 17), a 20-30 (lead 25); a mean (10 + 25) / 2, b 17.
  //   priority [QA, QB]: a 10-20 (lead 15), b 20-30 (lead 27); a mean (10 + 15) / 2, b 27.
  const std::string rows = "o1,a,0\no2,b,3\no3,a,5\n";
  auto scene_text = [](const std::string& merge) {
    return R"(
products: [a, b]
run: {duration: 100s}
elements:
  - {id: in, type: source, orders: orders.csv, to: {by_product: {a: QA, b: QB}}}
  - {id: QA, type: buffer, capacity: unlimited, to: M}
  - {id: QB, type: buffer, capacity: unlimited, to: M}
  - {id: M, type: station, processing: 10s, merge: )" +
           merge + R"(, to: out}
  - {id: out, type: sink}
)";
  };
  auto simulate_merging = [&](const std::string& merge) {
    TempDir dir;
    return simulate(scene_with_orders(dir, rows, scene_text(merge)));
  };
  SUBCASE("first come") {
    const auto r = simulate_merging("first_come");
    CHECK(r.parts_completed == 3);
    CHECK(r.products[0].lead_time_mean_s == doctest::Approx((10.0 + 25.0) / 2.0));
    CHECK(r.products[1].lead_time_mean_s == doctest::Approx(17.0));
  }
  SUBCASE("priority, the later part's input first") {
    const auto r = simulate_merging("{priority: [QA, QB]}");
    CHECK(r.parts_completed == 3);
    CHECK(r.products[0].lead_time_mean_s == doctest::Approx((10.0 + 15.0) / 2.0));
    CHECK(r.products[1].lead_time_mean_s == doctest::Approx(27.0));
  }
  SUBCASE("priority, the earlier part's input first") {
    // As first come: b (QB) first.
    const auto r = simulate_merging("{priority: [QB, QA]}");
    CHECK(r.products[0].lead_time_mean_s == doctest::Approx((10.0 + 25.0) / 2.0));
    CHECK(r.products[1].lead_time_mean_s == doctest::Approx(17.0));
  }
}

namespace {

// Orders a, b, b at 0 s, routed by product: a to F1 (6 s), the b's to F2 (4 s); both hand over
// directly to M (10 s), which merges them as `merge` says. The run lasts 30 s.
Scene two_stations_merging(const TempDir& dir, const std::string& merge) {
  return scene_with_orders(dir, "o1,a,0\no2,b,0\no3,b,0\n", R"(
products: [a, b]
run: {duration: 30s}
elements:
  - {id: in, type: source, orders: orders.csv, to: {by_product: {a: Q1, b: Q2}}}
  - {id: Q1, type: buffer, capacity: unlimited, to: F1}
  - {id: Q2, type: buffer, capacity: unlimited, to: F2}
  - {id: F1, type: station, processing: 6s, to: M}
  - {id: F2, type: station, processing: 4s, to: M}
  - {id: M, type: station, processing: 10s, merge: )" + merge + R"(, to: out}
  - {id: out, type: sink}
)");
}

}  // namespace

TEST_CASE("flow: a first_come merge of two stations takes the part that finished first") {
  TempDir dir;
  // Orders a, b, b at 0 s: a through F1 (6 s), the b's through F2 (4 s), into M (10 s), which
  // merges first come.
  //   F2 finishes b1 at 4 s, M idle: M takes it, 4-14 s. F2 starts b2 at 4 s.
  //   F1 finishes a at 6 s, M busy: F1 blocks. F2 finishes b2 at 8 s: F2 blocks.
  //   At 14 s M takes a (waiting since 6 s) before b2 (since 8 s): a 14-24 s, b2 24-34 s.
  const auto r = simulate(two_stations_merging(dir, "first_come"));
  // Completions in (0, 30]: b at 14 s (lead 14) and a at 24 s (lead 24); the second b is in M.
  CHECK(r.parts_completed == 2);
  CHECK(r.products[0].completed == 1);
  CHECK(r.products[0].lead_time_mean_s == doctest::Approx(24.0));
  CHECK(r.products[1].completed == 1);
  CHECK(r.products[1].lead_time_mean_s == doctest::Approx(14.0));
  // F2 blocked from 8 s to 24 s, F1 from 6 s to 14 s.
  CHECK(r.stations[1].blocked == doctest::Approx((24.0 - 8.0) / 30.0));
  CHECK(r.stations[0].blocked == doctest::Approx((14.0 - 6.0) / 30.0));
}

TEST_CASE("flow: a priority merge of two stations takes the preferred station's part") {
  TempDir dir;
  // As above with priority [F2, F1]: at 14 s both F1 (a, since 6 s) and F2 (b2, since 8 s)
  // wait; M takes b2 first (14-24 s), then a (24-34 s). In (0, 30]: b1 at 14 s and b2 at 24 s
  // complete, both entered at 0 s.
  const auto r = simulate(two_stations_merging(dir, "{priority: [F2, F1]}"));
  CHECK(r.products[0].completed == 0);
  CHECK(r.products[1].completed == 2);
  CHECK(r.products[1].lead_time_mean_s == doctest::Approx((14.0 + 24.0) / 2.0));
}

TEST_CASE("flow: first_come counts a part as ready when it is ready to leave its holder") {
  // z (0 s) goes through QB to M, which is busy 0-10 s. a (0 s) reaches M through a feeder that
  // finishes it at 8 s and then holds it; b (5 s) waits in QB from 5 s. At 10 s first come
  // takes b (ready since 5 s) before a (ready since 8 s): z done at 10 s (lead 10), b 10-20 s
  // (lead 15), a 20-30 s (lead 30). The feeder may be a plain station, a station with a
  // quality check (the general path), or an 8 m conveyor at 1 m/s.
  const std::string rows = "oz,z,0\noa,a,0\nob,b,5\n";
  auto scene_text = [](const std::string& feeder) {
    return R"(
products: [z, a, b]
run: {duration: 100s}
elements:
  - {id: in, type: source, orders: orders.csv, to: {by_product: {z: QB, a: F, b: QB}}}
  - {id: QB, type: buffer, capacity: unlimited, to: M}
  - )" + feeder +
           R"(
  - {id: M, type: station, processing: 10s, merge: first_come, to: out}
  - {id: out, type: sink}
)";
  };
  auto check_with_feeder = [&](const std::string& feeder) {
    TempDir dir;
    const auto r = simulate(scene_with_orders(dir, rows, scene_text(feeder)));
    CHECK(r.parts_completed == 3);
    CHECK(r.products[0].lead_time_mean_s == doctest::Approx(10.0));
    CHECK(r.products[1].lead_time_mean_s == doctest::Approx(30.0));
    CHECK(r.products[2].lead_time_mean_s == doctest::Approx(15.0));
  };
  SUBCASE("plain station") {
    check_with_feeder("{id: F, type: station, processing: 8s, to: M}");
  }
  SUBCASE("station with a quality check") {
    check_with_feeder("{id: F, type: station, processing: 8s, quality: {scrap: 0.0}, to: M}");
  }
  SUBCASE("conveyor") {
    check_with_feeder(
        "{id: F, type: conveyor, length_m: 8, speed_m_per_s: 1, spacing_m: 1, to: M}");
  }
}

TEST_CASE("flow: first_come counts a part held before a buffer of capacity 0 from its refusal") {
  TempDir dir;
  // As above, but a reaches M through F (plain, 8 s) and a buffer Z of capacity 0 (direct
  // hand-over), and b comes at 9 s. F finishes a at 8 s; M is busy until 10 s, so F holds a from
  // 8 s. At 10 s a (ready since 8 s) goes before b (in QB since 9 s): a 10-20 s (lead 20), b
  // 20-30 s (lead 21).
  const Scene scene = scene_with_orders(dir, "oz,z,0\noa,a,0\nob,b,9\n", R"(
products: [z, a, b]
run: {duration: 100s}
elements:
  - {id: in, type: source, orders: orders.csv, to: {by_product: {z: QB, a: F, b: QB}}}
  - {id: QB, type: buffer, capacity: unlimited, to: M}
  - {id: F, type: station, processing: 8s, to: Z}
  - {id: Z, type: buffer, capacity: 0, to: M}
  - {id: M, type: station, processing: 10s, merge: first_come, to: out}
  - {id: out, type: sink}
)");
  const auto r = simulate(scene);
  CHECK(r.parts_completed == 3);
  CHECK(r.products[0].lead_time_mean_s == doctest::Approx(10.0));
  CHECK(r.products[1].lead_time_mean_s == doctest::Approx(20.0));
  CHECK(r.products[2].lead_time_mean_s == doctest::Approx(21.0));
}

TEST_CASE("flow: an unlimited mix supply routed by product keeps each product on its line") {
  // The supply draws a or b; a goes to QA and line A, b to QB and line B. Each line's station
  // takes 1 s for its own product and 1000 s for the other, which it should never see: every
  // a takes 1 s at A and at most a few seconds in QA, every b likewise.
  const auto r = simulate(R"(
products: [a, b]
run: {duration: 5000s}
elements:
  - {id: in, type: source, supply: unlimited, mix: {a: 0.5, b: 0.5}, to: {by_product: {a: QA, b: QB}}}
  - {id: QA, type: buffer, capacity: 2, to: A}
  - {id: QB, type: buffer, capacity: 2, to: B}
  - {id: A, type: station, processing_by_product: {a: 1s, b: 1000s}, to: out}
  - {id: B, type: station, processing_by_product: {a: 1000s, b: 1s}, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.products[0].completed > 1000);
  CHECK(r.products[1].completed > 1000);
  CHECK(r.stations[0].parts_processed == r.products[0].completed);
  CHECK(r.stations[1].parts_processed == r.products[1].completed);
  // A part waits behind at most 2 parts of its own line (1 s each) and its own 1 s.
  CHECK(r.lead_time_p95_s <= 10.0);
  CHECK(r.products[0].lead_time_mean_s < 10.0);
  CHECK(r.products[1].lead_time_mean_s < 10.0);
}

// ---- 7. quality ----

TEST_CASE("flow: a station scraps parts with its scrap probability") {
  // Unlimited supply, 1 s per part for 10000 s: 10000 parts processed, each scrapped with
  // probability 0.2. The band is the binomial 99 % band (z = 2.576): +-0.0103.
  const auto r = simulate(R"(
run: {duration: 10000s}
elements:
  - {id: in, type: source, supply: unlimited, to: M}
  - {id: M, type: station, processing: 1s, quality: {scrap: 0.2}, to: out}
  - {id: out, type: sink}
)");
  const auto& m = r.stations[0];
  REQUIRE(m.parts_processed == 10000);
  CHECK(m.parts_good + m.parts_scrapped == m.parts_processed);
  CHECK(r.parts_completed == m.parts_good);
  CHECK(r.products[0].scrapped == m.parts_scrapped);
  const double share = static_cast<double>(m.parts_scrapped) / 10000.0;
  CHECK(std::abs(share - 0.2) <= band(0.2, 10000.0, kZ99));
  CHECK(r.scrap_rate == doctest::Approx(share));
  CHECK(m.oee.quality == doctest::Approx(1.0 - share));
  check_conservation(r.ledger);
}

TEST_CASE("flow: scrap shares are per product") {
  // a is scrapped with probability 1, b never: exactly the b complete.
  const auto r = simulate(R"(
products: [a, b]
run: {duration: 2000s}
elements:
  - {id: in, type: source, interarrival: 10s, mix: {a: 0.5, b: 0.5}, to: M}
  - {id: M, type: station, processing: 1s, quality: {scrap: {default: 0.0, a: 1.0}}, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.products[0].completed == 0);
  CHECK(r.products[1].scrapped == 0);
  CHECK(r.products[0].scrapped > 0);
  CHECK(r.products[0].scrapped + r.products[1].completed == r.stations[0].parts_processed);
}

TEST_CASE("flow: a station that scraps everything completes nothing") {
  // 10 s per part for 100 s: 10 parts processed, all scrapped; the 11th is in process.
  const auto r = simulate(R"(
run: {duration: 100s}
elements:
  - {id: in, type: source, supply: unlimited, to: M}
  - {id: M, type: station, processing: 10s, quality: {scrap: 1.0}, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.parts_completed == 0);
  CHECK(r.stations[0].parts_processed == 10);
  CHECK(r.stations[0].parts_scrapped == 10);
  CHECK(r.stations[0].parts_good == 0);
  CHECK(r.scrap_rate == doctest::Approx(1.0));
  CHECK(std::isnan(r.lead_time_mean_s));
  CHECK(r.ledger.scrapped == 10);
  CHECK(r.ledger.in_line == 1);
  check_conservation(r.ledger);
}

TEST_CASE("flow: reworked parts go back to the named upstream station and all complete") {
  // Arrivals every 100 s; S0 (1 s) then S1 (1 s) which sends a part back to S0 with
  // probability 0.5. A part's loop takes 2 s, far less than the gap between arrivals, so no part
  // ever waits: its lead time is 2 s x (number of passes). Every part leaves eventually.
  // Per part the passes are geometric: S1 processed = completed + reworked, and S0 processed the
  // same number (each pass goes through both). With n = 1000 parts, reworked / processed
  // estimates 0.5 (99.99 % band on about 2000 passes: +-0.044).
  const auto r = simulate(R"(
run: {duration: 100000s}
elements:
  - {id: in, type: source, interarrival: 100s, to: S0}
  - {id: S0, type: station, processing: 1s, to: S1}
  - {id: S1, type: station, processing: 1s, quality: {rework: 0.5, rework_to: S0}, to: out}
  - {id: out, type: sink}
)");
  const auto& s0 = r.stations[0];
  const auto& s1 = r.stations[1];
  // 1000 arrivals; the one at 100000 s is still at S0.
  CHECK(r.sources[0].arrivals == 1000);
  CHECK(r.parts_completed == 999);
  CHECK(s1.parts_reworked > 0);
  CHECK(s1.parts_good == r.parts_completed);
  CHECK(s1.parts_processed == s1.parts_good + s1.parts_reworked);
  // The part that arrived at 100000 s has just started at S0: not yet processed there.
  CHECK(s0.parts_processed == s1.parts_processed);
  const double share = static_cast<double>(s1.parts_reworked) / s1.parts_processed;
  CHECK(std::abs(share - 0.5) <= band(0.5, s1.parts_processed, kZ9999));
  // Lead time = 2 s per pass, passes = processed / completed.
  CHECK(r.lead_time_mean_s ==
        doctest::Approx(2.0 * static_cast<double>(s1.parts_processed) / r.parts_completed));
  check_conservation(r.ledger);
  CHECK(r.ledger.in_line == 1);
}

// A regression test: a server handing over once counted as idle, so the reworked part was offered
// back to the very server handing it over.
TEST_CASE("flow: rework into the buffer in front of the reworking station itself") {
  // Arrivals every 100 s into Q, M takes 1 s and sends a part back into Q with probability 0.5.
  // Q is empty and M's only server is handing the part over when the reworked part arrives: it
  // must wait in Q (or go straight to M once M is free), never be taken by a busy server. Every
  // part completes; lead time = 1 s x passes.
  const auto r = simulate(R"(
run: {duration: 10000s}
elements:
  - {id: in, type: source, interarrival: 100s, to: Q}
  - {id: Q, type: buffer, capacity: unlimited, to: M}
  - {id: M, type: station, processing: 1s, quality: {rework: 0.5, rework_to: Q}, to: out}
  - {id: out, type: sink}
)");
  const auto& m = r.stations[0];
  // 100 arrivals, the last at 10000 s still in process.
  CHECK(r.parts_completed == 99);
  CHECK(m.parts_reworked > 0);
  CHECK(m.parts_processed == m.parts_good + m.parts_reworked);
  CHECK(m.parts_good == 99);
  CHECK(r.lead_time_mean_s == doctest::Approx(static_cast<double>(m.parts_processed) / 99.0));
  check_conservation(r.ledger);
}

// Skipped for the same crash as the test above.
TEST_CASE("flow: rework straight back to the reworking station itself") {
  // As above without the buffer: M (one server) sends the part back to itself. Its server is
  // handing the part over, so the reworked part must wait for it to finish that, then start at
  // once: lead time = 1 s x passes, and every part completes.
  const auto r = simulate(R"(
run: {duration: 10000s}
elements:
  - {id: in, type: source, interarrival: 100s, to: M}
  - {id: M, type: station, processing: 1s, quality: {rework: 0.5, rework_to: M}, to: out}
  - {id: out, type: sink}
)");
  const auto& m = r.stations[0];
  CHECK(r.parts_completed == 99);
  CHECK(m.parts_reworked > 0);
  CHECK(m.parts_good == 99);
  CHECK(r.lead_time_mean_s == doctest::Approx(static_cast<double>(m.parts_processed) / 99.0));
  check_conservation(r.ledger);
}

// ---- 8. split ----

TEST_CASE("flow: a split station turns each part into n parts") {
  // 10 s per part for 100 s: 10 parts processed, 30 pieces completed, each with the lead time
  // of its original part (10 s: taken from the unlimited supply when M starts it).
  const auto r = simulate(R"(
run: {duration: 100s}
elements:
  - {id: in, type: source, supply: unlimited, to: M}
  - {id: M, type: station, processing: 10s, split: 3, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.stations[0].parts_processed == 10);
  CHECK(r.parts_completed == 30);
  CHECK(r.lead_time_mean_s == doctest::Approx(10.0));
  // Created: 11 parts entered (the 11th in process) + 2 extra pieces for each of 10.
  CHECK(r.ledger.created == 11 + 20);
  check_conservation(r.ledger);
}

TEST_CASE("flow: split pieces are scrapped or passed as one; scrapped parts do not split") {
  // S scraps everything: nothing is split, nothing completes.
  const auto r = simulate(R"(
run: {duration: 100s}
elements:
  - {id: in, type: source, supply: unlimited, to: M}
  - {id: M, type: station, processing: 10s, split: 4, quality: {scrap: 1.0}, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.parts_completed == 0);
  CHECK(r.ledger.created == 11);
  CHECK(r.ledger.scrapped == 10);
  check_conservation(r.ledger);
}

TEST_CASE("flow: pieces of a split feed the next station, which sees n times the flow") {
  // M splits into 2 every 10 s; N takes 5 s per piece, exactly keeping up. In 100 s M processes
  // 10 parts (20 pieces); N starts pieces at 10, 15, 20, ..., 95, 100 s and completes those
  // started up to 95 s: 18 pieces.
  const auto r = simulate(R"(
run: {duration: 100s}
elements:
  - {id: in, type: source, supply: unlimited, to: M}
  - {id: M, type: station, processing: 10s, split: 2, to: Q}
  - {id: Q, type: buffer, capacity: unlimited, to: N}
  - {id: N, type: station, processing: 5s, to: out}
  - {id: out, type: sink}
)");
  CHECK(r.stations[0].parts_processed == 10);
  CHECK(r.stations[1].parts_processed == 18);
  CHECK(r.parts_completed == 18);
  // The second piece of each pair waits 5 s in Q: lead times alternate 15 and 20 s.
  CHECK(r.lead_time_mean_s == doctest::Approx(17.5));
  check_conservation(r.ledger);
}

// ---- 9. assembly ----

namespace {

// A assembles a body with 2 screws in 1 s. Bodies come from an unlimited supply and wait in QM,
// which holds `bodies_waiting` of them; screws arrive one every `screw_interarrival` into QC,
// which holds any number. The run lasts `duration`.
std::string body_and_two_screws(const std::string& duration, int bodies_waiting,
                                const std::string& screw_interarrival) {
  return R"(
products: [body, screw]
run: {duration: )" +
         duration + R"(}
elements:
  - {id: bodies, type: source, supply: unlimited, product: body, to: QM}
  - {id: QM, type: buffer, capacity: )" +
         std::to_string(bodies_waiting) + R"(, to: A}
  - {id: screws, type: source, interarrival: )" +
         screw_interarrival + R"(, product: screw, to: QC}
  - {id: QC, type: buffer, capacity: unlimited, to: A}
  - id: A
    type: station
    processing: 1s
    assembly: {main: QM, components: [{from: QC, quantity: 2}]}
    to: out
  - {id: out, type: sink}
)";
}

}  // namespace

TEST_CASE("flow: an assembly starts only with its full bill of materials") {
  // Bodies are always there (unlimited supply into QM); screws come one every 10 s from 10 s,
  // and an assembly needs 2. Screws arrive at 10, ..., 1010 s: 101 screws, 50 assemblies
  // (floor(101 / 2)), started at 20, 40, ..., 1000 s and done 1 s later; one screw is left.
  const auto r = simulate(body_and_two_screws("1015s", 5, "10s"));
  const auto& a = r.stations[0];
  CHECK(a.parts_processed == 50);
  CHECK(r.parts_completed == 50);
  // The assembled part is the body: it carries the main part's product.
  CHECK(r.products[0].completed == 50);
  CHECK(r.products[1].completed == 0);
  CHECK(r.ledger.consumed == 100);
  check_conservation(r.ledger);
  // Lead time: a body enters when it is taken into QM; bodies wait there. In steady state each
  // body waits 5 assemblies (QM holds 5) = 100 s; averaging over the first bodies is messy, so
  // only the bound: at least the 1 s of assembly.
  CHECK(r.lead_time_mean_s >= 1.0);
  // Idle except 50 x 1 s; all that time a screw is short, never a body.
  CHECK(a.working == doctest::Approx(50.0 / 1015.0));
  REQUIRE(a.starved_by.size() == 2);
  CHECK(a.starved_by[0] == doctest::Approx(0.0));
  CHECK(a.starved_by[1] == doctest::Approx(965.0 / 1015.0));
  CHECK(a.starved == doctest::Approx(965.0 / 1015.0));
}

TEST_CASE("flow: an assembly without enough components never starts") {
  // One screw arrives (at 600 s, the next would be at 1200 s) but each assembly needs 2.
  const auto r = simulate(body_and_two_screws("1000s", 3, "600s"));
  CHECK(r.parts_completed == 0);
  CHECK(r.stations[0].parts_processed == 0);
  CHECK(r.ledger.consumed == 0);
  // In the line: 3 bodies in QM and the screw.
  CHECK(r.ledger.in_line == 4);
  check_conservation(r.ledger);
  CHECK(r.stations[0].starved_by[0] == doctest::Approx(0.0));
  CHECK(r.stations[0].starved_by[1] == doctest::Approx(1.0));
}

TEST_CASE("flow: assembly starvation is attributed to the short input only") {
  // Three lines: bodies (main) and washers plentiful, screws one every 10 s with 1 needed.
  // Assemblies start at 10, 20, ..., 600 s (60), 2 s each; the last starts at the end. The
  // station works 59 x 2 = 118 s and is idle the other 482 s of 600, all of it for want of a
  // screw. Each assembly consumes 1 screw and 2 washers.
  const auto r = simulate(R"(
products: [body, screw, washer]
run: {duration: 600s}
elements:
  - {id: bodies, type: source, supply: unlimited, product: body, to: QM}
  - {id: QM, type: buffer, capacity: 2, to: A}
  - {id: washers, type: source, supply: unlimited, product: washer, to: QW}
  - {id: QW, type: buffer, capacity: 4, to: A}
  - {id: screws, type: source, interarrival: 10s, product: screw, to: QS}
  - {id: QS, type: buffer, capacity: unlimited, to: A}
  - id: A
    type: station
    processing: 2s
    assembly: {main: QM, components: [{from: QW, quantity: 2}, {from: QS, quantity: 1}]}
    to: out
  - {id: out, type: sink}
)");
  const auto& a = r.stations[0];
  // The assembly started at 600 s is in process at the end: 59 completed.
  CHECK(r.parts_completed == 59);
  CHECK(r.ledger.consumed == 60 * 3);
  REQUIRE(a.starved_by.size() == 3);
  CHECK(a.starved_by[0] == doctest::Approx(0.0));
  CHECK(a.starved_by[1] == doctest::Approx(0.0));
  CHECK(a.starved_by[2] == doctest::Approx(482.0 / 600.0));
  check_conservation(r.ledger);
}

TEST_CASE("flow: an assembly waits for the main part when it is the short input") {
  // Components plentiful, bodies every 20 s: starvation is the main line's.
  const auto r = simulate(R"(
products: [body, screw]
run: {duration: 400s}
elements:
  - {id: bodies, type: source, interarrival: 20s, product: body, to: QM}
  - {id: QM, type: buffer, capacity: unlimited, to: A}
  - {id: screws, type: source, supply: unlimited, product: screw, to: QC}
  - {id: QC, type: buffer, capacity: 3, to: A}
  - id: A
    type: station
    processing: 5s
    assembly: {main: QM, components: [{from: QC, quantity: 3}]}
    to: out
  - {id: out, type: sink}
)");
  const auto& a = r.stations[0];
  // Bodies at 20, ..., 400 s: 20 assemblies, the last in process: 19 done, 60 screws used.
  CHECK(r.parts_completed == 19);
  CHECK(r.ledger.consumed == 60);
  // Working 19 x 5 + 0 (the last starts at 400 s) = 95 s; idle 305 s, all for want of a body.
  CHECK(a.starved_by[0] == doctest::Approx(305.0 / 400.0));
  CHECK(a.starved_by[1] == doctest::Approx(0.0));
  // Lead time: a body waits for nothing, 5 s.
  CHECK(r.lead_time_mean_s == doctest::Approx(5.0));
}
