// A mosquitto broker of a test's own, on a free loopback port, killed when the test ends; for the
// tests that stream telemetry through a real broker (the live twins, the viewer's live source).
// Tests check installed() first and skip with a message where mosquitto is absent.
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
#include <string>
#include <thread>

#include "test_files.hpp"

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

class TestBroker {
 public:
  explicit TestBroker(const TempDir& dir) : port_(unused_port()) {
    const std::string config =
        dir.write("mosquitto.conf",
                  "listener " + std::to_string(port_) +
                      " 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\n"
                      "max_queued_messages 0\nuser " +
                      std::string(std::getenv("USER") ? std::getenv("USER") : "root") + "\n");
    const char* argv[] = {kBinary, "-c", config.c_str(), nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    started_ =
        posix_spawn(&pid_, kBinary, &actions, nullptr, const_cast<char**>(argv), environ) == 0;
    posix_spawn_file_actions_destroy(&actions);
    // Ready when it accepts a connection.
    for (int i = 0; started_ && i < 200 && !accepts(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
  }
  ~TestBroker() {
    if (started_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  TestBroker(const TestBroker&) = delete;
  TestBroker& operator=(const TestBroker&) = delete;

  static bool installed() { return ::access(kBinary, X_OK) == 0; }
  bool ready() const { return started_ && accepts(); }
  int port() const { return port_; }

 private:
  static constexpr const char* kBinary = "/usr/sbin/mosquitto";
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
  pid_t pid_ = 0;
  bool started_ = false;
};

}  // namespace linetwin::test
