// Bounds on what a scene can ask for (docs/scene-format.md#limits): a scene that asks for more
// servers, operators, conveyor places, values per product or elements than the documented limits,
// or for a run longer than a recording can hold, is bad input that names the field, refused
// before anything of that size is allocated. The same limits hold for scenes built through the
// SceneBuilder API.
#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "core/input_error.hpp"
#include "input_error_check.hpp"
#include "io/scene_file.hpp"
#include "plant/scene.hpp"

using namespace linetwin;
using linetwin::test::input_error;
using linetwin::test::says;

namespace {

// A source, one station M with `station_extra` in its mapping, and a sink; `top` comes before the
// element list.
std::string scene_text(const std::string& station_extra, const std::string& top = "") {
  return fmt::format(
      "linetwin_scene: 1\n{}elements:\n"
      "  - {{id: in, type: source, supply: unlimited, to: M}}\n"
      "  - {{id: M, type: station, processing: 1min, {}to: out}}\n"
      "  - {{id: out, type: sink}}\n",
      top, station_extra);
}

InputError load_error(const std::string& text) {
  return input_error([&] { load_scene_text(text, "big.yaml"); });
}

// "[p0, p1, ...]": `count` product names.
std::string product_list(std::size_t count) {
  std::string list = "[";
  for (std::size_t p = 0; p < count; ++p)
    list.append(p == 0 ? "p" : ", p").append(std::to_string(p));
  return list + "]";
}

}  // namespace

TEST_CASE("limits: 10^12 servers on a station") {
  const InputError e = load_error(scene_text("servers: 1000000000000, "));
  CHECK(e.where().field_path == "elements[M].servers");
  CHECK(e.where().line == 4);
  CHECK(says(e, "expected a whole number from 1 to 65535, found 1000000000000"));
}

TEST_CASE("limits: more than 10^6 servers in all stations together") {
  // 15 stations of 65,535 servers are 983,025; the 16th brings them to 1,048,560.
  std::string text =
      "linetwin_scene: 1\nelements:\n  - {id: in, type: source, supply: unlimited, to: S1}\n";
  for (int s = 1; s <= 16; ++s) {
    text +=
        fmt::format("  - {{id: S{}, type: station, servers: 65535, processing: 1min, to: {}}}\n", s,
                    s == 16 ? std::string("out") : fmt::format("S{}", s + 1));
  }
  text += "  - {id: out, type: sink}\n";
  const InputError e = load_error(text);
  CHECK(e.where().field_path == "elements[S16].servers");
  CHECK(e.where().line == 19);
  CHECK(says(e, "expected at most 1000000 servers in all stations together"));
}

TEST_CASE("limits: 10^15 operators in a pool, and more than 10^5 in all pools") {
  const InputError huge = load_error(
      scene_text("", "operators:\n  - {pool: crew, count: 1000000000000000, skills: [fitting]}\n"));
  CHECK(huge.where().field_path == "operators[0].count");
  CHECK(huge.where().line == 3);
  CHECK(says(huge, "expected a whole number from 1 to 100000, found 1000000000000000"));

  const InputError total = load_error(scene_text("",
                                                 "operators:\n"
                                                 "  - {pool: early, count: 60000, skills: [a]}\n"
                                                 "  - {pool: late, count: 40001, skills: [a]}\n"));
  CHECK(total.where().field_path == "operators[1].count");
  CHECK(total.where().line == 4);
  CHECK(says(total, "expected at most 100000 operators in all pools together"));
  CHECK_NOTHROW(load_scene_text(scene_text("",
                                           "operators:\n"
                                           "  - {pool: early, count: 60000, skills: [a]}\n"
                                           "  - {pool: late, count: 40000, skills: [a]}\n"),
                                "big.yaml"));
}

TEST_CASE("limits: a conveyor of 10^12 m at 1 mm spacing") {
  auto belt = [](std::string_view length_m, std::string_view spacing_m) {
    return fmt::format(
        "linetwin_scene: 1\nelements:\n"
        "  - {{id: in, type: source, supply: unlimited, to: belt}}\n"
        "  - {{id: belt, type: conveyor, length_m: {}, speed_m_per_s: 1, "
        "spacing_m: {}, to: out}}\n"
        "  - {{id: out, type: sink}}\n",
        length_m, spacing_m);
  };
  const InputError e = load_error(belt("1e12", "0.001"));
  CHECK(e.where().field_path == "elements[belt]");
  CHECK(e.where().line == 4);
  CHECK(says(e,
             "expected a belt that holds at most 1000000 parts (length_m / spacing_m), found "
             "1e+12 m / 0.001 m = 1e+15"));
  // Exactly the limit is allowed.
  CHECK(load_scene_text(belt("1e6", "1"), "big.yaml").conveyors().size() == 1);
}

TEST_CASE("limits: batches, splits and bills of materials of more than 10^5 parts") {
  const InputError batch = load_error(scene_text("batch: {max: 100001}, "));
  CHECK(batch.where().field_path == "elements[M].batch.max");
  CHECK(says(batch, "expected a whole number from 1 to 100000, found 100001"));
  const InputError split = load_error(scene_text("split: 1000000000, "));
  CHECK(split.where().field_path == "elements[M].split");
}

