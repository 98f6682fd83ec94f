// MqttSubscriber on libmosquitto, driven by poll() on the caller's thread: a small state machine
// (waiting to retry, connecting, connected, stopped) around mosquitto_loop(). Every libmosquitto
// call happens on that one thread, so the library runs in its single-threaded mode (no locks,
// and a packet queued outside a callback is written at once).
#include "live/mqtt_subscriber.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <exception>
#include <fstream>
#include <optional>
#include <thread>
#include <utility>

#include <unistd.h>

#include <fmt/format.h>
#include <mosquitto.h>
#include <mqtt_protocol.h>

#include "core/input_error.hpp"

namespace linetwin {
namespace {

// mosquitto_lib_init is not thread-safe; a function-local static is initialised exactly once.
void ensure_library_initialised() {
  struct Library {
    Library() { mosquitto_lib_init(); }
    ~Library() { mosquitto_lib_cleanup(); }
  };
  static const Library library;
}

// mosquitto_strerror(MOSQ_ERR_ERRNO) reads errno, so callers pass the errno they saw.
std::string error_text(int rc, int saved_errno) {
  if (rc == MOSQ_ERR_ERRNO) return std::strerror(saved_errno);
  return mosquitto_strerror(rc);
}

InputError bad_option(const std::string& field, const std::string& message) {
  return InputError({"", 0, 0, field}, message);
}

void check_readable(const std::string& path, const std::string& field) {
  if (path.empty()) return;
  std::ifstream file(path);
  if (!file) {
    throw bad_option(field, fmt::format("cannot read '{}': {}", path, std::strerror(errno)));
  }
}

}  // namespace

struct MqttSubscriber::Impl {
  using Clock = std::chrono::steady_clock;
  enum class Phase : std::uint8_t {
    kWaiting,     // not connected; the next attempt is due at retry_at
    kConnecting,  // TCP (and TLS) connect and CONNECT sent, no CONNACK yet
    kConnected,
    kStopped,
  };

  explicit Impl(MqttOptions opts)
      : options(std::move(opts)),
        filter(options.topic_prefix + "/#"),
        backoff(options.reconnect_min) {}

  MqttOptions options;
  std::string filter;
  mosquitto* client = nullptr;
  std::atomic<bool> stop_requested{false};

  Phase phase = Phase::kWaiting;
  Clock::time_point retry_at = Clock::time_point::min();  // the first poll connects at once
  std::chrono::milliseconds backoff;
  bool first_attempt = true;
  bool acknowledged = false;  // this attempt got a CONNACK (accepted)
  bool refused = false;       // the broker refused us: retrying cannot help
  bool leaving = false;       // stop() is disconnecting on purpose
  bool unsubscribed = false;  // stop(): the broker confirmed the UNSUBSCRIBE
  std::string failure;        // why the current attempt or connection ended
  std::string library_error;  // libmosquitto's last error log line: OpenSSL's reason, say
  MqttCounters counters;

  // Set for the duration of a poll() (or stop()); libmosquitto's callbacks call them.
  const MessageHandler* on_message = nullptr;
  const EventHandler* on_event = nullptr;
  // Points the callbacks at a caller's handlers until the end of its scope.
  struct HandlersInUse {
    HandlersInUse(Impl& client, const MessageHandler& message, const EventHandler& event)
        : impl(client) {
      impl.on_message = &message;
      impl.on_event = &event;
    }
    ~HandlersInUse() {
      impl.on_message = nullptr;
      impl.on_event = nullptr;
    }
    HandlersInUse(const HandlersInUse&) = delete;
    HandlersInUse& operator=(const HandlersInUse&) = delete;
    Impl& impl;
  };
  // An exception from a handler must not unwind through libmosquitto's C frames: it is kept
  // here and rethrown once mosquitto_loop() has returned.
  std::exception_ptr handler_error;

