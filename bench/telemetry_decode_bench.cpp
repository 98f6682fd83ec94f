// The telemetry decoding benchmark: how many samples per second one core turns from MQTT payloads
// into TelemetrySamples (MessageDecoder), and into twin state (LineTwins::apply), for a plant of
// 3,000 machines; next to a ceiling measured in the same run.
//
// The payloads are made before timing, for machines "M0001".."M3000" (the element ids of a
// generated line of 3,000 stations), in three shapes:
//   Single   one sample per message, as a machine publishes at 10 Hz: states (with a down
//            reason every other time), good-part counters and a spindle temperature, in turn;
//   Batch100 one machine's 100 samples in one message {"machine":..,"samples":[..]};
//   OpcUa    an OPC UA PubSub JSON NetworkMessage per machine, one DataSetMessage with State,
//            StopReason, GoodParts and SpindleTemp (3 samples: the reason is the state's),
//            non-reversible encoding.
// Times are ISO 8601 with milliseconds and rise per machine, as a real feed's do.
//
// For each shape:
//   BM_Ceiling_*       simdjson On-Demand over the same payloads, reading every key and value
//                      and interpreting nothing: the same padded copy, the same parser reuse. No
//                      decoder of these messages with simdjson can do less.
//   BM_Decode_*        MessageDecoder::decode into a reused vector;
//   BM_DecodeOnce_*    the same, one pass after an untimed one (names interned, buffers grown):
//                      not a timing but the unit of an instruction count, which a loaded
//                      machine does not blur (docs/performance.md has the command);
//   BM_DecodeApply_*   the same, then LineTwins::apply for every sample, twins of a generated
//                      3,000-station scene (rebuilt outside the timing before each pass, so every
//                      pass applies fresh, in-order samples).
// One iteration is a pass over all payloads of a shape. Counters: samples_per_s and
// messages_per_s per CPU second (one core), and MB_per_s of JSON. The figures that matter are
// the decoder's samples_per_s against the ceiling's (bench/run_benchmarks.sh prints the medians).
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bench_options.hpp"
#include "plant/scene.hpp"
#include "telemetry/line_twins.hpp"
#include "telemetry/message_decoder.hpp"

