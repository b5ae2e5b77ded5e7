// Internal to src/http: one HTTP connection (plain or TLS) on Asio. Only the
// .cc files of this folder include this header, which is why it may use
// Boost.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdint>

#include "core/request.h"

namespace coffer::http {

struct ConnectionCounters {
  std::atomic<uint64_t> accepted{0};
  std::atomic<size_t> open{0};
  // Replies made but not yet gone: from when a request is dispatched until
  // the last copy of its reply callback is destroyed. A reply may be made
  // after the worker pool is done (an audit writer releases it once the
  // response's entry is durable) and posts to the IO context, so the
  // server keeps the context until this is zero.
  std::atomic<size_t> replies_outstanding{0};
};

// ConnectionSettings are shared by all connections of one listener. The
// server keeps them (and everything they point to) alive until every
// connection is gone.
struct ConnectionSettings {
  core::RequestHandler* handler = nullptr;
  boost::asio::thread_pool* workers = nullptr;
  // For requests that wait only for storage (null: `workers`).
  boost::asio::thread_pool* storage_workers = nullptr;
  boost::asio::ssl::context* tls = nullptr;  // null: plain HTTP
  uint64_t body_limit = 0;
  std::chrono::seconds idle_timeout{300};
  std::chrono::seconds tls_handshake_timeout{10};
  std::chrono::seconds write_timeout{60};
  ConnectionCounters* counters = nullptr;
};

// Every step of a connection runs on a strand of its own. The executor type
// is concrete (not any_io_executor) so that each asynchronous operation does
// not pay for type erasure.
using ConnectionExecutor = boost::asio::strand<boost::asio::io_context::executor_type>;
using ConnectionSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, ConnectionExecutor>;

// StartConnection serves HTTP/1.x on `socket` until the peer closes, an
// error, or a timeout.
void StartConnection(ConnectionSocket socket, const ConnectionSettings& settings);

}  // namespace coffer::http
