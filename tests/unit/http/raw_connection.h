// A blocking TCP client over plain POSIX sockets, for tests that must send
// bytes no well-behaved HTTP client would (malformed requests, HTTP/1.0,
// Expect: 100-continue) or hold many idle connections.
#pragma once

#include <cstdint>
#include <string>

namespace coffer::http::testing {

class RawConnection {
 public:
  // Connects to 127.0.0.1:port; check connected().
  explicit RawConnection(uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }
  bool Send(const std::string& bytes);
  // ReadUntil reads until `marker` has been seen, EOF, an error or a 5 s
  // timeout; returns everything read.
  std::string ReadUntil(const std::string& marker);
  // ReadToEnd reads until EOF (or a 5 s timeout); `eof` tells which.
  std::string ReadToEnd(bool* eof);

 private:
  int fd_ = -1;
};

}  // namespace coffer::http::testing
