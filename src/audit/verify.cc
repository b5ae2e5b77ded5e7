#include "audit/verify.h"

#include <filesystem>
#include <fstream>
#include <optional>
#include <utility>

#include "base/encoding.h"
#include "crypto/hash.h"

namespace coffer::audit {

namespace {

// How far ahead a skipped seq is looked for before calling it removed.
constexpr int kReorderLookahead = 64;

struct Line {
  size_t file = 0;      // index into the file list
  uint64_t number = 0;  // 1-based within its file
  std::string text;     // without the '\n'
};

// LineStream yields the lines of several files in order, as one stream.
// A file's last line need not end in '\n'; the empty string after a final
// '\n' is not a line (std::getline's rule), but an empty line before it is.
class LineStream {
 public:
  explicit LineStream(const std::vector<std::string>& files) : files_(files) {}

  // Next fills `out` and returns true, or returns false after the last
  // line of the last file; IOError when a file cannot be opened or read.
  Result<bool> Next(Line* out) {
    while (true) {
      if (!in_.is_open()) {
        if (file_ >= files_.size()) {
          return false;
        }
        in_.open(files_[file_], std::ios::binary);
        if (!in_) {
          return Status::IOError("cannot open audit log " + files_[file_]);
        }
        number_ = 0;
      }
      if (std::getline(in_, out->text)) {
        out->file = file_;
        out->number = ++number_;
        return true;
      }
      if (in_.bad()) {
        return Status::IOError("error reading audit log " + files_[file_]);
      }
      in_.close();
      in_.clear();
      ++file_;
    }
  }

 private:
  const std::vector<std::string>& files_;
  size_t file_ = 0;
  uint64_t number_ = 0;
  std::ifstream in_;
};

bool StartsChain(const ParsedLine& parsed) {
  return parsed.type == "genesis" && parsed.link.seq == 0;
}

std::string LineName(uint64_t number) { return "line " + std::to_string(number); }

// FindAhead reads up to kReorderLookahead more lines of the current chain
// (stopping at a genesis line) and reports whether one carries `seq`.
Result<bool> FindAhead(LineStream& stream, uint64_t seq) {
  Line line;
  for (int i = 0; i < kReorderLookahead; ++i) {
    COFFER_ASSIGN_OR_RETURN(bool more, stream.Next(&line));
    if (!more) {
      return false;
    }
    auto parsed = ParseLine(line.text);
    if (!parsed) {
      continue;
    }
    if (StartsChain(*parsed)) {
      return false;
    }
    if (parsed->link.seq == seq) {
      return true;
    }
  }
  return false;
}

}  // namespace

Result<VerifyReport> VerifyFiles(const std::vector<std::string>& files,
                                 const VerifyOptions& options) {
  // Every file must be readable before any verdict: a missing rotated file
  // is an error of the invocation, not a verdict on the chain.
  for (const std::string& file : files) {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) {
      return Status::IOError("cannot read audit log " + file + ": is a directory");
    }
    std::ifstream probe(file, std::ios::binary);
    if (!probe) {
      return Status::IOError("cannot open audit log " + file);
    }
  }

  VerifyReport report;
  LineStream stream(files);
  std::optional<Line> prev;  // the line before the current one
  uint64_t prev_seq = 0;
  Line cur;
  const auto fail = [&](const Line& at, std::string problem) {
    report.ok = false;
    report.file = files[at.file];
    report.line = at.number;
    report.problem = std::move(problem);
    return report;
  };

  while (true) {
    COFFER_ASSIGN_OR_RETURN(bool more, stream.Next(&cur));
    if (!more) {
      break;
    }
    const std::string here = LineName(cur.number);
    auto parsed = ParseLine(cur.text);
    if (!parsed) {
      return fail(cur, here + (cur.text.empty() ? " is empty: not" : " is not") +
                           " a chained audit entry (edited or corrupted)");
    }
    const uint64_t seq = parsed->link.seq;
    if (StartsChain(*parsed)) {
      // A new chain (a restart that began a new, empty file; or the first
      // line of the log). Nothing links it to what came before, so a tail
      // cut off before it goes unnoticed unless a checkpoint covered it.
      if (parsed->link.prev != parsed->genesis) {
        return fail(cur, here +
                             " was edited: a genesis line whose prev does not match its "
                             "genesis value");
      }
      if (prev && !options.allow_new_chains) {
        return fail(cur, here +
                             " starts a new chain: nothing links it to the lines before it "
                             "(files out of order, or a server started on an empty file; "
                             "verify each chain separately or pass -allow-new-chain)");
      }
      ++report.chains;
    } else if (prev) {
      const uint64_t expected = prev_seq + 1;
      if (seq == expected) {
        if (parsed->link.prev != HexEncode(crypto::Sha256(prev->text))) {
          const std::string successor =
              prev->file == cur.file ? LineName(cur.number)
                                     : LineName(cur.number) + " of " + files[cur.file];
          return fail(*prev, LineName(prev->number) +
                                 " was edited: its SHA-256 does not match the prev recorded "
                                 "by " +
                                 successor);
        }
      } else {
        const std::string order = here + " is out of order (seq " + std::to_string(seq) +
                                  ", expected " + std::to_string(expected) +
                                  "): lines were reordered";
        if (seq < expected) {
          return fail(cur, order);
        }
        const Line at = cur;
        COFFER_ASSIGN_OR_RETURN(bool found, FindAhead(stream, expected));
        if (found) {
          return fail(at, order);
        }
        const std::string missing =
            seq - 1 == expected ? "entry " + std::to_string(expected) + " is missing"
                                : "entries " + std::to_string(expected) + ".." +
                                      std::to_string(seq - 1) + " are missing";
        return fail(at, here + ": " + missing + ": lines were removed before " + here);
      }
    }
    // else: the first line of the stream and not a genesis line. Logs may
    // start mid-chain after old rotated files were deleted; it is the
    // starting point.
    if (parsed->type == "checkpoint") {
      report.checkpoints.push_back({files[cur.file], cur.number, parsed->link, parsed->hmac});
    }
    ++report.entries;
    prev_seq = seq;
    prev = std::move(cur);
  }
  return report;
}

}  // namespace coffer::audit
