// LmdbEnv: an open LMDB environment plus its main database handle, and the
// process-wide bookkeeping LMDB requires around opening one.
#pragma once

#include <lmdb.h>
#include <sys/types.h>

#include <memory>

#include "base/status.h"
#include "storage/lmdb_options.h"

namespace coffer::storage {

class LmdbEnv {
 public:
  // Open creates options.path if missing (mode 0700), opens the environment
  // in it for durable commits (files mode 0600) and opens the main database.
  // LMDB forbids opening one environment twice in a process (its file locks
  // are per process, so closing one copy silently drops the other's locks);
  // a second Open of the same directory while the first is alive is
  // FailedPrecondition. Other failures are IOError with LMDB's message.
  static Result<std::unique_ptr<LmdbEnv>> Open(const LmdbOptions& options);

  ~LmdbEnv();
  LmdbEnv(const LmdbEnv&) = delete;
  LmdbEnv& operator=(const LmdbEnv&) = delete;

  MDB_env* env() const { return env_; }
  MDB_dbi dbi() const { return dbi_; }
  // MaxKeySize is the longest key LMDB accepts, in bytes (511 by default).
  size_t MaxKeySize() const { return max_key_size_; }

 private:
  struct DirId {
    dev_t dev;
    ino_t ino;
  };

  LmdbEnv(MDB_env* env, DirId dir) : env_(env), dir_(dir) {}

  MDB_env* const env_;
  const DirId dir_;
  MDB_dbi dbi_ = 0;
  size_t max_key_size_ = 0;
};

// LmdbError formats an LMDB return code for an IOError message.
std::string LmdbError(int rc);

}  // namespace coffer::storage