  void configure();
  void attempt();
  void connection_ended(int rc);
  void retry_later();
  void emit(MqttConnectionEvent event);
  int loop(int timeout_ms);

  void on_connect(int rc, int flags);
  void on_disconnect(int rc);
  void on_subscribe(int granted_count, const int* granted);
  void on_message_received(const mosquitto_message& message);
};

void check_mqtt_topic_prefix(std::string_view prefix, const std::string& field) {
  if (prefix.empty() || prefix.find_first_of("+#") != std::string_view::npos ||
      prefix.back() == '/') {
    throw bad_option(field, fmt::format("expected a topic prefix without wildcards (+ #) or a "
                                        "trailing '/', found '{}'",
                                        prefix));
  }
}

void MqttSubscriber::Impl::configure() {
  const MqttOptions& o = options;
  if (o.host.empty()) throw bad_option("host", "expected a broker host name or address");
  if (o.port < 1 || o.port > 65535) {
    throw bad_option("port", fmt::format("expected a TCP port 1-65535, found {}", o.port));
  }
  if (o.qos != 0 && o.qos != 1) {
    throw bad_option("qos", fmt::format("expected QoS 0 or 1, found {}", o.qos));
  }
  check_mqtt_topic_prefix(o.topic_prefix, "topic_prefix");
  if (o.qos == 1 && o.client_id.empty()) {
    throw bad_option("client_id",
                     "QoS 1 needs a fixed client id so that the broker keeps the session");
  }
  if (o.keepalive_s != 0 && o.keepalive_s < 5) {
    throw bad_option("keepalive_s", fmt::format("expected 0 (off) or at least 5 seconds, found {}",
                                                o.keepalive_s));
  }
  if (o.password.size() && o.username.empty()) {
    throw bad_option("username", "a password needs a user name");
  }
  if (o.tls.cert_file.empty() != o.tls.key_file.empty()) {
    throw bad_option("tls.cert_file", "a client certificate and its key go together");
  }
  if (!o.tls.enabled() && (!o.tls.cert_file.empty() || o.tls.insecure)) {
    throw bad_option("tls.ca_file", "TLS options need a CA file or directory to trust");
  }
  check_readable(o.tls.ca_file, "tls.ca_file");
  check_readable(o.tls.cert_file, "tls.cert_file");
  check_readable(o.tls.key_file, "tls.key_file");

  ensure_library_initialised();
  const std::string id = o.client_id.empty() ? fmt::format("linetwin-{}", ::getpid()) : o.client_id;
  // A persistent session (clean session off) is what makes the broker queue QoS 1 messages
  // while we are away; QoS 0 messages are never queued for an absent client anyway.
  client = mosquitto_new(id.c_str(), /*clean_session=*/o.qos == 0, this);
  if (!client) throw std::runtime_error("libmosquitto could not create a client");

  // Nagle's algorithm holds small packets back for up to an ACK round trip (tens of ms); the
  // broker needs set_tcp_nodelay too.
  mosquitto_int_option(client, MOSQ_OPT_TCP_NODELAY, 1);
  if (!o.username.empty()) {
    mosquitto_username_pw_set(client, o.username.c_str(),
                              o.password.empty() ? nullptr : o.password.c_str());
  }
  if (o.tls.enabled()) {
    auto c_str_or_null = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
    const int rc =
        mosquitto_tls_set(client, c_str_or_null(o.tls.ca_file), c_str_or_null(o.tls.ca_dir),
                          c_str_or_null(o.tls.cert_file), c_str_or_null(o.tls.key_file), nullptr);
    if (rc != MOSQ_ERR_SUCCESS) {
      throw bad_option(
          "tls", fmt::format("libmosquitto rejected the TLS settings: {}", mosquitto_strerror(rc)));
    }
    if (o.tls.insecure) mosquitto_tls_insecure_set(client, true);
  }

  mosquitto_connect_with_flags_callback_set(client, [](mosquitto*, void* self, int rc, int flags) {
    static_cast<Impl*>(self)->on_connect(rc, flags);
  });
  mosquitto_disconnect_callback_set(
      client, [](mosquitto*, void* self, int rc) { static_cast<Impl*>(self)->on_disconnect(rc); });
  mosquitto_subscribe_callback_set(client,
                                   [](mosquitto*, void* self, int, int count, const int* granted) {
                                     static_cast<Impl*>(self)->on_subscribe(count, granted);
                                   });
  // "A TLS error occurred." is all an error code says; the library logs OpenSSL's reason.
  mosquitto_log_callback_set(client, [](mosquitto*, void* self, int level, const char* text) {
    if (level == MOSQ_LOG_ERR) static_cast<Impl*>(self)->library_error = text;
  });
  mosquitto_unsubscribe_callback_set(
      client, [](mosquitto*, void* self, int) { static_cast<Impl*>(self)->unsubscribed = true; });
  mosquitto_message_callback_set(client,
                                 [](mosquitto*, void* self, const mosquitto_message* message) {
                                   static_cast<Impl*>(self)->on_message_received(*message);
                                 });
}

void MqttSubscriber::Impl::emit(MqttConnectionEvent event) {
  if (!on_event || !*on_event) return;
  try {
    (*on_event)(event);
  } catch (...) {
    if (!handler_error) handler_error = std::current_exception();
  }
}

int MqttSubscriber::Impl::loop(int timeout_ms) {
  const int rc = mosquitto_loop(client, timeout_ms, 1);
  if (handler_error) std::rethrow_exception(std::exchange(handler_error, nullptr));
  return rc;
}

void MqttSubscriber::Impl::on_connect(int rc, int flags) {
  if (rc != 0) {
    failure = mosquitto_connack_string(rc);
    // Credentials, client id and protocol version do not fix themselves; a broker that is
    // "unavailable" may come back.
    refused = rc != CONNACK_REFUSED_SERVER_UNAVAILABLE;
    return;
  }
  phase = Phase::kConnected;
  acknowledged = true;
  ++counters.connects;
  counters.connected = true;
  // Subscribing on every connect, not once: a broker that lost our session (restarted without
  // persistence, or a clean session) has also lost the subscription.
  const int sub_rc = mosquitto_subscribe(client, nullptr, filter.c_str(), options.qos);
  if (sub_rc != MOSQ_ERR_SUCCESS) failure = mosquitto_strerror(sub_rc);
  MqttConnectionEvent event;
  event.kind = MqttConnectionEvent::Kind::kConnected;
  event.session_present = (flags & 1) != 0;  // CONNACK flags bit 0: session present
  event.first = counters.connects == 1;
  emit(std::move(event));
}

void MqttSubscriber::Impl::on_disconnect(int rc) {
  const int saved_errno = errno;
  const bool was_connected = counters.connected;
  counters.connected = false;
  if (leaving) return;
  if (failure.empty()) failure = error_text(rc, saved_errno);
  if (was_connected) ++counters.disconnects;
}

void MqttSubscriber::Impl::on_subscribe(int granted_count, const int* granted) {
  for (int i = 0; i < granted_count; ++i) {
    if (granted[i] >= 0x80) {  // SUBACK failure: the broker's ACL denies the topic filter
      failure = fmt::format("the broker refused the subscription to '{}'", filter);
      refused = true;
    }
  }
}

void MqttSubscriber::Impl::on_message_received(const mosquitto_message& message) {
  ++counters.messages;
  counters.payload_bytes += static_cast<std::size_t>(message.payloadlen);
  if (!on_message || !*on_message || handler_error) return;
  try {
    (*on_message)(std::string_view(message.topic),
                  std::string_view(static_cast<const char*>(message.payload),
                                   static_cast<std::size_t>(message.payloadlen)));
  } catch (...) {
    handler_error = std::current_exception();
  }
}

void MqttSubscriber::Impl::attempt() {
  acknowledged = false;
  failure.clear();
  errno = 0;
  const int rc = first_attempt ? mosquitto_connect_async(client, options.host.c_str(), options.port,
                                                         options.keepalive_s)
                               : mosquitto_reconnect_async(client);
  first_attempt = false;
  if (rc == MOSQ_ERR_SUCCESS) {
    phase = Phase::kConnecting;
    return;
  }
  failure = error_text(rc, errno);
  retry_later();
}

void MqttSubscriber::Impl::connection_ended(int rc) {
  if (failure.empty()) failure = error_text(rc, errno);
  if (rc == MOSQ_ERR_TLS && !library_error.empty()) failure += " " + library_error;
  library_error.clear();
  if (refused) {
    phase = Phase::kStopped;
    MqttConnectionEvent event;
    event.kind = MqttConnectionEvent::Kind::kRefused;
    event.reason = failure;
    emit(std::move(event));
    return;
  }
  retry_later();
}

void MqttSubscriber::Impl::retry_later() {
  if (acknowledged) backoff = options.reconnect_min;  // it worked once: retry soon
  MqttConnectionEvent event;
  event.kind = acknowledged ? MqttConnectionEvent::Kind::kDisconnected
                            : MqttConnectionEvent::Kind::kConnectFailed;
  event.reason = failure;
  event.retry_in = backoff;
  if (!acknowledged) ++counters.failed_attempts;
  phase = Phase::kWaiting;
  retry_at = Clock::now() + backoff;
  backoff = std::min(backoff * 2, options.reconnect_max);
  emit(std::move(event));
}

MqttSubscriber::MqttSubscriber(MqttOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {
  try {
    impl_->configure();
  } catch (...) {
    if (impl_->client) mosquitto_destroy(impl_->client);
    throw;
  }
}

MqttSubscriber::~MqttSubscriber() {
  try {
    stop();
  } catch (...) {  // a destructor must not throw; stop() without handlers has nothing to throw
  }
  mosquitto_destroy(impl_->client);
}

std::size_t MqttSubscriber::poll(std::chrono::milliseconds timeout,
                                 const MessageHandler& on_message, const EventHandler& on_event) {
  using Clock = Impl::Clock;
  Impl& impl = *impl_;
  if (impl.phase == Impl::Phase::kStopped) return 0;
  const Impl::HandlersInUse handlers(impl, on_message, on_event);

  // At most this long in one select(), so that request_stop() takes effect soon.
  constexpr auto kSlice = std::chrono::milliseconds(50);
  const std::uint64_t before = impl.counters.messages;
  const Clock::time_point deadline = Clock::now() + timeout;
  while (!impl.stop_requested && impl.phase != Impl::Phase::kStopped) {
    const Clock::time_point now = Clock::now();
    if (impl.phase == Impl::Phase::kWaiting) {
      if (now >= impl.retry_at) {
        impl.attempt();
        continue;
      }
      if (now >= deadline) break;
      std::this_thread::sleep_for(
          std::min({impl.retry_at - now, deadline - now, Clock::duration(kSlice)}));
      continue;
    }
    const bool delivered = impl.counters.messages > before;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    // Once messages have been handed over, only take what is already there.
    const int wait_ms = delivered ? 0 : static_cast<int>(std::clamp(left, {}, kSlice).count());
    const std::uint64_t seen = impl.counters.messages;
    const int rc = impl.loop(wait_ms);
    if (rc != MOSQ_ERR_SUCCESS || impl.refused) {
      impl.connection_ended(rc);
      continue;
    }
    if (delivered && impl.counters.messages == seen) break;  // drained for now
    if (Clock::now() >= deadline) break;
  }
  if (impl.handler_error) std::rethrow_exception(std::exchange(impl.handler_error, nullptr));
  return impl.counters.messages - before;
}

void MqttSubscriber::request_stop() {
  impl_->stop_requested = true;
}

void MqttSubscriber::stop(const MessageHandler& on_message, const EventHandler& on_event) {
  Impl& impl = *impl_;
  if (impl.phase == Impl::Phase::kStopped) return;
  const bool connected = impl.phase == Impl::Phase::kConnected;
  impl.phase = Impl::Phase::kStopped;
  if (!connected) return;
  const Impl::HandlersInUse handlers(impl, on_message, on_event);
  // Unsubscribing ends the broker's queueing for this client id: a clean stop says "no longer
  // listening", unlike a crash, after which a restart with the same id resumes the session.
  // What arrives until the broker confirms still goes to the handler: with QoS 1 the broker
  // counts it as delivered.
  impl.leaving = true;
  impl.unsubscribed = false;
  mosquitto_unsubscribe(impl.client, nullptr, impl.filter.c_str());
  const auto deadline = Impl::Clock::now() + std::chrono::seconds(1);
  while (!impl.unsubscribed && Impl::Clock::now() < deadline) {
    if (impl.loop(50) != MOSQ_ERR_SUCCESS) break;
  }
  mosquitto_disconnect(impl.client);
  while (Impl::Clock::now() < deadline) {
    if (impl.loop(50) != MOSQ_ERR_SUCCESS) break;  // the DISCONNECT is written, the socket closed
  }
  impl.counters.connected = false;
}

MqttCounters MqttSubscriber::counters() const {
  return impl_->counters;
}

const MqttOptions& MqttSubscriber::options() const {
  return impl_->options;
}

std::string MqttSubscriber::topic_filter() const {
  return impl_->filter;
}

void parse_mqtt_broker(std::string_view text, bool tls, const std::string& flag,
                       MqttOptions& options) {
  const auto bad = [&](std::string_view why) {
    return bad_option(flag, fmt::format("expected HOST:PORT, e.g. localhost:1883 or [::1]:1883, "
                                        "found '{}'{}",
                                        text, why));
  };
  std::string_view host = text;
  std::optional<std::string_view> port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) throw bad("");
    host = text.substr(1, close - 1);
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') throw bad("");
      port = rest.substr(1);
    }
  } else if (const auto colon = text.rfind(':'); colon != std::string_view::npos) {
    if (text.find(':') != colon) throw bad(" (an IPv6 address goes in brackets)");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty()) throw bad("");
  int number = tls ? 8883 : 1883;
  if (port) {
    const auto [end, error] = std::from_chars(port->data(), port->data() + port->size(), number);
    if (port->empty() || error != std::errc() || end != port->data() + port->size() || number < 1 ||
        number > 65535) {
      throw bad(": the port must be a number 1-65535");
    }
  }
  options.host = std::string(host);
  options.port = number;
}

std::string describe(const MqttConnectionEvent& event, const MqttOptions& options) {
  const std::string broker = fmt::format("{}:{}", options.host, options.port);
  const double retry_s = std::chrono::duration<double>(event.retry_in).count();
  switch (event.kind) {
    case MqttConnectionEvent::Kind::kConnected:
      if (options.qos == 0) return fmt::format("connected to {}", broker);
      if (event.session_present) return fmt::format("connected to {} (session resumed)", broker);
      if (event.first) return fmt::format("connected to {} (new session)", broker);
      return fmt::format(
          "connected to {} (the broker lost the session: what was published meanwhile is lost)",
          broker);
    case MqttConnectionEvent::Kind::kDisconnected:
      return fmt::format("lost the connection to {} ({}); reconnecting in {:g} s", broker,
                         event.reason, retry_s);
    case MqttConnectionEvent::Kind::kConnectFailed:
      return fmt::format("cannot connect to {} ({}); retrying in {:g} s", broker, event.reason,
                         retry_s);
    case MqttConnectionEvent::Kind::kRefused:
      break;
  }
  return fmt::format("the broker at {} refused the connection: {}", broker, event.reason);
}

}  // namespace linetwin
