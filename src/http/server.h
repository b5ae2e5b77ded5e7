// http::Server serves Vault's HTTP API (/v1/...) on one or more TCP
// listeners, plain or TLS, and drives a core::RequestHandler.
//
// Threading: a few IO threads run all sockets asynchronously (an idle
// keep-alive connection costs memory, not a thread); every handler call runs
// on a separate worker pool, because handlers may block on disk or network.
// Boost stays out of this header so that its users compile quickly.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "base/status.h"
#include "config/server_config.h"
#include "core/request.h"

namespace coffer::http {

struct ServerOptions {
  // Threads running the IO context. 0: one per CPU the process may run on
  // (its affinity mask, so `taskset` and container cpusets count), at most
  // 2 — more threads than usable cores only contend for the context's
  // lock and wake each other.
  size_t io_threads = 0;
  // Handler calls in flight at once; more wait in a queue. Most of a
  // handler's time is spent waiting (for an audit device's group commit,
  // a storage sync, a database), and a group commit can only batch the
  // requests that are in flight, so this is sized for concurrency, not
  // for cores.
  size_t worker_threads = 128;
  // Handler calls that wait only for storage (RequestHandler::
  // BlocksOnlyOnStorage: KV and AppRole) have a pool of their own, small enough
  // to run saturated under load: a queued request then goes to a thread
  // that is already running instead of waking an idle one (audited KV
  // writes, 2026-11-24: 4.5 -> 2.8 context switches and 9.0 -> 3.8 futex
  // calls per write with 32 threads instead of 128). 0: use the others.
  size_t storage_worker_threads = 32;
  // An idle keep-alive connection is closed after this long (Vault: 5 min).
  // It also bounds the time to receive one request.
  std::chrono::seconds idle_timeout{300};
  std::chrono::seconds tls_handshake_timeout{10};
  std::chrono::seconds write_timeout{60};
};

// IoThreadCount is the number of IO threads a server runs for a configured
// ServerOptions::io_threads (0: from the calling thread's affinity).
size_t IoThreadCount(size_t configured);

class Server {
 public:
  // Server keeps a reference to `handler`, which must outlive it and be
  // thread-safe. Nothing is bound until Start().
  Server(std::vector<config::ListenerConfig> listeners, core::RequestHandler& handler,
         ServerOptions options = {});
  // ~Server calls Stop().
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Start binds every listener and starts the threads. On failure (a bad
  // address, a port in use, an unreadable certificate or key, a bad TLS
  // option) it returns a Status naming the listener and binds nothing.
  // A Server is started at most once.
  Status Start();

  // Stop closes the listeners and every connection, lets handler calls in
  // flight finish, and joins all threads. Idempotent; the Server cannot be
  // started again. Must not be called from a handler (it waits for them).
  void Stop();

  // BoundPort is the port listener `index` (in constructor order) is bound
  // to, which is how tests learn the port when they listen on port 0. Zero
  // before a successful Start() or for an index out of range.
  uint16_t BoundPort(size_t index = 0) const;

  // Connections currently open, and accepted since Start(), over all
  // listeners.
  size_t OpenConnections() const;
  uint64_t AcceptedConnections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace coffer::http
