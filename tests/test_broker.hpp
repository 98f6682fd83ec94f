// A mosquitto broker of a test's own, on a free loopback port, killed when the test ends; for the
// tests that stream telemetry through a real broker (the live twins, the viewer's live source).
// Such a test calls available_or_skip() first: without mosquitto and mosquitto_pub it is reported
// skipped (test_skip.hpp). $LINETWIN_MOSQUITTO names the broker program, so that a test run can
// hide it. The broker logs to a file in the test's directory: a test waits for the line that says
// its client subscribed before it publishes, since a message published earlier reaches nobody.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>

#include "test_files.hpp"
#include "test_skip.hpp"
#include "test_wait.hpp"

extern char** environ;

namespace linetwin::test {

// A loopback port that nothing listens on now (the kernel's choice for an unbound socket).
inline int unused_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(s);
  return ntohs(address.sin_port);
}

// The first executable `name` in a directory of $PATH, as a shell would run it.
inline std::optional<std::string> program_on_path(std::string_view name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + std::string(name);
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

class TestBroker {
 public:
  explicit TestBroker(const TempDir& dir)
      : port_(unused_port()), log_(dir.path() + "/mosquitto.log") {
    const char* user = std::getenv("USER");
    const std::string config = dir.write(
        "mosquitto.conf", "listener " + std::to_string(port_) +
                              " 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\n"
                              "max_queued_messages 0\nuser " +
                              std::string(user != nullptr ? user : "root") + "\nlog_dest file " +
                              log_ + "\nlog_type error\nlog_type warning\nlog_type subscribe\n");
    const std::string binary = program();
    const char* argv[] = {binary.c_str(), "-c", config.c_str(), nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    started_ = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, const_cast<char**>(argv),
                           environ) == 0;
    posix_spawn_file_actions_destroy(&actions);
    // Ready when it accepts a connection; a broker that exited (and is reaped here) never will.
    wait_until(
        [&] {
          if (started_ && ::waitpid(pid_, nullptr, WNOHANG) == pid_) started_ = false;
          return !started_ || accepts();
        },
        [] { std::this_thread::sleep_for(std::chrono::milliseconds(25)); });
  }
  ~TestBroker() {
    if (started_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  TestBroker(const TestBroker&) = delete;
  TestBroker& operator=(const TestBroker&) = delete;

  // True where the broker and mosquitto_pub can run; otherwise the test is reported skipped.
  static bool available_or_skip() {
    if (::access(program().c_str(), X_OK) != 0) {
      skip_test("no mosquitto broker at " + program() +
                " (tools/install-deps.sh installs it; $LINETWIN_MOSQUITTO names another)");
      return false;
    }
    if (!publisher()) {
      skip_test("no mosquitto_pub on PATH (package mosquitto-clients)");
      return false;
    }
    return true;
  }
  // mosquitto_pub, for the tests that publish with it.
  static std::optional<std::string> publisher() { return program_on_path("mosquitto_pub"); }

  bool ready() const { return started_ && accepts(); }
  int port() const { return port_; }

  // True once the broker's log says that `client_id` subscribed to `topic_filter` (its line is
  // "<time>: <client id> <QoS> <topic filter>"). The broker handles one packet at a time, so a
  // message published after this is delivered to that subscription.
  bool has_subscribed(std::string_view client_id, std::string_view topic_filter) const {
    std::ifstream log(log_);
    for (std::string line; std::getline(log, line);) {
      std::istringstream words(line);
      std::string time, client, qos, filter;
      if (words >> time >> client >> qos >> filter && client == client_id &&
          filter == topic_filter) {
        return true;
      }
    }
    return false;
  }

 private:
  static std::string program() {
    const char* program = std::getenv("LINETWIN_MOSQUITTO");
    return program != nullptr && *program != '\0' ? program : "/usr/sbin/mosquitto";
  }
  bool accepts() const {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port_));
    const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(s);
    return ok;
  }
  int port_;
  std::string log_;
  pid_t pid_ = 0;
  bool started_ = false;
};

}  // namespace linetwin::test
