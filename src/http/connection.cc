#include "http/connection.h"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <memory>
#include <optional>
#include <type_traits>

#include "http/dispatcher.h"
#include "http/response_encoder.h"
#include "http/response_serializer.h"
#include "http/wire.h"

namespace coffer::http {

namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using Timer = net::basic_waitable_timer<Clock, net::wait_traits<Clock>, ConnectionExecutor>;

// Per-connection memory is what limits how many idle keep-alive connections
// a node holds, so the read buffer starts small and is shrunk back after a
// large request.
constexpr size_t kInitialBufferSize = 1024;
constexpr size_t kMaxIdleBufferSize = 16 * 1024;
constexpr uint32_t kHeaderLimit = 32 * 1024;
// After an error response sent before the request body was read (413, 400),
// the rest of the request is read and discarded for a while before closing,
// so that the client sees our response rather than a connection reset.
constexpr size_t kDrainLimit = 1024 * 1024;
constexpr std::chrono::seconds kDrainTimeout{5};
constexpr std::chrono::seconds kShutdownTimeout{5};

bool IsQuietClose(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == beast::error::timeout || ec == net::error::operation_aborted ||
         ec == net::error::eof || ec == net::error::connection_reset ||
         ec == net::ssl::error::stream_truncated;
}

bool IsHttpParseError(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
}

std::string RemoteAddress(const ConnectionSocket& socket) {
  beast::error_code ec;
  tcp::endpoint remote = socket.remote_endpoint(ec);
  if (ec) {
    return "";
  }
  net::ip::address address = remote.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6()).to_string();
  }
  return address.to_string();
}

// PeerCertificatesPem is the certificate chain the client presented, leaf
// first, as PEM: what cert auth verifies (the listener only verifies it
// when tls_require_and_verify_client_cert is set).
std::string PeerCertificatesPem(SSL* ssl) {
  std::string pem;
  X509* leaf = SSL_get0_peer_certificate(ssl);
  if (leaf == nullptr) {
    return pem;
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || PEM_write_bio_X509(bio.get(), leaf) != 1) {
    return pem;
  }
  // On a server the chain does not include the leaf.
  if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl)) {
    for (int i = 0; i < sk_X509_num(chain); ++i) {
      (void)PEM_write_bio_X509(bio.get(), sk_X509_value(chain, i));
    }
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  if (size > 0) {
    pem.assign(data, static_cast<size_t>(size));
  }
  return pem;
}

template <bool kTls>
class Connection : public std::enable_shared_from_this<Connection<kTls>> {
  // ReplyHold keeps the connection for a reply callback and counts the
  // callback in `replies_outstanding` until its last copy is destroyed;
  // the connection (whose socket needs the IO context) goes first.
  struct ReplyHold {
    ReplyHold(std::shared_ptr<Connection> connection, ConnectionCounters* counters)
        : self(std::move(connection)), counters(counters) {
      counters->replies_outstanding.fetch_add(1, std::memory_order_relaxed);
    }
    ReplyHold(const ReplyHold&) = delete;
    ReplyHold& operator=(const ReplyHold&) = delete;
    ~ReplyHold() {
      self.reset();
      counters->replies_outstanding.fetch_sub(1, std::memory_order_release);
    }
    std::shared_ptr<Connection> self;
    ConnectionCounters* counters;
  };

  // Each write is one contiguous buffer, so the TLS stream needs no write
  // coalescing (beast::ssl_stream's flat_stream).
  using Stream = std::conditional_t<kTls, net::ssl::stream<ConnectionSocket>, ConnectionSocket>;

 public:
  Connection(ConnectionSocket&& socket, std::string remote_address,
             const ConnectionSettings& settings)
      : stream_(MakeStream(std::move(socket), settings)),
        timer_(stream_.get_executor()),
        remote_address_(std::move(remote_address)),
        settings_(settings) {
    buffer_.reserve(kInitialBufferSize);
    settings_.counters->open.fetch_add(1, std::memory_order_relaxed);
  }

  ~Connection() { settings_.counters->open.fetch_sub(1, std::memory_order_relaxed); }

