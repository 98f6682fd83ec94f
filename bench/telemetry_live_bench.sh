#!/usr/bin/env bash
# Benchmark (b) of issue 4: live telemetry end to end through a loopback mosquitto broker.
#
# A scene of 3,000 stations; a mosquitto broker started here on a free loopback port with
# set_tcp_nodelay; linetwin-publish, a separate process, sends synthetic samples for all 3,000
# machines, each stamped with its send time; `linetwin live` decodes them and applies them to
# the twins (reorder window 0, so that nothing is held back on purpose) and reports the samples
# per second that reached the twins and the sample age at apply time, which with the send time
# as timestamp is the publish-to-twin delay. In every repetition the same load is also sent to
# `linetwin live --count-only`, a subscriber that only counts messages: the ceiling, what the
# broker and the network deliver to a client that does nothing. The two run one after the other,
# each alone with the broker, so that each sees the broker's whole capacity.
#
# Cases:
#   single  1 sample per message, 30,000 messages/s offered (3,000 machines at 10 Hz)
#   batch   100 samples per message, 1,000 messages/s offered (100,000 samples/s)
#   flood   1 sample per message, as fast as the publisher can: the broker's ceiling itself
#           (no delay reported: the broker's queue grows, so the delay measures the queue)
# Targets: p99 delay < 10 ms (single, batch); samples/s reaching the twins >= 90% of the
# counting subscriber's.
#
# Usage: bench/telemetry_live_bench.sh [BIN_DIR]   (default build/bin; needs linetwin and
#        linetwin-publish there).  Environment: REPS (default 5), SECONDS_PER_RUN (a duration,
#        default 3s), IDLE_TIMEOUT (default 1s).
# Prints a table of medians over the repetitions and the machine's load. The per-run results (one
# JSON object per line) are kept in $RESULTS when it is set; the working directory is removed.
set -euo pipefail
bin=${1:-build/bin}
reps=${REPS:-5}
seconds=${SECONDS_PER_RUN:-3s}
idle=${IDLE_TIMEOUT:-1s}  # a subscriber stops this long after the last message
python=/usr/bin/python3
for program in "$bin/linetwin" "$bin/linetwin-publish"; do
  [[ -x $program ]] || { echo "no $program: build the targets linetwin and linetwin-publish" >&2; exit 2; }
done
broker_binary=$(command -v mosquitto || echo /usr/sbin/mosquitto)
# 77: CTest's "skipped" for the smoke run on a machine without a broker.
[[ -x $broker_binary ]] || { echo "no mosquitto broker (apt-get install mosquitto)" >&2; exit 77; }

work=$(mktemp -d -t linetwin-live-bench.XXXXXX)
results=${RESULTS:-$work/results.jsonl}
broker_pid=""
cleanup() {
  [[ -n $broker_pid ]] && kill -9 "$broker_pid" 2>/dev/null || true
  jobs -p | xargs -r kill 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# 3,000 stations in a chain, S0001..S3000: their ids are the machines.
"$python" - "$work/plant_3000.yaml" <<'EOF'
import sys
n = 3000
lines = ["linetwin_scene: 1", "name: 3000 machines", "elements:",
         "  - {id: supply, type: source, supply: unlimited, to: S0001}"]
for i in range(1, n + 1):
    target = f"S{i + 1:04d}" if i < n else "done"
    lines.append(f"  - {{id: S{i:04d}, type: station, processing: 6s, to: {target}}}")
lines.append("  - {id: done, type: sink}")
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
EOF
scene=$work/plant_3000.yaml

port=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/mosquitto.conf" <<EOF
listener $port 127.0.0.1
allow_anonymous true
set_tcp_nodelay true
user $(id -un)
EOF
"$broker_binary" -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
broker_pid=$!
disown "$broker_pid"  # killed by cleanup; no "Killed" notice from the shell
for _ in $(seq 100); do
  "$python" -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break
  sleep 0.05
done

# One run: a subscriber (live or count) alone with the broker, and the publisher.
run() {
  local case=$1 mode=$2 batch=$3 rate=$4 rep=$5
  local out=$work/$case-$mode-$rep
  local flags=(--reorder-window 0)
  [[ $mode == count ]] && flags=(--count-only)
  "$bin/linetwin" live "$scene" --broker "127.0.0.1:$port" --topic "bench" "${flags[@]}" \
    --until-idle "$idle" --json "$out.json" -q 2>"$out.err" &
  local subscriber=$!
  for _ in $(seq 200); do grep -q "connected to" "$out.err" && break; sleep 0.02; done
  "$bin/linetwin-publish" --synthetic "$scene" --broker "127.0.0.1:$port" --topic bench \
    --batch "$batch" --rate "$rate" --duration "$seconds" --json "$out.pub.json" -q
  wait "$subscriber"
  "$python" - "$out.json" "$out.pub.json" "$case" "$mode" "$batch" "$rep" >>"$results" <<'EOF'
import json, sys
report, published = (json.load(open(p)) for p in sys.argv[1:3])
case, mode, batch, rep = sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
i = report["ingestion"]
age = i["sample_age_s"]
print(json.dumps({
    "case": case, "mode": mode, "rep": rep, "batch": batch,
    "offered_samples_per_s": published["samples_per_s"],
    "messages": i["messages"], "published": published["messages"],
    # The counting subscriber decodes nothing: its samples are its messages times the batch.
    "samples_per_s": i["samples_per_s"] if mode == "live" else i["messages_per_s"] * batch,
    "age_p50_ms": age["p50"] * 1e3 if age["p50"] is not None else None,
    "age_p99_ms": age["p99"] * 1e3 if age["p99"] is not None else None,
    "age_max_ms": age["max"] * 1e3 if age["max"] is not None else None,
}))
EOF
}

echo "linetwin live benchmark: $(nproc) cores, $("$broker_binary" -h | head -n 1 || true), $reps repetitions of $seconds"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for rep in $(seq "$reps"); do
  for spec in "single 1 30000" "batch 100 1000" "flood 1 0"; do
    read -r case batch rate <<<"$spec"
    run "$case" count "$batch" "$rate" "$rep"
    run "$case" live "$batch" "$rate" "$rep"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

"$python" - "$results" <<'EOF'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
def median(case, mode, key):
    values = [r[key] for r in rows if r["case"] == case and r["mode"] == mode and r[key] is not None]
    return statistics.median(values) if values else float("nan")
print()
print("| case | offered samples/s | ceiling (count-only) samples/s | live samples/s | live / ceiling "
      "| delay p50 ms | delay p99 ms | delay max ms |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for case in ("single", "batch", "flood"):
    ceiling = median(case, "count", "samples_per_s")
    live = median(case, "live", "samples_per_s")
    delays = ["-"] * 3 if case == "flood" else [
        f"{median(case, 'live', k):.2f}" for k in ("age_p50_ms", "age_p99_ms", "age_max_ms")]
    print(f"| {case} | {median(case, 'live', 'offered_samples_per_s'):,.0f} | {ceiling:,.0f} | "
          f"{live:,.0f} | {live / ceiling:.2f} | " + " | ".join(delays) + " |")
print("\nmedians over the repetitions")
EOF
