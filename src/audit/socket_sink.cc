#include "audit/socket_sink.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

#include "audit/options.h"
#include "base/scoped_fd.h"

namespace coffer::audit {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kDefaultWriteTimeout{2000};

// SplitHostPort splits "host:port" or "[v6]:port"; the port must be numeric.
bool SplitHostPort(const std::string& address, std::string* host, std::string* port) {
  size_t colon = 0;
  if (!address.empty() && address.front() == '[') {
    const size_t close = address.find(']');
    if (close == std::string::npos || close + 1 >= address.size() || address[close + 1] != ':') {
      return false;
    }
    *host = address.substr(1, close - 1);
    colon = close + 1;
  } else {
    colon = address.rfind(':');
    if (colon == std::string::npos) {
      return false;
    }
    *host = address.substr(0, colon);
    if (host->find(':') != std::string::npos) {
      return false;  // an IPv6 address needs brackets
    }
  }
  *port = address.substr(colon + 1);
  unsigned value = 0;
  const char* end = port->data() + port->size();
  auto [rest, ec] = std::from_chars(port->data(), end, value);
  return ec == std::errc() && rest == end && !port->empty() && value >= 1 && value <= 65535;
}

int RemainingMillis(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) {
    return 0;
  }
  return left.count() > 1'000'000'000 ? 1'000'000'000 : static_cast<int>(left.count());
}

// WaitFor polls `fd` for `events` until `deadline`; 0 when ready, else an
// errno value (ETIMEDOUT when the deadline passed).
int WaitFor(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int r = ::poll(&p, 1, RemainingMillis(deadline));
    if (r > 0) {
      return 0;
    }
    if (r == 0) {
      return ETIMEDOUT;
    }
    if (errno != EINTR) {
      return errno;
    }
  }
}

// ConnectWithin connects the non-blocking socket `fd`; 0 or an errno value.
int ConnectWithin(int fd, const sockaddr* addr, socklen_t len, Clock::time_point deadline) {
  if (::connect(fd, addr, len) == 0) {
    return 0;
  }
  if (errno != EINPROGRESS && errno != EINTR) {
    return errno;
  }
  if (int err = WaitFor(fd, POLLOUT, deadline); err != 0) {
    return err;
  }
  int so_error = 0;
  socklen_t so_len = sizeof(so_error);
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &so_len) != 0) {
    return errno;
  }
  return so_error;
}

}  // namespace

Result<std::unique_ptr<Sink>> SocketSink::Create(
    const std::map<std::string, std::string>& options) {
  const std::string address = OptionString(options, "address", "");
  if (address.empty()) {
    return Status::InvalidArgument("audit option \"address\" is required");
  }
  const std::string socket_type = OptionString(options, "socket_type", "");
  Type type = Type::kTcp;
  if (socket_type == "udp") {
    type = Type::kUdp;
  } else if (socket_type == "unix") {
    type = Type::kUnix;
  } else if (!socket_type.empty() && socket_type != "tcp") {
    return InvalidOption("socket_type", socket_type, "\"tcp\", \"udp\" or \"unix\"");
  }
  COFFER_ASSIGN_OR_RETURN(std::chrono::milliseconds timeout,
                          OptionDuration(options, "write_timeout", kDefaultWriteTimeout));
  std::string host;
  std::string port;
  if (type == Type::kUnix) {
    if (address.size() >= sizeof(sockaddr_un{}.sun_path)) {
      return InvalidOption("address", address, "a unix socket path shorter than 108 bytes");
    }
  } else if (!SplitHostPort(address, &host, &port)) {
    return InvalidOption("address", address, "host:port");
  }
  return std::unique_ptr<Sink>(std::make_unique<SocketSink>(type, address, std::move(host),
                                                            std::move(port), timeout));
}

SocketSink::SocketSink(Type type, std::string address, std::string host, std::string port,
                       std::chrono::milliseconds write_timeout)
    : type_(type),
      address_(std::move(address)),
      host_(std::move(host)),
      port_(std::move(port)),
      write_timeout_(write_timeout) {}

SocketSink::~SocketSink() { Close(); }

void SocketSink::Close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

Status SocketSink::Fail(const std::string& operation, const std::string& reason) {
  Close();
  return Status::Unavailable("audit socket " + address_ + ": " + operation + ": " + reason);
}