  void Start() {
    // The accept handler runs outside this connection's strand.
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Connection::Begin, this->shared_from_this()));
  }

 private:
  static Stream MakeStream(ConnectionSocket&& socket, const ConnectionSettings& settings) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *settings.tls);
    } else {
      return Stream(std::move(socket));
    }
  }

  ConnectionSocket& Lowest() {
    if constexpr (kTls) {
      return stream_.next_layer();
    } else {
      return stream_;
    }
  }

  // The connection has one deadline at a time (handshake, idle, write,
  // drain, shutdown) and one timer for it. Moving the deadline later, which
  // every request does twice, only stores it: when the timer fires before
  // the deadline it waits again. Only an earlier deadline re-arms the timer
  // at once. This replaces beast::tcp_stream, which started and cancelled a
  // timer wait around every read and write.
  void SetDeadline(Clock::duration timeout) {
    deadline_ = Clock::now() + timeout;
    if (!timer_armed_ || deadline_ < timer_.expiry()) {
      ArmTimer();
    }
  }

  // ClearDeadline lets the connection wait without limit (while the handler
  // runs); a pending timer wait ends quietly when it fires.
  void ClearDeadline() { deadline_ = Clock::time_point::max(); }

  void ArmTimer() {
    timer_armed_ = true;
    // A pending wait is cancelled and its handler ignores operation_aborted.
    timer_.expires_at(deadline_);
    // A weak reference: an idle timer must not keep a finished connection.
    timer_.async_wait([weak = this->weak_from_this()](beast::error_code ec) {
      if (auto self = weak.lock()) {
        self->OnTimer(ec);
      }
    });
  }

  void OnTimer(beast::error_code ec) {
    if (ec == net::error::operation_aborted) {
      return;  // re-armed (the new wait is pending) or the connection is gone
    }
    if (deadline_ == Clock::time_point::max()) {
      timer_armed_ = false;
      return;
    }
    if (Clock::now() < deadline_) {
      ArmTimer();
      return;
    }
    // Timed out: closing the socket ends the pending operation with
    // operation_aborted, which the connection treats as a quiet close.
    timer_armed_ = false;
    beast::error_code ignored;
    Lowest().close(ignored);
  }

  void Begin() {
    if constexpr (kTls) {
      SetDeadline(settings_.tls_handshake_timeout);
      stream_.async_handshake(
          net::ssl::stream_base::server,
          beast::bind_front_handler(&Connection::OnHandshake, this->shared_from_this()));
    } else {
      ReadHeader();
    }
  }

  void OnHandshake(beast::error_code ec) {
    if (ec) {
      spdlog::debug("TLS handshake with {} failed: {}", remote_address_, ec.message());
      return;
    }
    if constexpr (kTls) {
      client_cert_pem_ = PeerCertificatesPem(stream_.native_handle());
    }
    ReadHeader();
  }

  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(settings_.body_limit);
    SetDeadline(settings_.idle_timeout);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        beast::bind_front_handler(&Connection::OnHeader, this->shared_from_this()));
  }

  void OnHeader(beast::error_code ec, size_t /*bytes*/) {
    if (ec) {
      OnReadError(ec);
      return;
    }
    const auto& request = parser_->get();
    if (beast::iequals(request[bhttp::field::expect], "100-continue") && !parser_->is_done()) {
      // curl and others wait for this before sending a body.
      SerializeContinue(request.version(), out_);
      SetDeadline(settings_.write_timeout);
      net::async_write(
          stream_, net::buffer(out_),
          beast::bind_front_handler(&Connection::OnContinueSent, this->shared_from_this()));
      return;
    }
    ReadBody();
  }

  void OnContinueSent(beast::error_code ec, size_t /*bytes*/) {
    if (ec) {
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    if (parser_->is_done()) {
      // No body (a GET): Beast's read would only post its completion.
      OnRead(beast::error_code(), 0);
      return;
    }
    SetDeadline(settings_.idle_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Connection::OnRead, this->shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t /*bytes*/) {
    if (ec) {
      OnReadError(ec);
      return;
    }
    // The handler may take a while; no timer runs for it.
    ClearDeadline();
    bhttp::request<bhttp::string_body> message = parser_->release();
    parser_.reset();
    if (buffer_.capacity() > kMaxIdleBufferSize) {
      buffer_.shrink_to_fit();
    }

    awaiting_reply_ = true;
    meta_.version = message.version();
    meta_.keep_alive = message.keep_alive();
    meta_.head = message.method() == bhttp::verb::head;
    WireRequest wire;
    wire.method = std::string(message.method_string());
    wire.target = std::string(message.target());
    wire.x_vault_token = std::string(message["X-Vault-Token"]);
    wire.authorization = std::string(message[bhttp::field::authorization]);
    wire.x_vault_wrap_ttl = std::string(message["X-Vault-Wrap-TTL"]);
    wire.body = std::move(message.body());
    wire.remote_address = remote_address_;
    wire.client_cert_pem = client_cert_pem_;

    // Requests that may block run on the worker pool; the others are served
    // here. Either way the answer comes back to this connection's strand:
    // at once when it is made on the strand (saving a post; Write only
    // starts the write, so nothing re-enters), posted otherwise. The reply
    // captures only `self` (meta_ waits in the connection, which has one
    // request in flight) so that it fits std::function's inline storage and
    // Dispatch's copies of it do not allocate. `self` is held through a
    // ReplyHold, which counts the reply until its last copy is gone.
    // A request gets one reply: a second one (Dispatch's guard answering
    // an exception thrown after the reply was made) would rewrite the
    // buffer being sent and start a second read.
    auto hold = std::make_shared<ReplyHold>(this->shared_from_this(), settings_.counters);
    auto reply = [hold](WireResponse response) {
      const auto& self = hold->self;
      auto executor = self->stream_.get_executor();
      net::dispatch(executor, [self, response = std::move(response)]() mutable {
        if (!self->awaiting_reply_) {
          return;
        }
        self->awaiting_reply_ = false;
        self->Write(std::move(response), self->meta_, /*drain=*/false);
      });
    };
    auto offload = [workers = settings_.workers, storage_workers = settings_.storage_workers](
                       WaitsFor waits, std::function<void()> task) {
      net::post(waits == WaitsFor::kStorage && storage_workers != nullptr ? *storage_workers
                                                                           : *workers,
                std::move(task));
    };
    Dispatch(*settings_.handler, std::move(wire), reply, offload);
  }

  void OnReadError(const beast::error_code& ec) {
    parser_.reset();
    if (IsQuietClose(ec)) {
      return;
    }
    ResponseFraming meta;  // HTTP/1.1, connection: close
    if (ec == bhttp::error::body_limit) {
      Write(EncodeError(Status::TooLarge("request body too large")), meta, /*drain=*/true);
      return;
    }
    if (ec == bhttp::error::header_limit) {
      Write(EncodeError(Status::InvalidArgument("request header too large")), meta,
            /*drain=*/true);
      return;
    }
    if (IsHttpParseError(ec)) {
      spdlog::debug("malformed HTTP request from {}: {}", remote_address_, ec.message());
      Write(EncodeError(Status::InvalidArgument("malformed HTTP request")), meta,
            /*drain=*/true);
      return;
    }
    spdlog::debug("read from {} failed: {}", remote_address_, ec.message());
  }

  // Write sends `wire` as one contiguous buffer in one write: Beast's
  // message serializer cost more CPU than the rest of a cached read.
  void Write(WireResponse wire, ResponseFraming framing, bool drain) {
    framing.keep_alive = framing.keep_alive && !drain;
    SerializeResponse(wire, framing, out_);
    const bool close = drain || !framing.keep_alive;
    SetDeadline(settings_.write_timeout);
    net::async_write(
        stream_, net::buffer(out_),
        beast::bind_front_handler(&Connection::OnWrite, this->shared_from_this(), close, drain));
  }

  void OnWrite(bool close, bool drain, beast::error_code ec, size_t /*bytes*/) {
    if (out_.capacity() > kMaxIdleBufferSize) {
      out_ = std::string();
    }
    if (ec) {
      spdlog::debug("write to {} failed: {}", remote_address_, ec.message());
      return;
    }
    if (drain) {
      Drain();
      return;
    }
    if (close) {
      Shutdown();
      return;
    }
    ReadHeader();
  }

  void Drain() {
    beast::error_code ignored;
    Lowest().shutdown(tcp::socket::shutdown_send, ignored);
    drain_buffer_ = std::make_unique<std::array<char, 4096>>();
    SetDeadline(kDrainTimeout);
    DrainSome();
  }

  void DrainSome() {
    Lowest().async_read_some(
        net::buffer(*drain_buffer_),
        beast::bind_front_handler(&Connection::OnDrained, this->shared_from_this()));
  }

  void OnDrained(beast::error_code ec, size_t bytes) {
    drained_ += bytes;
    if (ec || drained_ >= kDrainLimit) {
      return;  // the stream closes when the last reference goes
    }
    DrainSome();
  }

  void Shutdown() {
    if constexpr (kTls) {
      SetDeadline(kShutdownTimeout);
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
    } else {
      beast::error_code ignored;
      Lowest().shutdown(tcp::socket::shutdown_send, ignored);
    }
  }

  Stream stream_;
  Timer timer_;
  Clock::time_point deadline_ = Clock::time_point::max();
  bool timer_armed_ = false;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  // The bytes of the response being written; kept between requests so that
  // steady state does not allocate.
  std::string out_;
  std::unique_ptr<std::array<char, 4096>> drain_buffer_;
  size_t drained_ = 0;
  // What the response being prepared needs to know about its request.
  ResponseFraming meta_;  // of the request being served
  bool awaiting_reply_ = false;  // on the strand: the request has no reply yet
  const std::string remote_address_;
  // The client's certificate chain (leaf first), PEM; empty without one.
  std::string client_cert_pem_;
  const ConnectionSettings& settings_;
};

}  // namespace

void StartConnection(ConnectionSocket socket, const ConnectionSettings& settings) {
  beast::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  std::string remote = RemoteAddress(socket);
  if (settings.tls != nullptr) {
    std::make_shared<Connection<true>>(std::move(socket), std::move(remote), settings)->Start();
  } else {
    std::make_shared<Connection<false>>(std::move(socket), std::move(remote), settings)->Start();
  }
}

}  // namespace coffer::http
