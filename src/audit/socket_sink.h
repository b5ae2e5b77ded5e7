// audit::SocketSink: the "socket" audit device's destination.
//
// Options (Vault's names):
//   address        required: "host:port" ("[::1]:port" for IPv6) for tcp
//                  and udp, a socket path for unix.
//   socket_type    "tcp" (default), "udp" or "unix" (a stream socket).
//   write_timeout  default "2s"; also "500ms", "1m", or bare seconds "2".
//                  Bounds each Write, a reconnect within it included (name
//                  resolution excepted), and Open's connect.
//
// Streams carry the lines as they are; udp sends each line (with its '\n')
// as one datagram. Before each stream Write the socket is checked for a
// peer that closed the connection, which triggers one reconnect, so a
// write to a vanished listener fails instead of landing in the kernel's
// buffer. Any send error or timeout closes the socket and fails the Write;
// the next Write reconnects. Errors are Unavailable with "audit socket
// <address>: <operation>: <reason>"; bad options are InvalidArgument from
// Create. LastLine is nullopt.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "audit/sink.h"
#include "base/status.h"

namespace coffer::audit {

class SocketSink final : public Sink {
 public:
  enum class Type { kTcp, kUdp, kUnix };

  // Create checks `options` (other keys are ignored); it connects nothing.
  static Result<std::unique_ptr<Sink>> Create(const std::map<std::string, std::string>& options);

  // For tcp/udp `host` and `port` are the parts of `address`.
  SocketSink(Type type, std::string address, std::string host, std::string port,
             std::chrono::milliseconds write_timeout);
  ~SocketSink() override;
  SocketSink(const SocketSink&) = delete;
  SocketSink& operator=(const SocketSink&) = delete;

  Status Open() override;
  Status Write(std::string_view lines) override;
  Status Reopen() override;

 private:
  using Deadline = std::chrono::steady_clock::time_point;

  Status Connect(Deadline deadline);
  Status ConnectUnix(Deadline deadline);
  Status ConnectInet(Deadline deadline);
  // PeerClosed is true when a stream's peer has shut the connection.
  bool PeerClosed() const;
  Status SendAll(std::string_view data, Deadline deadline);
  // Fail closes the socket and returns Unavailable naming the operation.
  Status Fail(const std::string& operation, const std::string& reason);
  void Close();

  const Type type_;
  const std::string address_;
  const std::string host_;
  const std::string port_;
  const std::chrono::milliseconds write_timeout_;
  int fd_ = -1;  // owned; -1 when not connected
};

}  // namespace coffer::audit
