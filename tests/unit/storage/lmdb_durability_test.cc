// Crash durability of the lmdb backend: a Put that returned OK must survive
// kill -9 of the process that made it, and the store must reopen cleanly.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "status_testing.h"
#include "storage/backend.h"
#include "temp_dir.h"

namespace coffer::storage::testing {
namespace {

std::string KeyFor(size_t i) { return "crash/" + std::to_string(i); }

// Values vary in size so pages split and some spill to overflow pages.
std::string ValueFor(size_t i) {
  size_t size = i % 16 == 0 ? size_t{20000} + i : i % 700 + 1;
  std::string value(size, static_cast<char>('a' + i % 26));
  value += "#" + std::to_string(i);
  return value;
}

// RunWriter is the child: it puts keys from `first` on, writing one byte to
// `ack_fd` after each Put returns OK, until it is killed. It never returns.
[[noreturn]] void RunWriter(const std::string& path, size_t first, int ack_fd) {
  auto backend = OpenBackend("lmdb", {{"path", path}});
  if (!backend.ok()) {
    _exit(2);
  }
  for (size_t i = first;; ++i) {
    if (!(*backend)->Put(KeyFor(i), ValueFor(i)).ok()) {
      _exit(3);
    }
    const char ack = 'a';
    if (write(ack_fd, &ack, 1) != 1) {
      _exit(4);
    }
  }
}

// KillWriterAfter forks a writer starting at `first`, SIGKILLs it once it
// has acknowledged at least `min_acks` puts, and returns how many it
// acknowledged in all (acks may still be in the pipe when it dies).
size_t KillWriterAfter(const std::string& path, size_t first, size_t min_acks) {
  int fds[2];
  if (pipe(fds) != 0) {
    ADD_FAILURE() << "pipe failed";
    return 0;
  }
  pid_t pid = fork();
  if (pid < 0) {
    ADD_FAILURE() << "fork failed";
    return 0;
  }
  if (pid == 0) {
    close(fds[0]);
    RunWriter(path, first, fds[1]);
  }
  close(fds[1]);
  size_t acks = 0;
  char buffer[256];
  bool killed = false;
  for (;;) {
    ssize_t n = read(fds[0], buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;  // EOF: the child is gone and the pipe is drained
    }
    acks += static_cast<size_t>(n);
    if (!killed && acks >= min_acks) {
      kill(pid, SIGKILL);
      killed = true;
    }
  }
  close(fds[0]);
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  EXPECT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL)
      << "writer exited on its own with status " << wstatus;
  return acks;
}

TEST(LmdbDurabilityTest, AcknowledgedPutsSurviveKill9) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  size_t acked = 0;  // keys [0, acked) were all acknowledged
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    size_t acks = KillWriterAfter(dir.path(), acked, 150);
    ASSERT_GE(acks, 150u);
    acked += acks;

    auto backend = OpenBackend("lmdb", {{"path", dir.path()}});
    ASSERT_TRUE(IsOk(backend));
    for (size_t i = 0; i < acked; ++i) {
      auto got = (*backend)->Get(KeyFor(i));
      ASSERT_TRUE(IsOk(got)) << "acknowledged key " << i << " of " << acked << " lost";
      ASSERT_EQ(*got, ValueFor(i)) << "key " << i;
    }
    // The store still takes writes after the crash.
    ASSERT_TRUE(IsOk((*backend)->Put("crash/after-round", std::to_string(round))));
  }
}

}  // namespace
}  // namespace coffer::storage::testing
