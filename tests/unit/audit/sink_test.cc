#include "audit/sink.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "audit/file_sink.h"

namespace coffer::audit {
namespace {

using Options = std::map<std::string, std::string>;
using Clock = std::chrono::steady_clock;

// TempDir is a fresh directory under /tmp, removed with its contents.
class TempDir {
 public:
  TempDir() {
    char templ[] = "/tmp/coffer-sink-test-XXXXXX";
    const char* made = ::mkdtemp(templ);
    EXPECT_NE(made, nullptr);
    path_ = made == nullptr ? "" : made;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string Path(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteRaw(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

std::unique_ptr<Sink> MustCreate(const std::string& type, const Options& options) {
  Result<std::unique_ptr<Sink>> sink = CreateSink(type, options);
  EXPECT_TRUE(sink.ok()) << sink.status().ToString();
  return sink.ok() ? std::move(sink).value() : nullptr;
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0);
  return st.st_mode & 07777;
}

// ---- file ----

TEST(FileSinkTest, WritesLinesAndAppends) {
  for (const char* durability : {"sync", "write"}) {
    TempDir dir;
    const std::string path = dir.Path("audit.log");
    auto sink = MustCreate("file", {{"file_path", path}, {"durability", durability}});
    ASSERT_NE(sink, nullptr);
    ASSERT_TRUE(sink->Open().ok());
    ASSERT_TRUE(sink->Write("one\ntwo\n").ok());
    ASSERT_TRUE(sink->Write("three\n").ok());
    EXPECT_EQ(ReadFile(path), "one\ntwo\nthree\n");
  }
}

TEST(FileSinkTest, AppendsToExistingFile) {
  TempDir dir;
  const std::string path = dir.Path("audit.log");
  WriteRaw(path, "old\n");
  auto sink = MustCreate("file", {{"file_path", path}});
  ASSERT_TRUE(sink->Open().ok());
  ASSERT_TRUE(sink->Write("new\n").ok());
  EXPECT_EQ(ReadFile(path), "old\nnew\n");
}

TEST(FileSinkTest, DefaultModeIs0600) {
  TempDir dir;
  const std::string path = dir.Path("audit.log");
  WriteRaw(path, "");
  ::chmod(path.c_str(), 0644);
  auto sink = MustCreate("file", {{"file_path", path}});
  ASSERT_TRUE(sink->Open().ok());
  EXPECT_EQ(ModeOf(path), 0600u);
}

TEST(FileSinkTest, ModeIsAppliedDespiteUmask) {
  TempDir dir;
  const std::string path = dir.Path("audit.log");
  const mode_t old = ::umask(077);
  auto sink = MustCreate("file", {{"file_path", path}, {"mode", "0640"}});
  const Status st = sink->Open();
  ::umask(old);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(ModeOf(path), 0640u);
}

TEST(FileSinkTest, Mode0000LeavesTheModeAlone) {
  TempDir dir;
  const std::string path = dir.Path("audit.log");
  WriteRaw(path, "");
  ::chmod(path.c_str(), 0644);
  auto sink = MustCreate("file", {{"file_path", path}, {"mode", "0000"}});
  ASSERT_TRUE(sink->Open().ok());
  EXPECT_EQ(ModeOf(path), 0644u);
}

TEST(FileSinkTest, ReopenAfterRenameCreatesANewFile) {
  TempDir dir;
  const std::string path = dir.Path("audit.log");
  const std::string rotated = dir.Path("audit.log.1");
  auto sink = MustCreate("file", {{"file_path", path}});
  ASSERT_TRUE(sink->Open().ok());
  ASSERT_TRUE(sink->Write("before\n").ok());
  ASSERT_EQ(::rename(path.c_str(), rotated.c_str()), 0);
  ASSERT_TRUE(sink->Write("still-old\n").ok());  // the open fd follows the rename
  ASSERT_TRUE(sink->Reopen().ok());
  ASSERT_TRUE(sink->Write("after\n").ok());
  EXPECT_EQ(ReadFile(rotated), "before\nstill-old\n");
  EXPECT_EQ(ReadFile(path), "after\n");
  EXPECT_EQ(ModeOf(path), 0600u);
}

TEST(FileSinkTest, WriteOpensTheFileIfNotOpen) {
  TempDir dir;
  const std::string path = dir.Path("audit.log");
  auto sink = MustCreate("file", {{"file_path", path}});
  ASSERT_TRUE(sink->Write("x\n").ok());
  EXPECT_EQ(ReadFile(path), "x\n");
}

TEST(FileSinkTest, LastLineIsTheLastCompleteLine) {
  TempDir dir;
  const std::string path = dir.Path("audit.log");
  auto sink = MustCreate("file", {{"file_path", path}});
  WriteRaw(path, "first\nsecond\n");
  EXPECT_EQ(sink->LastLine(), "second");
  WriteRaw(path, "only\n");
  EXPECT_EQ(sink->LastLine(), "only");
  WriteRaw(path, "a\n\n");
  EXPECT_EQ(sink->LastLine(), "");
}

TEST(FileSinkTest, TrailingPartialLineIsIgnored) {
  TempDir dir;
  const std::string path = dir.Path("audit.log");
  auto sink = MustCreate("file", {{"file_path", path}});
  WriteRaw(path, "first\nsecond\nthir");
  EXPECT_EQ(sink->LastLine(), "second");
  WriteRaw(path, "partial only");
  EXPECT_EQ(sink->LastLine(), std::nullopt);
}

TEST(FileSinkTest, OpenCutsOffATornLastLine) {
  TempDir dir;
  const std::string path = dir.Path("audit.log");
  WriteRaw(path, "first\nsecond\nthir");
  auto sink = MustCreate("file", {{"file_path", path}});
  ASSERT_TRUE(sink->Open().ok());
  ASSERT_TRUE(sink->Write("third\n").ok());
  EXPECT_EQ(ReadFile(path), "first\nsecond\nthird\n");
  WriteRaw(path, "no newline at all");
  ASSERT_TRUE(sink->Reopen().ok());
  EXPECT_EQ(ReadFile(path), "");
  WriteRaw(path, "complete\n");
  ASSERT_TRUE(sink->Reopen().ok());
  EXPECT_EQ(ReadFile(path), "complete\n");
}

TEST(FileSinkTest, LastLineOfEmptyOrMissingFileIsNullopt) {
  TempDir dir;
  const std::string path = dir.Path("audit.log");
  auto sink = MustCreate("file", {{"file_path", path}});
  EXPECT_EQ(sink->LastLine(), std::nullopt);
  WriteRaw(path, "");
  EXPECT_EQ(sink->LastLine(), std::nullopt);
}

TEST(FileSinkTest, LastLineOfFileLongerThanAChunk) {
  TempDir dir;
  const std::string path = dir.Path("audit.log");
  auto sink = MustCreate("file", {{"file_path", path}});
  ASSERT_TRUE(sink->Open().ok());
  std::string many;
  for (int i = 0; i < 20000; ++i) {
    many += "line-" + std::to_string(i) + "\n";
  }
  ASSERT_GT(many.size(), 2 * FileSink::kTailChunk);
  ASSERT_TRUE(sink->Write(many).ok());
  EXPECT_EQ(sink->LastLine(), "line-19999");

  // A last line that spans several chunks, then a partial line longer
  // than a chunk after it.
  const std::string long_line(3 * FileSink::kTailChunk + 17, 'x');
  ASSERT_TRUE(sink->Write(long_line + "\n").ok());
  EXPECT_EQ(sink->LastLine(), long_line);
  ASSERT_TRUE(sink->Write(std::string(FileSink::kTailChunk + 5, 'y')).ok());
  EXPECT_EQ(sink->LastLine(), long_line);
}

TEST(FileSinkTest, DiscardAndStdoutSucceed) {
  auto discard = MustCreate("file", {{"file_path", "discard"}});
  ASSERT_TRUE(discard->Open().ok());
  EXPECT_TRUE(discard->Write("dropped\n").ok());
  EXPECT_TRUE(discard->Reopen().ok());
  EXPECT_EQ(discard->LastLine(), std::nullopt);

  auto out = MustCreate("file", {{"file_path", "stdout"}});
  ASSERT_TRUE(out->Open().ok());
  EXPECT_TRUE(out->Write("{\"audit\":\"to stdout\"}\n").ok());
  EXPECT_TRUE(out->Reopen().ok());
  EXPECT_EQ(out->LastLine(), std::nullopt);
}

TEST(FileSinkTest, OpenFailsNamingThePath) {
  TempDir dir;
  const std::string path = dir.Path("no-such-dir/audit.log");
  auto sink = MustCreate("file", {{"file_path", path}});
  const Status st = sink->Open();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Code::kIOError);
  EXPECT_NE(st.message().find(path), std::string::npos) << st.message();
  EXPECT_NE(st.message().find(std::strerror(ENOENT)), std::string::npos) << st.message();
  EXPECT_FALSE(sink->Write("x\n").ok());
}

TEST(FileSinkTest, WriteToAFullDeviceFails) {
  // mode 0000: no chmod of /dev/full.
  auto sink = MustCreate("file", {{"file_path", "/dev/full"}, {"mode", "0000"}});
  ASSERT_TRUE(sink->Open().ok());
  const Status st = sink->Write("lost\n");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Code::kIOError);
  EXPECT_NE(st.message().find("/dev/full"), std::string::npos) << st.message();
}

// ---- socket helpers ----

// Listener is a bound, listening stream socket (tcp on 127.0.0.1:0, or
// unix at a path).
class Listener {
 public:
  static Listener Tcp() {
    Listener l(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(l.fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    socklen_t len = sizeof(addr);
    EXPECT_EQ(::getsockname(l.fd_, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    EXPECT_EQ(::listen(l.fd_, 8), 0);
    l.address_ = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
    return l;
  }
  static Listener Unix(const std::string& path) {
    Listener l(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path.c_str());
    EXPECT_EQ(::bind(l.fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(::listen(l.fd_, 8), 0);
    l.address_ = path;
    return l;
  }
  Listener(Listener&& other) noexcept
      : fd_(std::exchange(other.fd_, -1)), address_(std::move(other.address_)) {}
  ~Listener() { Close(); }

  // Accept waits up to 5 s for a connection; -1 if none came.
  int Accept() const {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 5000) != 1) {
      return -1;
    }
    return ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
  }
  void Close() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  const std::string& address() const { return address_; }

 private:
  explicit Listener(int fd) : fd_(fd) { EXPECT_GE(fd, 0); }
  int fd_;
  std::string address_;
};

// ReadExactly reads `n` bytes from `fd`, or less on EOF, error or 5 s.
std::string ReadExactly(int fd, size_t n) {
  std::string out;
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  char buf[4096];
  while (out.size() < n && Clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) != 1) {
      continue;
    }
    const ssize_t got = ::recv(fd, buf, std::min(sizeof(buf), n - out.size()), 0);
    if (got <= 0) {
      break;
    }
    out.append(buf, static_cast<size_t>(got));
  }
  return out;
}

// ---- socket ----

TEST(SocketSinkTest, TcpLinesArrive) {
  Listener listener = Listener::Tcp();
  auto sink = MustCreate("socket", {{"address", listener.address()}});
  ASSERT_TRUE(sink->Open().ok());
  const std::string want = "one\ntwo\nthree\n";
  std::string got;
  std::thread reader([&] {
    const int conn = listener.Accept();
    got = ReadExactly(conn, want.size());
    ::close(conn);
  });
  EXPECT_TRUE(sink->Write("one\ntwo\n").ok());
  EXPECT_TRUE(sink->Write("three\n").ok());
  reader.join();
  EXPECT_EQ(got, want);
}

TEST(SocketSinkTest, TcpOpenFailsWithoutAListener) {
  std::string address;
  {
    Listener listener = Listener::Tcp();
    address = listener.address();
  }
  auto sink = MustCreate("socket", {{"address", address}, {"socket_type", "tcp"}});
  const Status st = sink->Open();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Code::kUnavailable);
  EXPECT_NE(st.message().find(address), std::string::npos) << st.message();
  EXPECT_NE(st.message().find(std::strerror(ECONNREFUSED)), std::string::npos) << st.message();
}

TEST(SocketSinkTest, TcpWriteFailsOnceThePeerIsGone) {
  Listener listener = Listener::Tcp();
  auto sink = MustCreate("socket", {{"address", listener.address()}});
  ASSERT_TRUE(sink->Open().ok());
  const int conn = listener.Accept();
  ASSERT_GE(conn, 0);
  ASSERT_TRUE(sink->Write("delivered\n").ok());
  EXPECT_EQ(ReadExactly(conn, 10), "delivered\n");
  ::close(conn);
  listener.Close();

  // The very first write after the close must fail, not land in a buffer.
  const auto start = Clock::now();
  const Status st = sink->Write("lost\n");
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Code::kUnavailable);
  EXPECT_FALSE(sink->Write("lost again\n").ok());
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
}

TEST(SocketSinkTest, PeerThatNeverReadsTimesOut) {
  Listener listener = Listener::Tcp();
  auto sink = MustCreate("socket", {{"address", listener.address()}, {"write_timeout", "200ms"}});
  ASSERT_TRUE(sink->Open().ok());
  const int conn = listener.Accept();  // accepted, never read
  ASSERT_GE(conn, 0);
  const std::string big(64 * 1024 * 1024, 'z');
  const auto start = Clock::now();
  const Status st = sink->Write(big);
  const auto took = Clock::now() - start;
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Code::kUnavailable);
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_GE(took, std::chrono::milliseconds(150));
  ::close(conn);
}

TEST(SocketSinkTest, UdpSendsOneDatagramPerLine) {
  const int server = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(server, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(server, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::getsockname(server, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string address = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));

  auto sink = MustCreate("socket", {{"address", address}, {"socket_type", "udp"}});
  ASSERT_TRUE(sink->Open().ok());
  ASSERT_TRUE(sink->Write("first\nsecond\n").ok());
  for (const char* want : {"first\n", "second\n"}) {
    pollfd p{server, POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 5000), 1);
    char buf[256];
    const ssize_t got = ::recv(server, buf, sizeof(buf), 0);
    ASSERT_GT(got, 0);
    EXPECT_EQ(std::string(buf, static_cast<size_t>(got)), want);
  }
  ::close(server);
}

TEST(SocketSinkTest, UnixStreamWorksAndReconnects) {
  TempDir dir;
  const std::string path = dir.Path("audit.sock");
  auto listener = std::make_unique<Listener>(Listener::Unix(path));
  auto sink = MustCreate("socket", {{"address", path}, {"socket_type", "unix"}});
  ASSERT_TRUE(sink->Open().ok());
  int conn = listener->Accept();
  ASSERT_GE(conn, 0);
  ASSERT_TRUE(sink->Write("hello\n").ok());
  EXPECT_EQ(ReadExactly(conn, 6), "hello\n");

  // The peer goes away: writes fail.
  ::close(conn);
  listener.reset();
  ::unlink(path.c_str());
  EXPECT_FALSE(sink->Write("lost\n").ok());
  EXPECT_FALSE(sink->Write("lost\n").ok());

  // It comes back: the next write reconnects.
  listener = std::make_unique<Listener>(Listener::Unix(path));
  ASSERT_TRUE(sink->Write("again\n").ok());
  conn = listener->Accept();
  ASSERT_GE(conn, 0);
  EXPECT_EQ(ReadExactly(conn, 6), "again\n");
  ::close(conn);
}

TEST(SocketSinkTest, ReopenReconnects) {
  Listener listener = Listener::Tcp();
  auto sink = MustCreate("socket", {{"address", listener.address()}});
  ASSERT_TRUE(sink->Open().ok());
  ASSERT_TRUE(sink->Reopen().ok());
  const int first = listener.Accept();
  const int second = listener.Accept();
  ASSERT_GE(first, 0);
  ASSERT_GE(second, 0);
  ASSERT_TRUE(sink->Write("x\n").ok());
  EXPECT_EQ(ReadExactly(second, 2), "x\n");
  ::close(first);
  ::close(second);
}

// ---- syslog ----

TEST(SyslogSinkTest, OpensAndWrites) {
  auto sink = MustCreate("syslog", {{"facility", "local7"}, {"tag", "coffer-sink-test"}});
  ASSERT_TRUE(sink->Open().ok());
  EXPECT_TRUE(sink->Write("{\"type\":\"request\"}\n{\"type\":\"response\"}\n").ok());
  EXPECT_TRUE(sink->Reopen().ok());
  EXPECT_EQ(sink->LastLine(), std::nullopt);
  auto defaults = MustCreate("syslog", {});
  ASSERT_TRUE(defaults->Open().ok());
  EXPECT_TRUE(defaults->Write("x\n").ok());
}

// ---- options ----

struct BadCase {
  const char* type;
  Options options;
  const char* names;  // what the message must mention
};

TEST(CreateSinkTest, RejectsBadOptions) {
  const BadCase cases[] = {
      {"tape", {}, "\"tape\""},
      {"file", {}, "file_path"},
      {"file", {{"file_path", ""}}, "file_path"},
      {"file", {{"file_path", "/tmp/x"}, {"mode", "0999"}}, "mode"},
      {"file", {{"file_path", "/tmp/x"}, {"mode", "rw"}}, "mode"},
      {"file", {{"file_path", "/tmp/x"}, {"mode", "7777"}}, "mode"},
      {"file", {{"file_path", "/tmp/x"}, {"durability", "fsync"}}, "durability"},
      {"socket", {}, "address"},
      {"socket", {{"address", "127.0.0.1:1"}, {"socket_type", "sctp"}}, "socket_type"},
      {"socket", {{"address", "127.0.0.1"}}, "address"},
      {"socket", {{"address", "127.0.0.1:http"}}, "address"},
      {"socket", {{"address", "127.0.0.1:70000"}}, "address"},
      {"socket", {{"address", "::1:80"}}, "address"},
      {"socket", {{"address", "127.0.0.1:1"}, {"write_timeout", "soon"}}, "write_timeout"},
      {"socket", {{"address", "127.0.0.1:1"}, {"write_timeout", "0s"}}, "write_timeout"},
      {"socket", {{"address", "127.0.0.1:1"}, {"write_timeout", "5h"}}, "write_timeout"},
      {"socket", {{"address", std::string(200, 'p')}, {"socket_type", "unix"}}, "address"},
      {"syslog", {{"facility", "LOCAL9"}}, "facility"},
  };
  for (const BadCase& c : cases) {
    Result<std::unique_ptr<Sink>> sink = CreateSink(c.type, c.options);
    ASSERT_FALSE(sink.ok()) << c.type << " " << c.names;
    EXPECT_EQ(sink.status().code(), Code::kInvalidArgument) << sink.status().ToString();
    EXPECT_NE(sink.status().message().find(c.names), std::string::npos)
        << sink.status().message();
  }
  EXPECT_EQ(CreateSink("tape", {}).status().message(), "unknown audit device type \"tape\"");
}

TEST(CreateSinkTest, AcceptsGoodOptionsWithoutOpening) {
  TempDir dir;
  const std::string path = dir.Path("never-created.log");
  EXPECT_NE(MustCreate("file", {{"file_path", path}, {"mode", "640"}, {"durability", "write"},
                                {"format", "json"}}),
            nullptr);
  EXPECT_FALSE(std::filesystem::exists(path));
  for (const char* timeout : {"2s", "500ms", "2", "1m"}) {
    EXPECT_NE(MustCreate("socket", {{"address", "127.0.0.1:9"}, {"write_timeout", timeout}}),
              nullptr);
  }
  EXPECT_NE(MustCreate("socket", {{"address", "[::1]:9"}, {"socket_type", "udp"}}), nullptr);
  EXPECT_NE(MustCreate("socket", {{"address", "localhost:9"}}), nullptr);
  EXPECT_NE(MustCreate("syslog", {{"facility", "AuthPriv"}}), nullptr);
}

}  // namespace
}  // namespace coffer::audit
