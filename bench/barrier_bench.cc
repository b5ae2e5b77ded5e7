// CPU cost of the encrypting barrier and the primitives under it: one AEAD
// seal/open of a 400-byte value, a keyed HMAC and a SHA-256, a barrier Get
// and Put over the in-memory backend (crypto and bookkeeping only) and over
// lmdb (plus LMDB's read transaction), and a KV v2 shaped write (a
// transaction of two Puts) from several threads sharing group commit.
// The lmdb stores live in a temp dir under $TMPDIR (or /tmp). Run with
// `make bench` (or build/bench/barrier_bench).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "barrier/barrier.h"
#include "crypto/aead.h"
#include "crypto/hash.h"
#include "crypto/hmac_key.h"
#include "crypto/random.h"
#include "storage/backend.h"

namespace coffer {
namespace {

// About a KV v2 version entry (the metadata entry is a little smaller).
constexpr size_t kValueSize = 400;
// A mount-scoped key, so its DEK is wrapped by the mount's KEK.
constexpr std::string_view kKey =
    "logical/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0/versions/bench/read/1";

std::string TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") +
                        "/coffer-barrier-bench-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    return "";
  }
  return buffer.data();
}

// A physical backend with an initialized, unsealed barrier over it.
struct Fixture {
  std::string dir;  // lmdb only
  std::unique_ptr<storage::Backend> physical;
  std::unique_ptr<barrier::Barrier> barrier;