TEST_CASE("limits: values per product, a setup matrix of 4096 x 4096 products") {
  // 4096^2 = 16,777,216 values, more than the 2^22 a scene may hold; refused before the matrix is
  // allocated, whatever the matrix lists.
  const std::string text =
      scene_text("setup: {products: [p0, p1], times: [[0s, 1min], [1min, 0s]]}, ",
                 fmt::format("products: {}\n", product_list(4096)));
  const InputError e = load_error(text);
  CHECK(e.where().field_path == "elements[M].setup");
  CHECK(e.where().line == 5);
  CHECK(says(e, "the scene's values per product would pass 4194304 here"));
  // 2048^2 is exactly the limit.
  const std::string fits =
      scene_text("setup: {products: [p0, p1], times: [[0s, 1min], [1min, 0s]]}, ",
                 fmt::format("products: {}\n", product_list(2048)));
  CHECK(load_scene_text(fits, "big.yaml").products().size() == 2048);
}

TEST_CASE("limits: more than 10^5 elements") {
  // Checked before any element is read: these are not even elements.
  std::string list;
  for (std::size_t i = 0; i <= kMaxElements; ++i)
    list += i == 0 ? "0" : ",0";
  const InputError e = load_error(fmt::format("linetwin_scene: 1\nelements: [{}]\n", list));
  CHECK(e.where().field_path == "elements");
  CHECK(e.where().line == 2);
  CHECK(says(e, "expected at most 100000 elements, found 100001"));
}

TEST_CASE("limits: a run longer than a recording's clock holds") {
  // From 2026-01-05, where a run's recording starts, to the end of the year 9999: 251,634,729,599
  // s.
  const InputError duration = load_error(scene_text("", "run: {duration: 1e15w}\n"));
  CHECK(duration.where().field_path == "run.duration");
  CHECK(duration.where().line == 2);
  CHECK(says(duration, "expected a duration of at most 251634729599s"));
  CHECK(says(duration, "found '1e15w'"));
  const InputError warmup = load_error(scene_text("", "run: {warmup: 251634729600s}\n"));
  CHECK(warmup.where().field_path == "run.warmup");
  CHECK(says(warmup, "expected a duration of at most 251634729599s"));
  // Each within the bound, together beyond it: the run's end could not be recorded.
  const InputError both =
      load_error(scene_text("", "run: {warmup: 251634729599s, duration: 1s}\n"));
  CHECK(both.where().field_path == "run.duration");
  CHECK(says(both, "the run would end 251634729600s after its start"));
  const Scene longest =
      load_scene_text(scene_text("", "run: {warmup: 251634729598s, duration: 1s}\n"), "big.yaml");
  CHECK(longest.run_settings().warmup_s + longest.run_settings().duration_s == 251634729599.0);
  // Other times too: a processing time, a maintenance window.
  const InputError processing =
      load_error(scene_text("processing_by_product: {part: 1e12s}, ", ""));
  CHECK(processing.where().field_path == "elements[M].processing_by_product.part");
}

TEST_CASE("limits: a seed beyond 2^64 - 1") {
  const InputError e = load_error(scene_text("", "seed: 18446744073709551616\n"));
  CHECK(e.where().field_path == "seed");
  CHECK(says(e,
             "expected a seed: a whole number from 0 to 18446744073709551615 (2^64 - 1), "
             "found '18446744073709551616'"));
  CHECK(load_error(scene_text("", "seed: -1\n")).where().field_path == "seed");
  CHECK(load_scene_text(scene_text("", "seed: 18446744073709551615\n"), "big.yaml").seed() ==
        18446744073709551615u);
}

TEST_CASE("limits: the builder holds scenes made without a file to the same limits") {
  auto line = [](StationSpec station, ConveyorSpec belt) {
    SceneBuilder builder;
    SourceSpec source;
    source.unlimited_supply = true;
    builder.add_source({"in", "M", {}, "", {}}, source);
    builder.add_station({"M", "belt", {}, "", {}}, station);
    builder.add_conveyor({"belt", "out", {}, "", {}}, belt);
    builder.add_sink({"out", "", {}, "", {}});
    return builder;
  };
  StationSpec station;
  station.processing = Distribution::constant(60.0);
  const ConveyorSpec belt{.length_m = 10.0, .speed_m_per_s = 1.0, .spacing_m = 1.0};
  CHECK_NOTHROW(line(station, belt).build());
  StationSpec many = station;
  many.servers = 70000;
  const InputError servers = input_error([&] { line(many, belt).build(); });
  // Without a file, the element is still named by its id.
  CHECK(servers.where().field_path == "elements[M].servers");
  CHECK(says(servers, "expected 1 to 65535 servers, found 70000"));
  const InputError long_belt = input_error(
      [&] { line(station, {.length_m = 1e12, .speed_m_per_s = 1.0, .spacing_m = 0.001}).build(); });
  CHECK(long_belt.where().field_path == "elements[belt]");
  CHECK(says(long_belt, "at most 1000000 parts"));
  StationSpec batch = station;
  batch.batch_max = 200000;
  CHECK(input_error([&] { line(batch, belt).build(); }).where().field_path == "elements[M].batch");
  SceneBuilder long_run = line(station, belt);
  long_run.run_settings({.duration_s = 1e13, .warmup_s = 0.0, .replications = 1});
  const InputError run = input_error([&] { long_run.build(); });
  CHECK(run.where().field_path == "run.duration");
  CHECK(says(run, "at most 251634729599s"));
}
