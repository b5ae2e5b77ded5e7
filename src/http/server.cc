#include "http/server.h"

#include <sched.h>
#include <spdlog/spdlog.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>

#include "http/connection.h"
#include "http/listen_address.h"
#include "http/tls_context.h"

namespace coffer::http {

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

constexpr uint64_t kDefaultMaxRequestSize = 512 * 1024;
// How long accepting pauses when the process is out of file descriptors or
// memory: long enough not to spin, short enough to recover quickly.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};
constexpr std::chrono::seconds kAcceptWarningInterval{10};
// How long Stop waits for outstanding replies: well past the audit
// devices' timeout (2 s by default), after which every reply is made.
constexpr std::chrono::seconds kReplyDrainLimit{60};

bool IsResourceExhaustion(const error_code& ec) {
  return ec == net::error::no_descriptors ||
         ec == std::make_error_code(std::errc::too_many_files_open_in_system) ||
         ec == net::error::no_buffer_space || ec == net::error::no_memory;
}

// Listener accepts connections on one address and hands each to
// StartConnection on a strand of its own.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, const ConnectionSettings& settings, std::string address)
      : ioc_(ioc),
        acceptor_(net::make_strand(ioc)),
        retry_timer_(acceptor_.get_executor()),
        settings_(settings),
        address_(std::move(address)) {}

  Status Bind(const tcp::endpoint& endpoint) {
    error_code ec;
    auto fail = [this, &ec](const char* what) {
      return Status::Unavailable("listener " + address_ + ": " + what + ": " + ec.message());
    };
    if (acceptor_.open(endpoint.protocol(), ec)) {
      return fail("open");
    }
    if (acceptor_.set_option(net::socket_base::reuse_address(true), ec)) {
      return fail("setsockopt");
    }
    if (acceptor_.bind(endpoint, ec)) {
      return fail("bind");
    }
    if (acceptor_.listen(net::socket_base::max_listen_connections, ec)) {
      return fail("listen");
    }
    port_ = acceptor_.local_endpoint(ec).port();
    return Status::Ok();
  }

  uint16_t port() const { return port_; }

  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           [self = shared_from_this()](error_code ec, ConnectionSocket socket) {
                             self->OnAccept(ec, std::move(socket));
                           });
  }

  // Close must not run concurrently with the IO threads.
  void Close() {
    error_code ignored;
    retry_timer_.cancel();
    acceptor_.close(ignored);
  }

 private:
  void OnAccept(const error_code& ec, ConnectionSocket socket) {
    if (!acceptor_.is_open() || ec == net::error::operation_aborted) {
      return;
    }
    if (ec && IsResourceExhaustion(ec)) {
      // Pending connections stay in the backlog; pausing (rather than
      // retrying at once) keeps the IO thread from spinning.
      auto now = std::chrono::steady_clock::now();
      if (now - last_warning_ >= kAcceptWarningInterval) {
        spdlog::warn("listener {}: accept failed: {}; pausing accepts", address_, ec.message());
        last_warning_ = now;
      }
      retry_timer_.expires_after(kAcceptRetryDelay);
      retry_timer_.async_wait([self = shared_from_this()](error_code wait_ec) {
        if (!wait_ec) {
          self->Accept();
        }
      });
      return;
    }
    if (ec) {
      spdlog::debug("listener {}: accept failed: {}", address_, ec.message());
    } else {
      settings_.counters->accepted.fetch_add(1, std::memory_order_relaxed);
      StartConnection(std::move(socket), settings_);
    }
    Accept();
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;
  const ConnectionSettings& settings_;
  const std::string address_;
  uint16_t port_ = 0;
  std::chrono::steady_clock::time_point last_warning_{};
};

Result<tcp::endpoint> ResolveEndpoint(net::io_context& ioc, const std::string& address) {
  COFFER_ASSIGN_OR_RETURN(ListenAddress parsed, ParseListenAddress(address));
  if (parsed.host.empty()) {
    return tcp::endpoint(tcp::v4(), parsed.port);
  }
  error_code ec;
  net::ip::address ip = net::ip::make_address(parsed.host, ec);
  if (!ec) {
    return tcp::endpoint(ip, parsed.port);
  }
  tcp::resolver resolver(ioc);
  auto results =
      resolver.resolve(parsed.host, std::to_string(parsed.port), tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    return Status::InvalidArgument("listener " + address + ": cannot resolve host \"" +
                                   parsed.host + "\"" + (ec ? ": " + ec.message() : ""));
  }
  return results.begin()->endpoint();
}

}  // namespace

size_t IoThreadCount(size_t configured) {
  if (configured > 0) {
    return configured;
  }
  constexpr size_t kMaxAuto = 2;
  cpu_set_t usable;
  CPU_ZERO(&usable);
  if (sched_getaffinity(0, sizeof(usable), &usable) != 0) {
    return kMaxAuto;
  }
  return std::clamp<size_t>(static_cast<size_t>(CPU_COUNT(&usable)), 1, kMaxAuto);
}

struct Server::Impl {
  Impl(std::vector<config::ListenerConfig> listener_configs, core::RequestHandler& h,
       ServerOptions opts)
      : configs(std::move(listener_configs)), handler(h), options(opts) {}

  Status BindAll();
  void JoinWorkers();
  void RunIo();

  const std::vector<config::ListenerConfig> configs;
  core::RequestHandler& handler;
  const ServerOptions options;
  ConnectionCounters counters;

