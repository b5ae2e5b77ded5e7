#include "http/connection.h"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <memory>
#include <optional>
#include <type_traits>

#include "http/dispatcher.h"
#include "http/response_encoder.h"
#include "http/wire.h"

namespace coffer::http {

namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

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

// What the response needs to know about the request it answers.
struct RequestMeta {
  unsigned version = 11;
  bool keep_alive = false;
  bool head = false;
};

bool IsQuietClose(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == beast::error::timeout || ec == net::error::operation_aborted ||
         ec == net::error::eof || ec == net::error::connection_reset ||
         ec == net::ssl::error::stream_truncated;
}

bool IsHttpParseError(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
}

std::string RemoteAddress(const tcp::socket& socket) {
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
  using Stream = std::conditional_t<kTls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

 public:
  Connection(tcp::socket&& socket, std::string remote_address, const ConnectionSettings& settings)
      : stream_(MakeStream(std::move(socket), settings)),
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
  static Stream MakeStream(tcp::socket&& socket, const ConnectionSettings& settings) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *settings.tls);
    } else {
      return Stream(std::move(socket));
    }
  }

  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  void Begin() {
    if constexpr (kTls) {
      Lowest().expires_after(settings_.tls_handshake_timeout);
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
    Lowest().expires_after(settings_.idle_timeout);
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
      continue_ = std::make_unique<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_,
                                                                       request.version());
      Lowest().expires_after(settings_.write_timeout);
      bhttp::async_write(
          stream_, *continue_,
          beast::bind_front_handler(&Connection::OnContinueSent, this->shared_from_this()));
      return;
    }
    ReadBody();
  }

  void OnContinueSent(beast::error_code ec, size_t /*bytes*/) {
    continue_.reset();
    if (ec) {
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    Lowest().expires_after(settings_.idle_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Connection::OnRead, this->shared_from_this()));
  }

  void OnRead(beast::error_code ec, size_t /*bytes*/) {
    if (ec) {
      OnReadError(ec);
      return;
    }
    // The handler may take a while; no timer runs for it.
    Lowest().expires_never();
    bhttp::request<bhttp::string_body> message = parser_->release();
    parser_.reset();
    if (buffer_.capacity() > kMaxIdleBufferSize) {
      buffer_.shrink_to_fit();
    }

    RequestMeta meta;
    meta.version = message.version();
    meta.keep_alive = message.keep_alive();
    meta.head = message.method() == bhttp::verb::head;
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
    // here. Either way the answer comes back to this connection's strand.
    auto self = this->shared_from_this();
    auto reply = [self, meta](WireResponse response) {
      auto executor = self->stream_.get_executor();
      net::post(executor, [self, response = std::move(response), meta]() mutable {
        self->Write(std::move(response), meta, /*drain=*/false);
      });
    };
    auto offload = [workers = settings_.workers](std::function<void()> task) {
      net::post(*workers, std::move(task));
    };
    Dispatch(*settings_.handler, std::move(wire), reply, offload);
  }

  void OnReadError(const beast::error_code& ec) {
    parser_.reset();
    if (IsQuietClose(ec)) {
      return;
    }
    RequestMeta meta;  // HTTP/1.1, connection: close
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

  void Write(WireResponse wire, const RequestMeta& meta, bool drain) {
    response_.emplace();
    response_->version(meta.version);
    response_->result(static_cast<unsigned>(wire.status));
    if (wire.status != 204) {
      response_->set(bhttp::field::content_type, wire.content_type);
    }
    response_->set(bhttp::field::cache_control, "no-store");
    response_->keep_alive(meta.keep_alive && !drain);
    response_->body() = std::move(wire.body);
    response_->prepare_payload();
    if (meta.head) {
      // Content-Length stays that of the body a GET would have returned.
      response_->body().clear();
    }
    bool close = drain || response_->need_eof();
    Lowest().expires_after(settings_.write_timeout);
    bhttp::async_write(
        stream_, *response_,
        beast::bind_front_handler(&Connection::OnWrite, this->shared_from_this(), close, drain));
  }

  void OnWrite(bool close, bool drain, beast::error_code ec, size_t /*bytes*/) {
    response_.reset();
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
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    drain_buffer_ = std::make_unique<std::array<char, 4096>>();
    Lowest().expires_after(kDrainTimeout);
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
      Lowest().expires_after(kShutdownTimeout);
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
    } else {
      beast::error_code ignored;
      Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  std::unique_ptr<bhttp::response<bhttp::empty_body>> continue_;
  std::unique_ptr<std::array<char, 4096>> drain_buffer_;
  size_t drained_ = 0;
  const std::string remote_address_;
  // The client's certificate chain (leaf first), PEM; empty without one.
  std::string client_cert_pem_;
  const ConnectionSettings& settings_;
};

}  // namespace

void StartConnection(tcp::socket socket, const ConnectionSettings& settings) {
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