  ~Fixture() {
    barrier.reset();
    physical.reset();
    if (!dir.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  }

  bool Open(bool lmdb) {
    storage::BackendConfig config;
    if (lmdb) {
      dir = TempDir();
      if (dir.empty()) {
        return false;
      }
      config["path"] = dir;
    }
    auto backend = storage::OpenBackend(lmdb ? "lmdb" : "inmem", config);
    if (!backend.ok()) {
      return false;
    }
    physical = std::move(backend).value();
    barrier = std::make_unique<barrier::Barrier>(*physical);
    auto master = crypto::RandomKey();
    if (!master.ok()) {
      return false;
    }
    auto ops = barrier->Initialize(std::move(master).value());
    return ops.ok() && physical->Transaction(*ops).ok();
  }
};

std::unique_ptr<Fixture> g_fixture;

void BM_AeadSeal(benchmark::State& state) {
  auto key = crypto::DataKey::Random();
  const std::string value(kValueSize, 'v');
  for (auto _ : state) {
    auto sealed = crypto::AeadSeal(*key, value, kKey);
    benchmark::DoNotOptimize(sealed);
  }
}
BENCHMARK(BM_AeadSeal);

void BM_AeadOpen(benchmark::State& state) {
  auto key = crypto::DataKey::Random();
  const std::string value(kValueSize, 'v');
  const std::string sealed = *crypto::AeadSeal(*key, value, kKey);
  for (auto _ : state) {
    auto plain = crypto::AeadOpen(*key, sealed, kKey);
    if (!plain.ok()) {
      state.SkipWithError("open failed");
      break;
    }
    benchmark::DoNotOptimize(plain);
  }
}
BENCHMARK(BM_AeadOpen);

void BM_HmacSha256KeyMac(benchmark::State& state) {
  const crypto::HmacSha256Key key(std::string(32, 'k'));
  const std::string token = "hvs.CAESIJ3bSu0tS1QjHh3k2pL9mQeX8bYvW6cT5rN4oP7aZs1d";
  for (auto _ : state) {
    benchmark::DoNotOptimize(key.Mac(token));
  }
}
BENCHMARK(BM_HmacSha256KeyMac)->ThreadRange(1, 4);

void BM_Sha256(benchmark::State& state) {
  const std::string data(64, 'd');
  for (auto _ : state) {
    benchmark::DoNotOptimize(crypto::Sha256(data));
  }
}
BENCHMARK(BM_Sha256);

void BarrierGet(benchmark::State& state, bool lmdb) {
  if (state.thread_index() == 0) {
    g_fixture = std::make_unique<Fixture>();
    if (!g_fixture->Open(lmdb) ||
        !g_fixture->barrier->Put(kKey, std::string(kValueSize, 'v')).ok()) {
      state.SkipWithError("could not set up the barrier");
      g_fixture.reset();
    }
  }
  for (auto _ : state) {
    if (g_fixture == nullptr) {
      state.SkipWithError("no barrier");
      break;
    }
    auto got = g_fixture->barrier->Get(kKey);
    if (!got.ok()) {
      state.SkipWithError("get failed");
      break;
    }
    benchmark::DoNotOptimize(got);
  }
  if (state.thread_index() == 0) {
    g_fixture.reset();
  }
}

void BM_BarrierGetInmem(benchmark::State& state) { BarrierGet(state, false); }
BENCHMARK(BM_BarrierGetInmem)->ThreadRange(1, 4);

void BM_BarrierGetLmdb(benchmark::State& state) { BarrierGet(state, true); }
BENCHMARK(BM_BarrierGetLmdb)->ThreadRange(1, 4);

void BM_BarrierPutInmem(benchmark::State& state) {
  Fixture fixture;
  if (!fixture.Open(false)) {
    state.SkipWithError("could not set up the barrier");
    return;
  }
  const std::string value(kValueSize, 'v');
  for (auto _ : state) {
    if (!fixture.barrier->Put(kKey, value).ok()) {
      state.SkipWithError("put failed");
      break;
    }
  }
}
BENCHMARK(BM_BarrierPutInmem);

// EncryptOps is the CPU a KV v2 write spends in the barrier before the
// physical commit: two entries sealed.
void BM_BarrierEncryptOps2(benchmark::State& state) {
  Fixture fixture;
  if (!fixture.Open(false)) {
    state.SkipWithError("could not set up the barrier");
    return;
  }
  const std::string prefix(kKey.substr(0, kKey.find("/versions/") + 1));
  std::vector<storage::TxnOp> ops;
  ops.push_back(storage::TxnOp::Put(prefix + "metadata/bench/w", std::string(250, 'm')));
  ops.push_back(storage::TxnOp::Put(prefix + "versions/bench/w/1", std::string(kValueSize, 'v')));
  for (auto _ : state) {
    auto sealed = fixture.barrier->EncryptOps(ops);
    if (!sealed.ok()) {
      state.SkipWithError("encrypt failed");
      break;
    }
    benchmark::DoNotOptimize(sealed);
  }
}
BENCHMARK(BM_BarrierEncryptOps2);

// A KV v2 shaped durable write through the barrier: CPU time per item is
// what counts here (real time is bound by fdatasync).
void BM_BarrierTxn2Lmdb(benchmark::State& state) {
  if (state.thread_index() == 0) {
    g_fixture = std::make_unique<Fixture>();
    if (!g_fixture->Open(true)) {
      state.SkipWithError("could not set up the barrier");
      g_fixture.reset();
    }
  }
  const std::string prefix = std::string(kKey.substr(0, kKey.find("/versions/") + 1));
  const std::string value(kValueSize, 'v');
  const std::string meta(250, 'm');
  const std::string name = "t" + std::to_string(state.thread_index()) + "/";
  size_t i = 0;
  for (auto _ : state) {
    if (g_fixture == nullptr) {
      state.SkipWithError("no barrier");
      break;
    }
    const std::string n = std::to_string(i++ % 1000);
    std::vector<storage::TxnOp> ops;
    ops.push_back(storage::TxnOp::Put(prefix + "metadata/" + name + n, meta));
    ops.push_back(storage::TxnOp::Put(prefix + "versions/" + name + n, value));
    if (!g_fixture->barrier->Transaction(ops).ok()) {
      state.SkipWithError("transaction failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    g_fixture.reset();
  }
}
BENCHMARK(BM_BarrierTxn2Lmdb)->Threads(1)->Threads(8)->UseRealTime()->MeasureProcessCPUTime();

}  // namespace
}  // namespace coffer

BENCHMARK_MAIN();
