#include "storage/lmdb_env.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>

namespace coffer::storage {
namespace {

// Each concurrent read transaction holds a reader slot (with MDB_NOTLS a
// slot belongs to the transaction, not the thread). LMDB's default of 126 is
// too few for a server with a busy thread pool; a slot costs 64 bytes.
constexpr unsigned kMaxReaders = 1024;

// The directories this process has open, so a second Open of the same one
// fails instead of corrupting LMDB's locking (see LmdbEnv::Open).
struct OpenDirs {
  std::mutex mu;
  std::set<std::pair<dev_t, ino_t>> dirs;  // guarded by mu
};

OpenDirs& GetOpenDirs() {
  static OpenDirs* open_dirs = new OpenDirs();  // never destroyed
  return *open_dirs;
}

Status EnsureDirectory(const std::string& path, struct stat* st) {
  if (stat(path.c_str(), st) == 0) {
    if (!S_ISDIR(st->st_mode)) {
      return Status::InvalidArgument("parameter \"path\": \"" + path + "\" is not a directory");
    }
    return Status::Ok();
  }
  if (errno != ENOENT) {
    return Status::IOError("lmdb: stat " + path + ": " + std::strerror(errno));
  }
  // Parents get the usual permissions; the store's own directory is private.
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Status::IOError("lmdb: create " + parent.string() + ": " + ec.message());
    }
  }
  if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return Status::IOError("lmdb: mkdir " + path + ": " + std::strerror(errno));
  }
  if (stat(path.c_str(), st) != 0) {
    return Status::IOError("lmdb: stat " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

size_t RoundUpToPage(size_t size) {
  const size_t page = 4096;  // a multiple of every page size LMDB uses on Linux
  return (size + page - 1) / page * page;
}

}  // namespace

std::string LmdbError(int rc) { return std::string(mdb_strerror(rc)); }

Result<std::unique_ptr<LmdbEnv>> LmdbEnv::Open(const LmdbOptions& options) {
  struct stat st {};
  COFFER_RETURN_IF_ERROR(EnsureDirectory(options.path, &st));
  DirId dir{st.st_dev, st.st_ino};
  {
    OpenDirs& open_dirs = GetOpenDirs();
    std::lock_guard<std::mutex> lock(open_dirs.mu);
    if (!open_dirs.dirs.emplace(dir.dev, dir.ino).second) {
      return Status::FailedPrecondition("lmdb: " + options.path +
                                        " is already open in this process");
    }
  }
  MDB_env* raw = nullptr;
  int rc = mdb_env_create(&raw);
  if (rc != 0) {
    std::lock_guard<std::mutex> lock(GetOpenDirs().mu);
    GetOpenDirs().dirs.erase({dir.dev, dir.ino});
    return Status::IOError("lmdb: create environment: " + LmdbError(rc));
  }
  // From here the destructor closes the env and releases the directory.
  std::unique_ptr<LmdbEnv> env(new LmdbEnv(raw, dir));

  rc = mdb_env_set_mapsize(raw, RoundUpToPage(options.map_size));
  if (rc == 0) {
    rc = mdb_env_set_maxreaders(raw, kMaxReaders);
  }
  if (rc != 0) {
    return Status::IOError("lmdb: configure environment: " + LmdbError(rc));
  }
  // Durability: no MDB_NOSYNC / MDB_NOMETASYNC / MDB_WRITEMAP, so every
  // commit is fdatasync'ed before it returns. MDB_NOTLS lets a read
  // transaction be used from whichever thread runs it.
  rc = mdb_env_open(raw, options.path.c_str(), MDB_NOTLS, 0600);
  if (rc != 0) {
    return Status::IOError("lmdb: open " + options.path + ": " + LmdbError(rc));
  }
  // Free reader slots left behind by a process that was killed.
  int dead = 0;
  mdb_reader_check(raw, &dead);

  MDB_txn* txn = nullptr;
  rc = mdb_txn_begin(raw, nullptr, MDB_RDONLY, &txn);
  if (rc == 0) {
    rc = mdb_dbi_open(txn, nullptr, 0, &env->dbi_);
    if (rc == 0) {
      // Committing (not aborting) keeps the handle open for later transactions.
      rc = mdb_txn_commit(txn);
    } else {
      mdb_txn_abort(txn);
    }
  }
  if (rc != 0) {
    return Status::IOError("lmdb: open main database: " + LmdbError(rc));
  }
  env->max_key_size_ = static_cast<size_t>(mdb_env_get_maxkeysize(raw));
  return env;
}

LmdbEnv::~LmdbEnv() {
  mdb_env_close(env_);
  OpenDirs& open_dirs = GetOpenDirs();
  std::lock_guard<std::mutex> lock(open_dirs.mu);
  open_dirs.dirs.erase({dir_.dev, dir_.ino});
}

}  // namespace coffer::storage
