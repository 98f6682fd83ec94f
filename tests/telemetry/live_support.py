"""What the live MQTT tests share: a private mosquitto broker, a telemetry log, and comparing a
live session's report with a replay's.

Each test starts its own broker on a free loopback port with a temporary configuration
(listener 127.0.0.1, anonymous clients, set_tcp_nodelay), so that tests run in parallel and need
nothing installed globally but the mosquitto package. Every process a test starts gets
PR_SET_PDEATHSIG, so that it dies with the test even when CTest kills the test on a timeout, and
the brokers are killed at the end of the `with` block however the test ends.

A test waits for signals, never for a fixed time: the broker's log says when a subscription is in
place (a message published before it reaches nobody) and when the broker has saved its sessions;
a process's output says when it connected or lost its connection. Without mosquitto (or with
$LINETWIN_MOSQUITTO naming a program that is not there) or another program a test needs, the test
exits with SKIP, which CTest reports as skipped.
"""
import ctypes
import getpass
import json
import os
import pathlib
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

SKIP = 77  # CTest's SKIP_RETURN_CODE for these tests
TIMEOUT = 60  # seconds to wait for a signal: generous, as tests run in parallel on busy machines
REPO = pathlib.Path(__file__).resolve().parents[2]
SCENE = REPO / "scenes" / "balanced_line.yaml"
STATIONS = ["OP10", "OP20", "OP30", "OP40", "OP50"]  # the scene's stations

_libc = ctypes.CDLL("libc.so.6", use_errno=True)
_PR_SET_PDEATHSIG = 1


def _die_with_parent():
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def start(args, **kwargs):
    """Popen that dies with this test."""
    return subprocess.Popen(args, preexec_fn=_die_with_parent, **kwargs)


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


def require_programs(*names):
    """The paths of the programs `names` on PATH; the test is skipped if any is missing."""
    found = {name: shutil.which(name) for name in names}
    missing = [name for name, path in found.items() if not path]
    if missing:
        skip(f"needs {', '.join(missing)} on PATH (tools/install-deps.sh installs them)")
    return found


def wait_until(condition, what, timeout=TIMEOUT):
    """Polls `condition` every 20 ms until it holds; fails naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            fail(f"{what}: not within {timeout} s")
        time.sleep(0.02)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Broker:
    """A mosquitto broker on a free loopback port; `persistent` keeps sessions across a restart;
    `log_packets` logs every packet (mosquitto's debug log), which says what each client has
    acknowledged."""

    def __init__(self, workdir, persistent=False, log_packets=False):
        self.binary = (os.environ.get("LINETWIN_MOSQUITTO") or shutil.which("mosquitto")
                       or shutil.which("mosquitto", path="/usr/sbin"))
        if not self.binary or not os.access(self.binary, os.X_OK):
            skip(f"no mosquitto broker ({self.binary or 'not on PATH or in /usr/sbin'}; "
                 "tools/install-deps.sh installs it, $LINETWIN_MOSQUITTO names another)")
        self.port = free_port()
        self.workdir = pathlib.Path(workdir)
        self.config = self.workdir / "mosquitto.conf"
        self.log = self.workdir / "mosquitto.log"
        lines = [
            f"listener {self.port} 127.0.0.1",
            "allow_anonymous true",
            "set_tcp_nodelay true",
            # Started as root, mosquitto would switch to the user "mosquitto", who cannot write
            # the test's directory; as anyone else this changes nothing.
            f"user {getpass.getuser()}",
            # A QoS 1 subscriber that is away may miss any number of messages: keep them all.
            "max_queued_messages 0",
            f"log_dest file {self.log}",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",  # "Saving in-memory database"
            "log_type subscribe",  # "<client id> <QoS> <topic filter>"
        ]
        if log_packets:
            lines.append("log_type debug")
        if persistent:
            # Saved every second, so that a kill -9 loses at most the last second of sessions.
            lines += ["persistence true", f"persistence_location {self.workdir}/",
                      "autosave_interval 1"]
        self.config.write_text("\n".join(lines) + "\n")
        self.process = None

    def start(self):
        self.process = start([self.binary, "-c", str(self.config)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                fail(f"mosquitto exited with {self.process.returncode}; see {self.config}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        fail(f"mosquitto did not listen on port {self.port} within {TIMEOUT} s")

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def log_lines(self):
        try:
            return self.log.read_text().splitlines()
        except FileNotFoundError:
            return []

    def count_in_log(self, text):
        return sum(text in line for line in self.log_lines())

    def wait_for_log(self, text, count=1):
        """Until `count` lines of the broker's log contain `text`."""
        wait_until(lambda: self.count_in_log(text) >= count,
                   f"{count} line(s) with '{text}' in {self.log}")

    def subscriptions(self, topic_filter, client=None):
        """The indices of the log lines that say a client (any, or `client`) subscribed to
        `topic_filter`."""
        found = []
        for i, line in enumerate(self.log_lines()):
            m = re.fullmatch(r"\d+: (\S+) [012] (\S+)", line)
            if m and m[2] == topic_filter and client in (None, m[1]):
                found.append(i)
        return found

    def wait_for_subscription(self, topic_filter, client=None, count=1):
        """Until the broker has handled `count` subscriptions to `topic_filter`. It handles one
        packet at a time, so a message published afterwards reaches the subscriber."""
        wait_until(lambda: len(self.subscriptions(topic_filter, client)) >= count,
                   f"{count} subscription(s) to {topic_filter} in {self.log}")

    def wait_for_saved_subscription(self, topic_filter):
        """Until the broker has saved its sessions to disk since the (last) subscription to
        `topic_filter`: the first save that began after it is finished once the next one begins,
        as the broker does one thing at a time."""
        def saved():
            subscribed = self.subscriptions(topic_filter)
            return subscribed and sum("Saving in-memory database" in line for line in
                                      self.log_lines()[subscribed[-1]:]) >= 2
        wait_until(saved, f"two saves of the broker's sessions after the subscription to "
                   f"{topic_filter}, in {self.log}")

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.kill()


class Output:
    """Collects a process's stream line by line, so a test can wait for a line."""

    def __init__(self, stream):
        self.lines = []
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream):
        for line in stream:
            with self._cond:
                self.lines.append(line)
                self._cond.notify_all()

    def wait_for(self, text, timeout=TIMEOUT, count=1):
        deadline = time.monotonic() + timeout
        with self._cond:
            while sum(text in line for line in self.lines) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    fail(f"no line with '{text}' within {timeout} s; got:\n{self.text()}")
                self._cond.wait(left)

    def text(self):
        return "".join(self.lines)


