// ConnectionPool<Conn>: a small bounded pool of database connections, shared
// by the database plugins.
//
// Guarantees:
//  - At most `max_open` connections exist at once (idle + leased + being
//    opened). Opening happens outside the lock, so a slow connect blocks
//    only the caller that needs the new connection.
//  - Acquire() waits at most `wait_timeout` for a connection to come free,
//    then answers Unavailable; a database that is down therefore fails each
//    request after a bounded time instead of piling up callers.
//  - A connection older than `max_lifetime` (0 = unlimited) is closed
//    instead of reused, as is one released with Discard() (a query failed
//    on it) and every connection opened before the last CloseAll().
//  - Thread-safe. The pool must outlive every Lease it hands out.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "base/status.h"

namespace coffer::engines::database {

template <typename Conn>
class ConnectionPool {
 public:
  using Clock = std::chrono::steady_clock;
  // Factory opens one new connection (bounded by the driver's connect
  // timeout) or returns why it could not.
  using Factory = std::function<Result<std::unique_ptr<Conn>>()>;

  struct Options {
    int max_open = 4;
    std::chrono::seconds max_lifetime{0};  // 0 = no limit
    std::chrono::milliseconds wait_timeout{5000};
    std::function<Clock::time_point()> now = [] { return Clock::now(); };
  };

  // Lease: one connection handed out by Acquire(); returned to the pool when
  // destroyed unless Discard() was called.
  class Lease {
   public:
    Lease(Lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), entry_(std::move(other.entry_)),
          reused_(other.reused_), discard_(other.discard_) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease() {
      if (pool_ != nullptr) {
        pool_->Release(std::move(entry_), discard_);
      }
    }

    Conn& operator*() { return *entry_.conn; }
    Conn* operator->() { return entry_.conn.get(); }
    // reused is true when the connection sat idle in the pool before, so it
    // may have been closed by the server since (a restart, an idle timeout).
    bool reused() const { return reused_; }
    // Discard closes the connection on release instead of pooling it.
    void Discard() { discard_ = true; }

   private:
    friend class ConnectionPool;
    struct Entry {
      std::unique_ptr<Conn> conn;
      Clock::time_point created;
      uint64_t generation = 0;
    };
    Lease(ConnectionPool* pool, Entry entry, bool reused)
        : pool_(pool), entry_(std::move(entry)), reused_(reused) {}

    ConnectionPool* pool_;
    Entry entry_;
    bool reused_;
    bool discard_ = false;
  };

  ConnectionPool(Options options, Factory factory)
      : options_(std::move(options)), factory_(std::move(factory)) {
    if (options_.max_open < 1) {
      options_.max_open = 1;
    }
  }
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Acquire returns an idle connection, opens a new one if fewer than
  // max_open exist, or waits up to wait_timeout for one to be released.
  // Errors: the factory's Status, or Unavailable after the wait.
  Result<Lease> Acquire() {
    std::deque<Entry> stale;  // closed after unlocking
    std::unique_lock lock(mu_);
    auto deadline = Clock::now() + options_.wait_timeout;
    while (true) {
      while (!idle_.empty()) {
        Entry e = std::move(idle_.back());
        idle_.pop_back();
        if (Expired(e)) {
          --open_;
          stale.push_back(std::move(e));
          continue;
        }
        lock.unlock();
        return Lease(this, std::move(e), true);
      }
      if (open_ < options_.max_open) {
        ++open_;
        uint64_t generation = generation_;
        lock.unlock();
        stale.clear();
        Result<std::unique_ptr<Conn>> conn = factory_();
        if (!conn.ok()) {
          lock.lock();
          --open_;
          cv_.notify_one();
          return conn.status();
        }
        return Lease(this, Entry{std::move(conn).value(), options_.now(), generation}, false);
      }
      if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && open_ >= options_.max_open &&
          idle_.empty()) {
        return Status::Unavailable("timed out waiting for a free database connection (" +
                                   std::to_string(options_.max_open) + " in use)");
      }
    }
  }

  // CloseAll closes the idle connections and marks the leased ones to close
  // when released (the credentials they were opened with changed).
  void CloseAll() {
    std::deque<Entry> closing;
    {
      std::lock_guard lock(mu_);
      ++generation_;
      open_ -= static_cast<int>(idle_.size());
      closing.swap(idle_);
      cv_.notify_all();
    }
  }

  // open_count and idle_count are for tests and status output.
  int open_count() const {
    std::lock_guard lock(mu_);
    return open_;
  }
  int idle_count() const {
    std::lock_guard lock(mu_);
    return static_cast<int>(idle_.size());
  }

 private:
  using Entry = typename Lease::Entry;

  bool Expired(const Entry& e) const {
    if (e.generation != generation_) {
      return true;
    }
    return options_.max_lifetime.count() > 0 && options_.now() - e.created >= options_.max_lifetime;
  }

  void Release(Entry entry, bool discard) {
    std::unique_lock lock(mu_);
    if (discard || Expired(entry)) {
      --open_;
      cv_.notify_one();
      lock.unlock();
      entry.conn.reset();  // closing may do I/O: outside the lock
      return;
    }
    idle_.push_back(std::move(entry));
    cv_.notify_one();
  }

  Options options_;
  Factory factory_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Entry> idle_;  // most recently used at the back
  int open_ = 0;            // idle + leased + being opened
  uint64_t generation_ = 0;
};

}  // namespace coffer::engines::database
