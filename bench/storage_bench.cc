// Durable write throughput of the lmdb storage backend: every Put returns
// only once its change is committed and fdatasync'ed, so this measures how
// well concurrent writers share commits (group commit) rather than CPU.
// Each run opens a fresh store in a temp dir under $TMPDIR (or /tmp), which
// must be on a real disk for the figures to mean anything. Run with
// `make bench` (or build/bench/storage_bench).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "storage/backend.h"

namespace coffer {
namespace {

// About the size of a small secret after the barrier's envelope.
constexpr size_t kValueSize = 256;

// Set up by thread 0 before the timed loop and torn down after it; Google
// Benchmark's start and stop barriers order those against the other threads.
std::string g_dir;
std::unique_ptr<storage::Backend> g_backend;

bool OpenStore() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                        "/coffer-storage-bench-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    return false;
  }
  g_dir = buffer.data();
  auto backend = storage::OpenBackend("lmdb", {{"path", g_dir}});
  if (!backend.ok()) {
    return false;
  }
  g_backend = std::move(backend).value();
  return true;
}

void CloseStore() {
  g_backend.reset();
  std::error_code ignored;
  std::filesystem::remove_all(g_dir, ignored);
  g_dir.clear();
}

void BM_LmdbDurablePut(benchmark::State& state) {
  if (state.thread_index() == 0 && !OpenStore()) {
    state.SkipWithError("could not open an lmdb store");
  }
  const std::string value(kValueSize, 'v');
  const std::string prefix = "bench/" + std::to_string(state.thread_index()) + "/";
  size_t i = 0;
  for (auto _ : state) {
    if (g_backend == nullptr) {
      state.SkipWithError("no store");
      break;
    }
    if (!g_backend->Put(prefix + std::to_string(i++), value).ok()) {
      state.SkipWithError("put failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    CloseStore();
  }
}
BENCHMARK(BM_LmdbDurablePut)->Threads(1)->Threads(8)->Threads(64)->UseRealTime();

}  // namespace
}  // namespace coffer

BENCHMARK_MAIN();