def workdir():
    return tempfile.TemporaryDirectory(prefix="linetwin-live-")


def write_log(path, seed=4, minutes=60, shuffle_pairs=5):
    """A linetwin CSV log for the stations of scenes/balanced_line.yaml: state changes (with down
    reasons), good and scrap counters and a sensor, per machine in time order with sequence
    numbers; a few neighbouring rows of different machines swapped, less than a second apart,
    as a network reorders them."""
    rng = random.Random(seed)
    start_ms = 1_709_532_000_000  # 2024-03-04T06:00:00Z
    end_ms = start_ms + minutes * 60_000
    rows = []
    for machine in STATIONS:
        t = start_ms + rng.randrange(0, 2000)
        seq = 0
        good = scrap = 0

        def row(kind, name="", state="", value=""):
            nonlocal seq
            seq += 1
            rows.append((t, machine, seq, kind, name, state, value))

        row("counter", "good", value=good)
        row("counter", "scrap", value=scrap)
        while t < end_ms:
            state = rng.choices(["producing", "idle", "blocked", "down", "setup"],
                                [6, 2, 2, 1, 1])[0]
            row("state", rng.choice(["jam", "tool_break"]) if state == "down" else "", state)
            t += rng.randrange(5_000, 120_000)
            if state == "producing":
                if rng.random() < 0.1:
                    scrap += 1
                    row("counter", "scrap", value=scrap)
                else:
                    good += rng.randrange(1, 3)
                    row("counter", "good", value=good)
                row("sensor", "spindle_temp_c", value=round(rng.uniform(30, 60), 2))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    for _ in range(shuffle_pairs):
        i = rng.randrange(len(rows) - 1)
        if rows[i][1] != rows[i + 1][1] and rows[i + 1][0] - rows[i][0] < 1000:
            rows[i], rows[i + 1] = rows[i + 1], rows[i]
    with open(path, "w") as f:
        f.write("timestamp,machine,seq,kind,name,state,value\n")
        for r in rows:
            f.write(",".join(str(x) for x in r) + "\n")
    return len(rows)


def replay(linetwin, log, scene=SCENE):
    out = subprocess.run([linetwin, "replay", str(scene), str(log), "--json", "-"],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        fail(f"linetwin replay failed ({out.returncode}): {out.stderr}")
    return json.loads(out.stdout)


# What a live report has that a replay's cannot: where the samples came from, and the counters
# of the way there. With --resend-on-reconnect a machine's duplicates and out-of-order samples
# differ too: they are samples received twice, and are compared only where a test says so.
SOURCE_KEYS = {"source", "source_format", "ingestion"}


def differences(live, replayed, ignore=(), path=""):
    """Every field where two reports differ, exactly (numbers too), as 'path: a != b'."""
    found = []
    if isinstance(live, dict) and isinstance(replayed, dict):
        for key in sorted(set(live) | set(replayed)):
            if key in ignore or (not path and key in SOURCE_KEYS):
                continue
            if key not in live or key not in replayed:
                found.append(f"{path}{key}: only in {'live' if key in live else 'replay'}")
                continue
            found += differences(live[key], replayed[key], ignore, f"{path}{key}.")
    elif isinstance(live, list) and isinstance(replayed, list):
        if len(live) != len(replayed):
            found.append(f"{path}: {len(live)} items != {len(replayed)}")
        for i, (a, b) in enumerate(zip(live, replayed)):
            found += differences(a, b, ignore, f"{path}[{i}].")
    elif live != replayed:
        found.append(f"{path.rstrip('.')}: live {live!r} != replay {replayed!r}")
    return found


def expect_same_twins(live, replayed, ignore=()):
    diffs = differences(live, replayed, ignore)
    if diffs:
        fail("live and replay reports differ:\n  " + "\n  ".join(diffs[:40]))
    stations = live["stations"]
    if len(stations) != len(STATIONS) or any(s["samples_applied"] == 0 for s in stations):
        fail(f"expected every station to have applied samples, found {stations}")
