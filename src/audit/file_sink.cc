#include "audit/file_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "audit/options.h"
#include "base/scoped_fd.h"

namespace coffer::audit {

namespace {

constexpr mode_t kDefaultMode = 0600;

// ParseMode accepts one to four octal digits, at most 0777.
Result<mode_t> ParseMode(const std::string& text) {
  if (text.empty()) {
    return kDefaultMode;
  }
  if (text.size() > 4) {
    return InvalidOption("mode", text, "octal permissions such as 0600");
  }
  mode_t mode = 0;
  for (char c : text) {
    if (c < '0' || c > '7') {
      return InvalidOption("mode", text, "octal permissions such as 0600");
    }
    mode = static_cast<mode_t>(mode * 8 + static_cast<mode_t>(c - '0'));
  }
  if (mode > 0777) {
    return InvalidOption("mode", text, "octal permissions no higher than 0777");
  }
  return mode;
}

// PreadFull reads exactly `n` bytes at `offset`; false on error or EOF.
bool PreadFull(int fd, char* buf, size_t n, off_t offset) {
  while (n > 0) {
    ssize_t got = ::pread(fd, buf, n, offset);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      return false;
    }
    buf += got;
    n -= static_cast<size_t>(got);
    offset += got;
  }
  return true;
}

enum class Scan { kFound, kStartOfFile, kGaveUp };

// FindNewlineBefore looks backwards from `end` (exclusive) for '\n',
// reading at most `limit` bytes. kFound sets *at to its offset.
Scan FindNewlineBefore(int fd, off_t end, size_t limit, off_t* at) {
  std::string chunk(FileSink::kTailChunk, '\0');
  size_t scanned = 0;
  while (end > 0) {
    if (scanned >= limit) {
      return Scan::kGaveUp;
    }
    const size_t n = std::min(static_cast<size_t>(end), FileSink::kTailChunk);
    const off_t begin = end - static_cast<off_t>(n);
    if (!PreadFull(fd, chunk.data(), n, begin)) {
      return Scan::kGaveUp;
    }
    const void* nl = ::memrchr(chunk.data(), '\n', n);
    if (nl != nullptr) {
      *at = begin + (static_cast<const char*>(nl) - chunk.data());
      return Scan::kFound;
    }
    scanned += n;
    end = begin;
  }
  return Scan::kStartOfFile;
}

}  // namespace

Result<std::unique_ptr<Sink>> FileSink::Create(const std::map<std::string, std::string>& options) {
  const std::string path = OptionString(options, "file_path", "");
  if (path.empty()) {
    return Status::InvalidArgument("audit option \"file_path\" is required");
  }
  COFFER_ASSIGN_OR_RETURN(mode_t mode, ParseMode(OptionString(options, "mode", "")));
  const std::string durability = OptionString(options, "durability", "");
  Durability d = Durability::kSync;
  if (durability == "write") {
    d = Durability::kWrite;
  } else if (!durability.empty() && durability != "sync") {
    return InvalidOption("durability", durability, "\"sync\" or \"write\"");
  }
  return std::unique_ptr<Sink>(std::make_unique<FileSink>(path, mode, d));
}

FileSink::FileSink(std::string path, mode_t mode, Durability durability)
    : path_(std::move(path)),
      mode_(mode),
      durability_(durability),
      kind_(path_ == "stdout"    ? Kind::kStdout
            : path_ == "discard" ? Kind::kDiscard
                                 : Kind::kFile) {}

FileSink::~FileSink() { Close(); }

Status FileSink::Error(const char* operation, int err) const {
  return Status::IOError("audit file " + path_ + ": " + operation + ": " + std::strerror(err));
}

void FileSink::Close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

Status FileSink::Open() {
  if (kind_ != Kind::kFile) {
    return Status::Ok();
  }
  Close();
  const mode_t create_mode = mode_ == 0 ? kDefaultMode : mode_;
  // Read as well as write: Open checks the tail for a torn line.
  int fd = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, create_mode);
  if (fd < 0) {
    return Error("open", errno);
  }
  // open() applies the umask; chmod makes the mode exactly what was asked,
  // also for a file that already existed.
  if (mode_ != 0 && ::fchmod(fd, mode_) != 0) {
    const int err = errno;
    ::close(fd);
    return Error("chmod", err);
  }
  fd_ = fd;
  return DropTornTail();
}

Status FileSink::DropTornTail() {
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
    return Status::Ok();
  }
  char last = '\n';
  if (!PreadFull(fd_, &last, 1, st.st_size - 1) || last == '\n') {
    return Status::Ok();
  }
  // A crash mid-write left part of a batch whose sync never completed, so
  // no request it recorded went ahead: cut it off, or the next line would
  // be glued to it and the chain would break there.
  off_t newline = 0;
  off_t keep = 0;
  switch (FindNewlineBefore(fd_, st.st_size, kMaxLastLine, &newline)) {
    case Scan::kFound:
      keep = newline + 1;
      break;
    case Scan::kStartOfFile:
      keep = 0;
      break;
    case Scan::kGaveUp:
      return Status::Ok();  // not ours to judge: a very long foreign line
  }
  if (::ftruncate(fd_, keep) != 0) {
    return Error("ftruncate", errno);
  }
  return Status::Ok();
}

Status FileSink::Reopen() {
  Close();
  return Open();
}

Status FileSink::Write(std::string_view lines) {
  if (kind_ == Kind::kDiscard) {
    return Status::Ok();
  }
  if (kind_ == Kind::kFile && fd_ < 0) {
    COFFER_RETURN_IF_ERROR(Open());
  }
  const int fd = kind_ == Kind::kStdout ? STDOUT_FILENO : fd_;
  // Where this write starts, to cut a partial write back off.
  const off_t start = kind_ == Kind::kFile ? ::lseek(fd, 0, SEEK_END) : -1;
  auto fail = [&](const char* operation, int err) {
    if (start >= 0) {
      (void)::ftruncate(fd, start);  // best effort
    }
    return Error(operation, err);
  };
  size_t done = 0;
  while (done < lines.size()) {
    ssize_t n = ::write(fd, lines.data() + done, lines.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail("write", errno);
    }
    if (n == 0) {
      return fail("write", EIO);
    }
    done += static_cast<size_t>(n);
  }
  // stdout may be a pipe or terminal, which cannot be synced.
  if (kind_ == Kind::kFile && durability_ == Durability::kSync) {
    while (::fdatasync(fd) != 0) {
      if (errno != EINTR) {
        return fail("fdatasync", errno);
      }
    }
  }
  return Status::Ok();
}

std::optional<std::string> FileSink::LastLine() {
  if (kind_ != Kind::kFile) {
    return std::nullopt;
  }
  ScopedFd fd(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    return std::nullopt;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
    return std::nullopt;
  }
  // The end of the last complete line (its '\n'), skipping a partial one.
  off_t end = 0;
  if (FindNewlineBefore(fd.get(), st.st_size, kMaxLastLine, &end) != Scan::kFound) {
    return std::nullopt;
  }
  off_t begin = 0;
  off_t previous = 0;
  switch (FindNewlineBefore(fd.get(), end, kMaxLastLine, &previous)) {
    case Scan::kFound:
      begin = previous + 1;
      break;
    case Scan::kStartOfFile:
      begin = 0;
      break;
    case Scan::kGaveUp:
      return std::nullopt;
  }
  std::string line(static_cast<size_t>(end - begin), '\0');
  if (!PreadFull(fd.get(), line.data(), line.size(), begin)) {
    return std::nullopt;
  }
  return line;
}

}  // namespace coffer::audit
