"""linetwin.live (issue 13, point 3): a log published to a real mosquitto broker by a separate
process (linetwin-publish) gives the Python session the twins that linetwin.replay of the same log
gives, field by field, as `linetwin live` does (tests/telemetry/live_replay_equal_test.py), and
the state at the newest sample; Ctrl-C ends a session with its recording closed and kept, and
raises KeyboardInterrupt; bad calls raise InputError with the CLI's message, or TypeError.

The broker, the log and the comparison are tests/telemetry/live_support.py's; without mosquitto
the tests are skipped."""
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

import linetwin
from conftest import CLI, SOURCE_DIR, run_cli

sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "telemetry"))
import live_support  # noqa: E402

PUBLISH = os.path.join(os.path.dirname(CLI), "linetwin-publish")
SCENE = str(live_support.SCENE)
MOSQUITTO = (os.environ.get("LINETWIN_MOSQUITTO") or shutil.which("mosquitto")
             or shutil.which("mosquitto", path="/usr/sbin"))
needs_broker = pytest.mark.skipif(not MOSQUITTO or not os.path.exists(PUBLISH),
                                  reason="needs mosquitto and linetwin-publish")


@pytest.fixture
def broker(tmp_path):
    with live_support.Broker(tmp_path) as running:
        yield running


def in_thread(call):
    """Runs `call` on a thread of its own; returns a function that joins it and gives its result
    (or raises what it raised)."""
    outcome = {}

    def run():
        try:
            outcome["result"] = call()
        except BaseException as e:  # noqa: B902 (handed to the test's thread)
            outcome["error"] = e

    thread = threading.Thread(target=run)
    thread.start()

    def join():
        thread.join(timeout=live_support.TIMEOUT)
        assert not thread.is_alive(), "the session did not end"
        if "error" in outcome:
            raise outcome["error"]
        return outcome["result"]
    return join


@needs_broker
def test_a_live_session_gives_the_replay_s_twins(broker, tmp_path):
    log = str(tmp_path / "line.csv")
    rows = live_support.write_log(log)
    recording = tmp_path / "session.h5"
    session = in_thread(lambda: linetwin.live(SCENE, broker.address, topic="py",
                                              until_idle="2s", record=recording))
    broker.wait_for_subscription("py/#")
    published = subprocess.run([PUBLISH, log, "--broker", broker.address, "--topic", "py",
                                "-q"], capture_output=True, text=True, timeout=60)
    assert published.returncode == 0, published.stderr
    twins = session()
    report = twins.to_dict()
    replayed = linetwin.replay(SCENE, log)
    assert live_support.differences(report, replayed.to_dict()) == []
    assert report["ingestion"]["applied"] == rows and report["ingestion"]["connects"] == 1
    # The state at the newest sample, as the replay's at the end of the log (but for its origin).
    assert twins.state.to_yaml() == replayed.state.to_yaml().replace("origin: replay",
                                                                     "origin: live")
    # The recording replays to the same twins.
    assert live_support.differences(linetwin.replay(SCENE, recording).to_dict(),
                                    replayed.to_dict()) == []


@needs_broker
def test_ctrl_c_ends_the_session_with_its_recording_kept(broker, tmp_path):
    recording = tmp_path / "interrupted.h5"
    sent = {}

    def interrupt_when_subscribed():
        broker.wait_for_subscription("stop/#")
        sent["at"] = time.monotonic()
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=interrupt_when_subscribed, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        linetwin.live(SCENE, broker.address, topic="stop", record=recording)
    assert time.monotonic() - sent["at"] < 1.0
    # The recording was closed, as SIGINT closes the CLI's: it reads as a whole file, which holds
    # no sample, as none was published.
    assert linetwin.replay(SCENE, recording).to_dict()["ingestion"]["samples"] == 0
    # The module goes on.
    assert linetwin.load_scene(SCENE).run(reps=1, duration="1h").to_dict()["replications"] == 1


@needs_broker
def test_max_samples_ends_the_session(broker, tmp_path):
    log = str(tmp_path / "line.csv")
    live_support.write_log(log, minutes=5)
    session = in_thread(lambda: linetwin.live(SCENE, broker.address, topic="few",
                                              max_samples=10))
    broker.wait_for_subscription("few/#")
    subprocess.run([PUBLISH, log, "--broker", broker.address, "--topic", "few", "-q"],
                   capture_output=True, timeout=60, check=True)
    assert session().to_dict()["ingestion"]["decoded_samples"] >= 10


@pytest.mark.parametrize("arguments,flags,field", [
    ({"broker": "localhost:99999"}, ["--broker", "localhost:99999"], "broker"),
    ({"broker": "localhost", "topic": "a/#"}, ["--broker", "localhost", "--topic", "a/#"],
     "topic"),
    ({"broker": "localhost", "until_idle": "5x"}, ["--broker", "localhost", "--until-idle", "5x"],
     "until_idle"),
    ({"broker": "localhost", "qos": 2}, ["--broker", "localhost", "--qos", "2"], "qos"),
    # Port 1 on the loopback: nothing listens there, so no connection within the time.
    ({"broker": "127.0.0.1:1", "connect_timeout": "300ms"},
     ["--broker", "127.0.0.1:1", "--connect-timeout", "300ms", "-q"], "connect_timeout"),
])
def test_bad_sessions_have_the_cli_s_message(arguments, flags, field):
    with pytest.raises(linetwin.InputError) as caught:
        linetwin.live(SCENE, **arguments)
    assert caught.value.field == field
    code, _, err = run_cli("live", SCENE, *flags)
    assert code == 2
    # CLI11 words the range of --qos its own way: the field at least is the same.
    if field != "qos":
        assert caught.value.message in err.decode()


@pytest.mark.parametrize("call", [
    lambda: linetwin.live(SCENE, 1883),
    lambda: linetwin.live(SCENE, "localhost", max_samples="10"),
    lambda: linetwin.live(SCENE, "localhost", until_idle=[5]),
    lambda: linetwin.live(SCENE, "localhost", drift="8h"),
])
def test_wrong_types_raise_type_error(call):
    with pytest.raises(TypeError):
        call()
