// A live MQTT feed of telemetry: subscribes to PREFIX/# on a broker through libmosquitto, stays
// subscribed across broker restarts, and hands every message received to the thread that owns
// the twins.
//
// Threading: none of its own. poll() runs the client's network loop (mosquitto_loop) on the
// calling thread and calls the message handler from inside libmosquitto's callback, with views of
// the library's own buffers: no copy, no queue, no lock, and no thread hand-over between the
// socket and the twins. A hand-over (a network thread filling a queue that the twins' thread
// drains) cost about two futex calls per burst of messages, most of the subscriber's system time;
// without it the subscriber takes 27% less CPU at 30,000 messages/s and half the median delay
// (docs/performance.md, "Live telemetry through mosquitto"). Twin state stays single-threaded
// because the twins' thread is the only one there is. While that thread is busy elsewhere, the
// socket is not read: TCP's flow control then makes the broker hold the messages.
//
// Reconnects. The library's own reconnect loop (mosquitto_loop_forever) sleeps whole seconds,
// retries silently and cannot be interrupted, so poll() reconnects itself: every failed attempt
// is reported with its reason and the delay before the next one, which doubles from
// reconnect_min to reconnect_max, and goes back to reconnect_min once a connection has worked.
// Every successful connect subscribes again. With QoS 1 the session is persistent (clean session
// off, a fixed client id), so the broker queues what is published while the subscriber is away,
// up to its max_queued_messages; connection events report whether the broker kept the session.
//
// No libmosquitto type appears here; the implementation lives in mqtt_subscriber.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace linetwin {

struct MqttTlsOptions {
  std::string ca_file;    // PEM file of trusted CA certificates
  std::string ca_dir;     // directory of trusted CA certificates (c_rehash layout)
  std::string cert_file;  // client certificate (PEM), with key_file
  std::string key_file;   // client private key (PEM, unencrypted)
  bool insecure = false;  // skip the check that the broker's certificate names the host
  bool enabled() const { return !ca_file.empty() || !ca_dir.empty(); }
};

struct MqttOptions {
  std::string host = "localhost";
  int port = 1883;
  // QoS 1 needs a fixed id, the same on every start, for the broker to keep the session (and
  // refuses an empty one); with QoS 0 empty means "linetwin-<pid>" and a clean session.
  std::string client_id;
  std::string topic_prefix = "linetwin";  // subscribes to PREFIX/#: one topic per machine
  int qos = 0;                            // 0 or 1
  std::string username;                   // empty: no authentication
  std::string password;
  MqttTlsOptions tls;
  int keepalive_s = 30;
  std::chrono::milliseconds reconnect_min{250};  // first retry; doubles on each failure
  std::chrono::milliseconds reconnect_max{8000};
};

// A change of the connection, delivered by poll() in order with the messages around it.
struct MqttConnectionEvent {
  enum class Kind : std::uint8_t {
    kConnected,      // CONNACK accepted; subscribed again
    kDisconnected,   // an established connection ended (broker gone, network, keepalive)
    kConnectFailed,  // an attempt failed before the broker accepted it; retrying
    kRefused,        // the broker refused the CONNECT (credentials, client id): not retried
  };
  Kind kind = Kind::kConnected;
  std::string reason;                     // empty for kConnected
  bool session_present = false;           // kConnected: the broker still had our session
  bool first = false;                     // kConnected: the first connection, not a reconnect
  std::chrono::milliseconds retry_in{0};  // kDisconnected, kConnectFailed: delay before retrying
};

struct MqttCounters {
  std::uint64_t connects = 0;         // accepted connections, the first one included
  std::uint64_t disconnects = 0;      // established connections that ended other than by stop()
  std::uint64_t failed_attempts = 0;  // connection attempts that did not get a CONNACK
  std::uint64_t messages = 0;         // messages received and handed to the handler
  std::uint64_t payload_bytes = 0;
  bool connected = false;
};

class MqttSubscriber {
 public:
  using MessageHandler = std::function<void(std::string_view topic, std::string_view payload)>;
  using EventHandler = std::function<void(const MqttConnectionEvent&)>;

  // Checks the options (InputError naming the field: port, QoS, TLS files, client id) and
  // prepares the client; the first poll() connects. Connection problems never throw; they
  // arrive as events.
  explicit MqttSubscriber(MqttOptions options);
  ~MqttSubscriber();  // stop()
  MqttSubscriber(const MqttSubscriber&) = delete;
  MqttSubscriber& operator=(const MqttSubscriber&) = delete;

  // Runs the connection for up to `timeout`: connects or reconnects when it is time to, reads
  // what the broker sends, and calls on_message and on_event on this thread, in arrival order.
  // The views are valid only during the call. Returns early, with the number of messages handed
  // over, once it has handed over some and the socket has nothing more at the moment, or when
  // request_stop() was called; between calls nothing is read.
  std::size_t poll(std::chrono::milliseconds timeout, const MessageHandler& on_message,
                   const EventHandler& on_event);

  // Makes a poll() in progress on another thread return within 50 ms. Safe from any thread, and
  // from a signal handler (it only stores to a lock-free atomic).
  void request_stop();
  // Unsubscribes, hands what still arrives until the broker confirms to the handlers (with QoS 1
  // the broker counts it as delivered), and disconnects cleanly (a DISCONNECT: the broker keeps
  // no half-open connection). Call from the thread that polls; more than once is fine; the
  // destructor calls it without handlers. Afterwards poll() returns 0 at once.
  void stop(const MessageHandler& on_message = {}, const EventHandler& on_event = {});

  MqttCounters counters() const;
  const MqttOptions& options() const;
  // The topic filter subscribed to: PREFIX/#.
  std::string topic_filter() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads a broker address as given on a command line, HOST, HOST:PORT or [IPv6]:PORT, into
// options.host and options.port; the port defaults to MQTT's 1883, or 8883 with TLS. Anything
// else is an InputError naming `flag`.
void parse_mqtt_broker(std::string_view text, bool tls, const std::string& flag,
                       MqttOptions& options);

// A topic prefix the subscriber can take (it subscribes to PREFIX/#): not empty, no wildcard (+ #),
// no trailing '/'. Anything else is an InputError naming `field`.
void check_mqtt_topic_prefix(std::string_view prefix, const std::string& field);

// The text form of a connection event for logs: "connected to HOST:PORT (session resumed)".
std::string describe(const MqttConnectionEvent& event, const MqttOptions& options);

}  // namespace linetwin