namespace {

namespace od = simdjson::ondemand;

constexpr int kMachines = 3000;
constexpr int kBatchSize = 100;
// 2026-11-26T08:00:00Z in milliseconds since the epoch.
constexpr std::int64_t kStartMs = 1'795'680'000'000;

struct Payloads {
  std::vector<std::string> messages;
  std::uint64_t samples = 0;  // in all messages
  std::uint64_t bytes = 0;
};

std::string machine_id(int machine) {
  return fmt::format("M{:04}", machine + 1);
}

// ISO 8601 with milliseconds, UTC, as most publishers write it.
std::string iso_time(std::int64_t ms) {
  const std::int64_t in_day = ms % 86'400'000;
  const std::int64_t day = ms / 86'400'000 - 20'783;  // days after 2026-11-26 (day 20,783)
  return fmt::format("2026-11-{:02}T{:02}:{:02}:{:02}.{:03}Z", 26 + day, in_day / 3'600'000,
                     in_day / 60'000 % 60, in_day / 1000 % 60, in_day % 1000);
}

// The k-th sample of a machine, without its machine: 10 Hz, every fourth one a state.
std::string sample_fields(int machine, int k) {
  const std::int64_t ms = kStartMs + std::int64_t{k} * 100 + machine % 100;
  const std::string head = fmt::format(R"("ts":"{}","seq":{},)", iso_time(ms), k + 1);
  switch (k % 4) {
    case 0:
      return head + R"("state":"producing")";
    case 1:
      return head + fmt::format(R"("counter":"good","value":{})", k / 4 + 1);
    case 2:
      return head + fmt::format(R"("sensor":"spindle_temp","value":{:.2f})", 40.0 + k % 7 * 0.25);
    default:
      return head + (k % 8 == 3 ? R"("state":"down","reason":"jam")" : R"("state":"idle")");
  }
}

Payloads single_payloads(int machines, int per_machine) {
  Payloads p;
  for (int k = 0; k < per_machine; ++k) {
    for (int m = 0; m < machines; ++m) {
      p.messages.push_back(
          fmt::format(R"({{"machine":"{}",{}}})", machine_id(m), sample_fields(m, k)));
    }
  }
  p.samples = p.messages.size();
  return p;
}

Payloads batch_payloads(int machines) {
  Payloads p;
  for (int m = 0; m < machines; ++m) {
    std::string message = fmt::format(R"({{"machine":"{}","samples":[)", machine_id(m));
    for (int k = 0; k < kBatchSize; ++k) {
      if (k > 0) message += ',';
      message += '{';
      message += sample_fields(m, k);
      message += '}';
    }
    message += "]}";
    p.messages.push_back(std::move(message));
  }
  p.samples = p.messages.size() * kBatchSize;
  return p;
}

Payloads opcua_payloads(int machines, int per_machine) {
  Payloads p;
  for (int k = 0; k < per_machine; ++k) {
    for (int m = 0; m < machines; ++m) {
      const std::int64_t ms = kStartMs + std::int64_t{k} * 1000 + m % 100;
      p.messages.push_back(fmt::format(
          R"({{"MessageId":"{}-{}","MessageType":"ua-data","PublisherId":"{}","Messages":[)"
          R"({{"DataSetWriterId":1,"SequenceNumber":{},"Timestamp":"{}","Payload":{{)"
          R"("State":"{}","StopReason":"{}","GoodParts":{},"SpindleTemp":{:.2f}}}}}]}})",
          m, k, machine_id(m), k + 1, iso_time(ms), k % 2 == 0 ? "Execute" : "Held",
          k % 2 == 0 ? "" : "jam", k * 10, 40.0 + k % 7 * 0.25));
    }
  }
  p.samples = p.messages.size() * 3;  // StopReason is the state's reason, not a sample
  return p;
}

void count_bytes(Payloads& p) {
  p.bytes = 0;
  for (const std::string& m : p.messages)
    p.bytes += m.size();
}

// A line of 3,000 stations, M0001 -> ... -> M3000, fed by an unlimited supply: the twins' scene.
linetwin::Scene plant_scene() {
  linetwin::SceneBuilder builder("3,000 machines");
  linetwin::SourceSpec supply;
  supply.unlimited_supply = true;
  builder.add_source({"supply", machine_id(0), {}, "", {}}, supply);
  for (int m = 0; m < kMachines; ++m) {
    linetwin::StationSpec spec;
    spec.processing = linetwin::Distribution::exponential(1.0);
    const std::string next = m + 1 < kMachines ? machine_id(m + 1) : std::string("finished");
    builder.add_station({machine_id(m), next, {}, "", {}}, spec);
  }
  builder.add_sink({"finished", "", {}, "", {}});
  return builder.build();
}

enum class Shape { kSingle, kBatch100, kOpcUa };

// The payloads of a shape, made when first needed and kept for the program's run (smoke runs use
// 30 machines instead of 3,000).
const Payloads& payloads(Shape shape, bool smoke) {
  static std::unique_ptr<Payloads> made[2][3];
  std::unique_ptr<Payloads>& p = made[smoke ? 1 : 0][static_cast<int>(shape)];
  if (!p) {
    const int machines = smoke ? 30 : kMachines;
    p = std::make_unique<Payloads>(
        shape == Shape::kSingle     ? single_payloads(machines, smoke ? 4 : 8)
        : shape == Shape::kBatch100 ? batch_payloads(machines)
                                    : opcua_payloads(machines, smoke ? 1 : 2));
    count_bytes(*p);
  }
  return *p;
}

void report(benchmark::State& state, const Payloads& p) {
  using benchmark::Counter;
  const auto passes = static_cast<double>(state.iterations());
  state.counters["samples_per_s"] =
      Counter(static_cast<double>(p.samples) * passes, Counter::kIsRate);
  state.counters["messages_per_s"] =
      Counter(static_cast<double>(p.messages.size()) * passes, Counter::kIsRate);
  state.counters["MB_per_s"] =
      Counter(static_cast<double>(p.bytes) * passes / 1e6, Counter::kIsRate);
}

// ---- the ceiling: read everything, interpret nothing ------------------------------------------

// Touches every key and scalar; the sum keeps the compiler from dropping the reads.
simdjson::error_code read_all(od::value value, double& sum) {
  od::json_type type{};
  SIMDJSON_TRY(value.type().get(type));
  switch (type) {
    case od::json_type::object: {
      od::object object;
      SIMDJSON_TRY(value.get_object().get(object));
      for (auto field_result : object) {
        od::field field;
        SIMDJSON_TRY(std::move(field_result).get(field));
        std::string_view key;
        SIMDJSON_TRY(field.unescaped_key().get(key));
        sum += static_cast<double>(key.size());
        SIMDJSON_TRY(read_all(field.value(), sum));
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      od::array array;
      SIMDJSON_TRY(value.get_array().get(array));
      for (auto element : array) {
        od::value item;
        SIMDJSON_TRY(element.get(item));
        SIMDJSON_TRY(read_all(item, sum));
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::string: {
      std::string_view text;
      SIMDJSON_TRY(value.get_string().get(text));
      sum += static_cast<double>(text.size());
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      double number = 0.0;
      SIMDJSON_TRY(value.get_double().get(number));
      sum += number;
      return simdjson::SUCCESS;
    }
    case od::json_type::boolean: {
      bool boolean = false;
      SIMDJSON_TRY(value.get_bool().get(boolean));
      sum += boolean ? 1.0 : 0.0;
      return simdjson::SUCCESS;
    }
    case od::json_type::null:
      return simdjson::SUCCESS;
  }
  return simdjson::SUCCESS;
}

void BM_Ceiling(benchmark::State& state, Shape shape, bool smoke) {
  const Payloads& p = payloads(shape, smoke);
  od::parser parser;
  // The same reusable padded buffer as the decoder's: an MQTT payload comes without padding.
  std::vector<char> buffer(256 * 1024 + simdjson::SIMDJSON_PADDING);
  double sum = 0.0;
  for (auto _ : state) {
    for (const std::string& message : p.messages) {
      std::memcpy(buffer.data(), message.data(), message.size());
      std::memset(buffer.data() + message.size(), ' ', simdjson::SIMDJSON_PADDING);
      od::document doc;
      od::object root;
      if (parser.iterate(buffer.data(), message.size(), buffer.size()).get(doc) ||
          doc.get_object().get(root)) {
        state.SkipWithError("the ceiling could not parse a payload");
        return;
      }
      for (auto field_result : root) {
        od::field field;
        std::string_view key;
        if (std::move(field_result).get(field) || field.unescaped_key().get(key) ||
            read_all(field.value(), sum)) {
          state.SkipWithError("the ceiling could not read a payload");
          return;
        }
      }
    }
    benchmark::DoNotOptimize(sum);
  }
  report(state, p);
}

// ---- the decoder, alone and feeding twins -----------------------------------------------------

// One pass of the decoder over the payloads, returning the faults; out of line, so that
// callgrind can count it alone (--toggle-collect='*decode_pass*').
[[gnu::noinline]] std::uint64_t decode_pass(linetwin::MessageDecoder& decoder, const Payloads& p,
                                            std::vector<linetwin::TelemetrySample>& out) {
  std::uint64_t faults = 0;
  for (const std::string& message : p.messages) {
    out.clear();
    faults +=
        decoder.decode("plant/telemetry", message, out).fault != linetwin::MessageFault::kNone;
  }
  return faults;
}

// `warm_up`: an untimed pass first, so that the timed one is the decoder's steady state.
void decode_benchmark(benchmark::State& state, Shape shape, bool smoke, bool warm_up) {
  const Payloads& p = payloads(shape, smoke);
  linetwin::TelemetryNames names;
  for (int m = 0; m < kMachines; ++m)
    names.intern_machine(machine_id(m));
  linetwin::MessageDecoder decoder(names);
  std::vector<linetwin::TelemetrySample> out;
  out.reserve(kBatchSize);
  if (warm_up) {
    for (const std::string& message : p.messages)
      decoder.decode("plant/telemetry", message, out);
  }
  std::uint64_t faults = 0;
  for (auto _ : state) {
    faults += decode_pass(decoder, p, out);
    benchmark::DoNotOptimize(out.data());
  }
  if (faults != 0) state.SkipWithError("the decoder refused a payload");
  report(state, p);
}

void BM_Decode(benchmark::State& state, Shape shape, bool smoke) {
  decode_benchmark(state, shape, smoke, false);
}

void BM_DecodeOnce(benchmark::State& state, Shape shape, bool smoke) {
  decode_benchmark(state, shape, smoke, true);
}

void BM_DecodeApply(benchmark::State& state, Shape shape, bool smoke) {
  const Payloads& p = payloads(shape, smoke);
  const linetwin::Scene scene = plant_scene();
  std::unique_ptr<linetwin::LineTwins> twins;
  std::unique_ptr<linetwin::MessageDecoder> decoder;
  std::vector<linetwin::TelemetrySample> out;
  out.reserve(kBatchSize);
  std::uint64_t faults = 0;
  std::uint64_t applied = 0;
  for (auto _ : state) {
    state.PauseTiming();
    decoder.reset();
    twins = std::make_unique<linetwin::LineTwins>(scene);
    decoder = std::make_unique<linetwin::MessageDecoder>(twins->names());
    state.ResumeTiming();
    for (const std::string& message : p.messages) {
      out.clear();
      faults +=
          decoder->decode("plant/telemetry", message, out).fault != linetwin::MessageFault::kNone;
      for (const linetwin::TelemetrySample& sample : out)
        twins->apply(sample);
    }
    applied = twins->counts().applied;
  }
  if (faults != 0) state.SkipWithError("the decoder refused a payload");
  report(state, p);
  // Every sample of a pass is new and in order for its machine: all must be applied.
  state.counters["applied_share"] = static_cast<double>(applied) / static_cast<double>(p.samples);
}

void register_benchmarks(bool smoke) {
  const std::pair<const char*, Shape> shapes[] = {
      {"Single", Shape::kSingle}, {"Batch100", Shape::kBatch100}, {"OpcUa", Shape::kOpcUa}};
  for (const auto& named_shape : shapes) {
    const auto add = [&named_shape, smoke](const char* kind, auto function) {
      const std::string name = fmt::format("BM_{}_{}", kind, named_shape.first);
      auto* b = benchmark::RegisterBenchmark(name.c_str(), function, named_shape.second, smoke)
                    ->Unit(benchmark::kMillisecond);
      // Repetitions in random interleaved order (run_benchmarks.sh) spread a shared machine's slow
      // spells over decoder and ceiling alike.
      if (!smoke) b->MinTime(0.5)->Repetitions(5)->ReportAggregatesOnly(true);
    };
    add("Ceiling", BM_Ceiling);
    add("Decode", BM_Decode);
    add("DecodeApply", BM_DecodeApply);
    const std::string once = fmt::format("BM_DecodeOnce_{}", named_shape.first);
    benchmark::RegisterBenchmark(once.c_str(), BM_DecodeOnce, named_shape.second, smoke)
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond);
  }
}

}  // namespace

int main(int argc, char** argv) {
  return linetwin::bench::run_main(argc, argv, register_benchmarks);
}