Status SocketSink::Open() {
  Close();
  return Connect(Clock::now() + write_timeout_);
}

Status SocketSink::Reopen() { return Open(); }

Status SocketSink::Connect(Deadline deadline) {
  COFFER_RETURN_IF_ERROR(type_ == Type::kUnix ? ConnectUnix(deadline) : ConnectInet(deadline));
  // Back to blocking, with a send timeout as a second guard: SendAll also
  // polls against the Write's deadline.
  const int flags = ::fcntl(fd_, F_GETFL);
  if (flags < 0 || ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK) != 0) {
    return Fail("fcntl", std::strerror(errno));
  }
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(write_timeout_).count();
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(us / 1'000'000);
  tv.tv_usec = static_cast<suseconds_t>(us % 1'000'000);
  if (::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0) {
    return Fail("setsockopt", std::strerror(errno));
  }
  return Status::Ok();
}

Status SocketSink::ConnectUnix(Deadline deadline) {
  ScopedFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (fd.get() < 0) {
    return Fail("socket", std::strerror(errno));
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, address_.data(), address_.size());  // length checked in Create
  // A unix listener with a full backlog answers EAGAIN rather than waiting.
  const int err =
      ConnectWithin(fd.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr), deadline);
  if (err != 0) {
    return Fail("connect", std::strerror(err));
  }
  fd_ = fd.release();
  return Status::Ok();
}

Status SocketSink::ConnectInet(Deadline deadline) {
  const int socktype = type_ == Type::kUdp ? SOCK_DGRAM : SOCK_STREAM;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = socktype;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const int gai =
      ::getaddrinfo(host_.empty() ? nullptr : host_.c_str(), port_.c_str(), &hints, &found);
  if (gai != 0) {
    return Fail("resolve", gai == EAI_SYSTEM ? std::strerror(errno) : ::gai_strerror(gai));
  }
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> list(found, ::freeaddrinfo);
  int err = EADDRNOTAVAIL;
  for (const addrinfo* ai = list.get(); ai != nullptr; ai = ai->ai_next) {
    ScopedFd fd(::socket(ai->ai_family, socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol));
    if (fd.get() < 0) {
      err = errno;
      continue;
    }
    err = ConnectWithin(fd.get(), ai->ai_addr, ai->ai_addrlen, deadline);
    if (err == 0) {
      fd_ = fd.release();
      return Status::Ok();
    }
  }
  return Fail("connect", std::strerror(err));
}

bool SocketSink::PeerClosed() const {
  pollfd p{fd_, POLLIN | POLLRDHUP, 0};
  if (::poll(&p, 1, 0) <= 0) {
    return false;
  }
  if ((p.revents & (POLLHUP | POLLERR)) != 0) {
    return true;
  }
  char byte = 0;
  const ssize_t n = ::recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) {
    return true;  // orderly shutdown by the peer
  }
  return n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
}

Status SocketSink::SendAll(std::string_view data, Deadline deadline) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n =
        ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) {
      if (type_ == Type::kUdp && static_cast<size_t>(n) != data.size()) {
        return Fail("send", "datagram truncated");
      }
      done += static_cast<size_t>(n);
      continue;
    }
    if (errno == EINTR) {
      continue;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      return Fail("send", std::strerror(errno));
    }
    if (const int err = WaitFor(fd_, POLLOUT, deadline); err != 0) {
      return Fail("send", err == ETIMEDOUT ? "write_timeout exceeded" : std::strerror(err));
    }
  }
  return Status::Ok();
}

Status SocketSink::Write(std::string_view lines) {
  const Deadline deadline = Clock::now() + write_timeout_;
  if (fd_ >= 0 && type_ != Type::kUdp && PeerClosed()) {
    Close();
  }
  if (fd_ < 0) {
    COFFER_RETURN_IF_ERROR(Connect(deadline));
  }
  if (type_ != Type::kUdp) {
    return SendAll(lines, deadline);
  }
  while (!lines.empty()) {
    const size_t nl = lines.find('\n');
    const size_t len = nl == std::string_view::npos ? lines.size() : nl + 1;
    COFFER_RETURN_IF_ERROR(SendAll(lines.substr(0, len), deadline));
    lines.remove_prefix(len);
  }
  return Status::Ok();
}

}  // namespace coffer::audit
