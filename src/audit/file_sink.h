// audit::FileSink: the "file" audit device's destination.
//
// Options (Vault's names plus coffer's durability):
//   file_path   required. A path, or "stdout" (lines go to standard output,
//               never synced), or "discard" (every Write succeeds and the
//               lines are dropped).
//   mode        octal permission bits for the file, default "0600"; the file
//               is chmod'ed to it on every open. "0000" leaves the mode
//               alone (a new file is created 0600, less the umask).
//   durability  "sync" (default): Write returns after write() of every byte
//               and one fdatasync(). "write": write() only; lines survive a
//               process crash but not a power loss.
//
// Errors: InvalidArgument naming the option from Create; IOError with
// "audit file <path>: <operation>: <strerror>" from Open and Write (the
// message is for the server log, the HTTP layer shows clients a generic
// 500). A Write that fails part way truncates the file back to where it
// began, best effort, so no partial line stays in front of later ones.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "audit/sink.h"
#include "base/status.h"

namespace coffer::audit {

class FileSink final : public Sink {
 public:
  enum class Durability { kSync, kWrite };

  // LastLine reads the file backwards in chunks of this many bytes...
  static constexpr size_t kTailChunk = 64 * 1024;
  // ...and gives up (nullopt) on a last line longer than this.
  static constexpr size_t kMaxLastLine = 16 * 1024 * 1024;

  // Create checks `options` (see above; other keys are ignored) without
  // touching the file system.
  static Result<std::unique_ptr<Sink>> Create(const std::map<std::string, std::string>& options);

  FileSink(std::string path, mode_t mode, Durability durability);
  ~FileSink() override;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  // Open opens file_path for appending, creating it if needed (but not its
  // directory), and applies mode. A partial last line (a crash mid-write:
  // its batch was never synced, so no request it records went ahead) is
  // cut off, so the next line starts on a line of its own.
  Status Open() override;
  // Write appends all of `lines`, retrying short writes and EINTR, then
  // syncs per durability. Opens the file first if it is not open.
  Status Write(std::string_view lines) override;
  // Reopen closes the file and opens file_path again (logrotate).
  Status Reopen() override;
  // LastLine is the last '\n'-terminated line of the file at file_path; a
  // trailing partial line is skipped. nullopt for stdout/discard, a
  // missing or unreadable file, or no complete line.
  std::optional<std::string> LastLine() override;

 private:
  enum class Kind { kFile, kStdout, kDiscard };

  Status Error(const char* operation, int err) const;
  void Close();
  Status DropTornTail();

  const std::string path_;
  const mode_t mode_;
  const Durability durability_;
  const Kind kind_;
  int fd_ = -1;  // owned when kind_ == kFile
};

}  // namespace coffer::audit