  // Declaration order is destruction order in reverse: connections (owned
  // by handlers queued in `ioc`) refer to settings and TLS contexts, so
  // those are declared first and outlive the IO context.
  std::vector<std::unique_ptr<net::ssl::context>> tls_contexts;
  std::vector<std::unique_ptr<ConnectionSettings>> settings;
  std::unique_ptr<net::thread_pool> workers;
  std::unique_ptr<net::thread_pool> storage_workers;  // null: none configured
  std::unique_ptr<net::io_context> ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::shared_ptr<Listener>> listeners;
  std::vector<uint16_t> ports;
  std::vector<std::thread> io_threads;

  std::mutex mu;  // serialises Start and Stop
  bool started = false;
  bool stopped = false;
};

void Server::Impl::JoinWorkers() {
  workers->join();
  if (storage_workers != nullptr) {
    storage_workers->join();
  }
}

Status Server::Impl::BindAll() {
  for (const config::ListenerConfig& config : configs) {
    if (config.type != "tcp") {
      return Status::InvalidArgument("listener " + config.address + ": unsupported type \"" +
                                     config.type + "\"");
    }
    auto listener_settings = std::make_unique<ConnectionSettings>();
    listener_settings->handler = &handler;
    listener_settings->workers = workers.get();
    listener_settings->storage_workers = storage_workers.get();
    listener_settings->body_limit =
        config.max_request_size == 0 ? kDefaultMaxRequestSize : config.max_request_size;
    listener_settings->idle_timeout = options.idle_timeout;
    listener_settings->tls_handshake_timeout = options.tls_handshake_timeout;
    listener_settings->write_timeout = options.write_timeout;
    listener_settings->counters = &counters;
    if (!config.tls_disable) {
      Result<SslCtxPtr> ctx = MakeServerTlsContext(config);
      if (!ctx.ok()) {
        return ctx.status().Annotate("listener " + config.address);
      }
      tls_contexts.push_back(std::make_unique<net::ssl::context>(ctx.value().release()));
      listener_settings->tls = tls_contexts.back().get();
    }
    COFFER_ASSIGN_OR_RETURN(tcp::endpoint endpoint, ResolveEndpoint(*ioc, config.address));
    auto listener = std::make_shared<Listener>(*ioc, *listener_settings, config.address);
    settings.push_back(std::move(listener_settings));
    COFFER_RETURN_IF_ERROR(listener->Bind(endpoint));
    ports.push_back(listener->port());
    listeners.push_back(std::move(listener));
  }
  return Status::Ok();
}

void Server::Impl::RunIo() {
  while (true) {
    try {
      ioc->run();
      return;
    } catch (const std::exception& e) {
      // A throwing completion handler must not take the whole server down.
      spdlog::error("http IO thread: unexpected exception: {}", e.what());
    }
  }
}

Server::Server(std::vector<config::ListenerConfig> listeners, core::RequestHandler& handler,
               ServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(listeners), handler, options)) {}

Server::~Server() { Stop(); }

Status Server::Start() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  Impl& s = *impl_;
  if (s.started || s.stopped) {
    return Status::FailedPrecondition("http server already started");
  }
  if (s.configs.empty()) {
    return Status::InvalidArgument("no listener configured");
  }
  const size_t io_threads = IoThreadCount(s.options.io_threads);
  s.ioc = std::make_unique<net::io_context>(static_cast<int>(io_threads));
  s.workers = std::make_unique<net::thread_pool>(std::max<size_t>(1, s.options.worker_threads));
  if (s.options.storage_worker_threads > 0) {
    s.storage_workers = std::make_unique<net::thread_pool>(s.options.storage_worker_threads);
  }
  Status bound = s.BindAll();
  if (!bound.ok()) {
    for (auto& listener : s.listeners) {
      listener->Close();
    }
    s.listeners.clear();
    s.ports.clear();
    s.JoinWorkers();
    s.stopped = true;
    return bound;
  }
  s.started = true;
  s.work.emplace(s.ioc->get_executor());
  for (size_t i = 0; i < s.listeners.size(); ++i) {
    s.listeners[i]->Accept();
    spdlog::info("listening on {} (port {}, {})", s.configs[i].address, s.ports[i],
                 s.configs[i].tls_disable ? "plain HTTP" : "TLS");
  }
  for (size_t i = 0; i < io_threads; ++i) {
    s.io_threads.emplace_back([&s] { s.RunIo(); });
  }
  return Status::Ok();
}

void Server::Stop() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  Impl& s = *impl_;
  if (!s.started || s.stopped) {
    s.stopped = true;
    return;
  }
  s.stopped = true;
  s.work.reset();
  s.ioc->stop();
  for (std::thread& t : s.io_threads) {
    t.join();
  }
  s.io_threads.clear();
  // No IO thread runs now, so the acceptors can be closed from here.
  for (auto& listener : s.listeners) {
    listener->Close();
  }
  s.listeners.clear();
  // Handler calls in flight finish; their replies are queued, never sent.
  s.JoinWorkers();
  // Replies still to be made (audit writers release them once the
  // response's entry is durable, or the devices' timeout refuses them)
  // post to the context, so it must outlive them. If some never end, the
  // context is left alive rather than freed under them.
  const auto deadline = std::chrono::steady_clock::now() + kReplyDrainLimit;
  while (s.counters.replies_outstanding.load(std::memory_order_acquire) != 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      spdlog::error("http server stopped with {} replies still outstanding",
                    s.counters.replies_outstanding.load());
      (void)s.ioc.release();
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // Destroying the context destroys every queued handler and with them the
  // last references to the connections, which closes their sockets.
  s.ioc.reset();
}

uint16_t Server::BoundPort(size_t index) const {
  return index < impl_->ports.size() ? impl_->ports[index] : 0;
}

size_t Server::OpenConnections() const {
  return impl_->counters.open.load(std::memory_order_relaxed);
}

uint64_t Server::AcceptedConnections() const {
  return impl_->counters.accepted.load(std::memory_order_relaxed);
}

}  // namespace coffer::http
