#include "api/client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cctype>

#include "api/address.h"
#include "api/client_tls.h"

namespace coffer::api {

namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

// Large enough for any list or PKI bundle the API returns; a bound all the
// same, since the server is not trusted to be sane.
constexpr uint64_t kMaxResponseBody = 64ull * 1024 * 1024;
constexpr uint32_t kMaxResponseHeader = 64 * 1024;

// A request sent on a reused keep-alive connection can fail this way when
// the server had closed the connection meanwhile; sending it again on a new
// connection is safe because the server read none of it.
bool IsStaleConnectionError(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == net::ssl::error::stream_truncated;
}

std::string Describe(const error_code& ec) {
  if (ec == beast::error::timeout) {
    return "timed out";
  }
  std::string text = ec.message();
  std::string detail = TlsErrorString();
  return detail.empty() ? text : text + " (" + detail + ")";
}

std::string Lower(beast::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

struct Client::Impl {
  ClientConfig config;
  ServerAddress address;
  net::io_context ioc{1};
  std::unique_ptr<net::ssl::context> tls;
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;

  bool connected() const { return plain != nullptr || secure != nullptr; }
  beast::tcp_stream& Lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

  // Run starts one asynchronous operation and runs the IO context until it
  // completes; the stream's timer turns a hang into beast::error::timeout.
  template <class Initiate>
  error_code Run(Initiate&& initiate) {
    error_code result = net::error::operation_aborted;
    initiate([&result](error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  Status Connect();
  void Disconnect();
  Result<Response> RoundTrip(const bhttp::request<bhttp::string_body>& request, bool* retryable);
  Result<Response> Send(const bhttp::request<bhttp::string_body>& request);
};

Status Client::Impl::Connect() {
  error_code ec;
  tcp::resolver resolver(ioc);
  auto endpoints = resolver.resolve(address.host, std::to_string(address.port), ec);
  if (ec) {
    return Status::Unavailable("resolving " + address.host + ": " + ec.message());
  }
  auto stream = std::make_unique<beast::tcp_stream>(ioc);
  stream->expires_after(config.timeout);
  ec = Run([&](auto handler) { stream->async_connect(endpoints, std::move(handler)); });
  if (ec) {
    return Status::Unavailable("connecting to " + address.HostHeader() + ": " + Describe(ec));
  }
  if (!address.tls) {
    plain = std::move(stream);
    return Status::Ok();
  }
  auto tls_stream =
      std::make_unique<beast::ssl_stream<beast::tcp_stream>>(std::move(*stream), *tls);
  COFFER_RETURN_IF_ERROR(
      ConfigureServerIdentity(tls_stream->native_handle(), address.host, config));
  beast::get_lowest_layer(*tls_stream).expires_after(config.timeout);
  ec = Run([&](auto handler) {
    tls_stream->async_handshake(net::ssl::stream_base::client, std::move(handler));
  });
  if (ec) {
    return Status::Unavailable("TLS handshake with " + address.HostHeader() + ": " + Describe(ec));
  }
  secure = std::move(tls_stream);
  return Status::Ok();
}

void Client::Impl::Disconnect() {
  error_code ignored;
  if (connected()) {
    Lowest().socket().close(ignored);
  }
  plain.reset();
  secure.reset();
  buffer.clear();
}

Result<Response> Client::Impl::RoundTrip(const bhttp::request<bhttp::string_body>& request,
                                         bool* retryable) {
  *retryable = false;
  Lowest().expires_after(config.timeout);
  error_code write_ec = Run([&](auto handler) {
    if (secure) {
      bhttp::async_write(*secure, request, std::move(handler));
    } else {
      bhttp::async_write(*plain, request, std::move(handler));
    }
  });
  // Even when sending failed, the server may have answered (413 before
  // reading a large body) and closed: read what it said.
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(kMaxResponseBody);
  parser.header_limit(kMaxResponseHeader);
  if (request.method() == bhttp::verb::head) {
    parser.skip(true);
  }
  Lowest().expires_after(config.timeout);
  error_code read_ec = Run([&](auto handler) {
    if (secure) {
      bhttp::async_read(*secure, buffer, parser, std::move(handler));
    } else {
      bhttp::async_read(*plain, buffer, parser, std::move(handler));
    }
  });
  if (read_ec) {
    error_code ec = write_ec ? write_ec : read_ec;
    *retryable = !parser.got_some() && IsStaleConnectionError(ec);
    return Status::Unavailable(
        std::string(write_ec ? "sending the request" : "reading the response") + ": " +
        Describe(ec));
  }
  const auto& message = parser.get();
  Response out;
  out.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    out.headers[Lower(field.name_string())] = std::string(field.value());
  }
  out.raw_body = message.body();
  if (!out.raw_body.empty()) {
    out.body = nlohmann::json::parse(out.raw_body, nullptr, /*allow_exceptions=*/false);
    if (out.body.is_discarded()) {
      out.body = nullptr;
    }
  }
  if (write_ec || !message.keep_alive()) {
    Disconnect();
  }
  return out;
}

Result<Response> Client::Impl::Send(const bhttp::request<bhttp::string_body>& request) {
  bool reused = connected();
  if (!reused) {
    COFFER_RETURN_IF_ERROR(Connect());
  }
  bool retryable = false;
  Result<Response> response = RoundTrip(request, &retryable);
  if (!response.ok() && reused && retryable) {
    Disconnect();
    COFFER_RETURN_IF_ERROR(Connect());
    response = RoundTrip(request, &retryable);
  }
  if (!response.ok()) {
    Disconnect();
  }
  return response;
}

Result<std::unique_ptr<Client>> Client::Create(ClientConfig config) {
  auto impl = std::make_unique<Impl>();
  COFFER_ASSIGN_OR_RETURN(impl->address, ParseServerAddress(config.address));
  if (impl->address.tls) {
    COFFER_ASSIGN_OR_RETURN(SslCtxPtr ctx, MakeClientTlsContext(config));
    impl->tls = std::make_unique<net::ssl::context>(ctx.release());
  }
  impl->config = std::move(config);
  return std::unique_ptr<Client>(new Client(std::move(impl)));
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Client::~Client() { impl_->Disconnect(); }

const ClientConfig& Client::config() const { return impl_->config; }

void Client::SetToken(std::string token) { impl_->config.token = std::move(token); }

Result<Response> Client::Request(const std::string& method, const std::string& path,
                                 const std::optional<nlohmann::json>& body,
                                 const Headers& headers) {
  std::string target = "/v1/" + (path.empty() || path.front() != '/' ? path : path.substr(1));
  std::optional<std::string> text;
  if (body) {
    text = body->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return RequestTarget(method, target, text, headers);
}

Result<Response> Client::RequestTarget(const std::string& method, const std::string& target,
                                       const std::optional<std::string>& body,
                                       const Headers& headers) {
  if (method.empty() || target.empty() || target.front() != '/') {
    return Status::InvalidArgument("a request needs a method and a target starting with /");
  }
  bhttp::request<bhttp::string_body> request;
  request.version(11);
  request.method_string(method);
  request.target(target);
  request.set(bhttp::field::host, impl_->address.HostHeader());
  request.set(bhttp::field::user_agent, "coffer-api");
  if (!impl_->config.token.empty()) {
    request.set("X-Vault-Token", impl_->config.token);
  }
  if (!impl_->config.namespace_name.empty()) {
    request.set("X-Vault-Namespace", impl_->config.namespace_name);
  }
  // Vault rejects browser-originated requests without this header when
  // CORS is on; the vault CLI always sends it.
  request.set("X-Vault-Request", "true");
  if (body) {
    request.set(bhttp::field::content_type, "application/json");
    request.body() = *body;
  }
  for (const auto& [name, value] : headers) {
    request.set(name, value);
  }
  request.keep_alive(true);
  request.prepare_payload();

  COFFER_ASSIGN_OR_RETURN(Response response, impl_->Send(request));
  response.method = method;
  response.url = impl_->address.Origin() + target;
  return response;
}

}  // namespace coffer::api
