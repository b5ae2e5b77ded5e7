// What an audit device costs a request: hashing and formatting one entry,
// chaining it, and the durable write with group commit as concurrency
// grows. Run with `make bench` (or build/bench/audit_bench); the
// BM_DurableLog figures are entries per second through Broker::Log to a
// file device in the build directory.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>

#include "audit/broker.h"
#include "audit/chain.h"
#include "audit/hashing.h"
#include "audit/line_format.h"

namespace coffer::audit {
namespace {

using nlohmann::json;

// A KV v2 read's response entry with a ~400-byte secret.
json KvReadEntry() {
  json secret = json::object();
  for (int i = 0; i < 8; ++i) {
    secret["field" + std::to_string(i)] = std::string(40, static_cast<char>('a' + i));
  }
  return {{"time", "2026-11-23T12:00:00.123456789Z"},
          {"type", "response"},
          {"auth",
           {{"client_token", "hvs.CAESIJ3yS2cTokenTokenTokenToken"},
            {"accessor", "Wq1fL8oAccessorAccessor"},
            {"display_name", "approle"},
            {"policies", {"default", "app"}},
            {"token_policies", {"default", "app"}},
            {"metadata", {{"role_name", "app"}}},
            {"token_ttl", 3600}}},
          {"request",
           {{"id", "0f7d9a4e-1111-2222-3333-444455556666"},
            {"operation", "read"},
            {"mount_type", "kv"},
            {"client_token", "hvs.CAESIJ3yS2cTokenTokenTokenToken"},
            {"path", "secret/data/app/db"},
            {"remote_address", "127.0.0.1"}}},
          {"response",
           {{"mount_type", "kv"},
            {"data",
             {{"data", secret},
              {"metadata", {{"version", 3}, {"created_time", "2026-11-23T11:00:00Z"}}}}}}}};
}

void BM_HashEntry(benchmark::State& state) {
  Salt salt(crypto::SecureBuffer::FromBytes("0123456789abcdef0123456789abcdef"));
  const json entry = KvReadEntry();
  for (auto _ : state) {
    json copy = entry;
    HashEntry(copy, salt, true);
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_HashEntry);

void BM_FormatJson(benchmark::State& state) {
  const json entry = KvReadEntry();
  for (auto _ : state) {
    benchmark::DoNotOptimize(FormatEntry(entry, Format::kJson));
  }
}
BENCHMARK(BM_FormatJson);

void BM_ChainLink(benchmark::State& state) {
  Chain chain(Format::kJson, "", crypto::SecureBuffer::FromBytes("checkpoint"));
  (void)chain.Start("file/", 0);
  const std::string body = FormatEntry(KvReadEntry(), Format::kJson);
  for (auto _ : state) {
    benchmark::DoNotOptimize(chain.Link(body));
  }
}
BENCHMARK(BM_ChainLink);

// One broker shared by the benchmark's threads, with one file device.
std::unique_ptr<Broker> g_broker;
std::string g_path;

void BM_DurableLog(benchmark::State& state) {
  const bool sync = state.range(0) == 1;
  if (state.thread_index() == 0) {
    g_path = "audit-bench-" + std::to_string(::getpid()) + ".log";
    std::remove(g_path.c_str());
    DeviceSpec spec;
    spec.path = "file/";
    spec.type = "file";
    spec.options = {{"file_path", g_path}, {"durability", sync ? "sync" : "write"}};
    auto device = Device::Open(spec, crypto::SecureBuffer::FromBytes("salt"),
                               crypto::SecureBuffer::FromBytes("checkpoint"), Clock::Real(), true);
    if (!device.ok()) {
      state.SkipWithError(device.status().ToString().c_str());
      return;
    }
    g_broker = std::make_unique<Broker>();
    (void)g_broker->Enable(std::move(*device));
  }
  const json entry = KvReadEntry();
  for (auto _ : state) {
    if (!g_broker->Log(entry).ok()) {
      state.SkipWithError("audit write failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    g_broker.reset();
    std::remove(g_path.c_str());
  }
}
// Arg 1: fdatasync per batch (the default); arg 0: write(2) only.
BENCHMARK(BM_DurableLog)->Arg(1)->Arg(0)->Threads(1)->Threads(8)->Threads(64)->UseRealTime();

}  // namespace
}  // namespace coffer::audit

BENCHMARK_MAIN();
