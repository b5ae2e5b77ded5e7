// What an audit device costs a request: hashing and formatting one entry,
// building and preparing a request's entries (BM_Prepare*), chaining
// them, and the durable write with group commit as concurrency grows.
// Run with `make bench` (or build/bench/audit_bench); the BM_DurableLog
// figures are entries per second through Broker::Log to a file device in
// the build directory.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>

#include "audit/broker.h"
#include "audit/device.h"
#include "audit/entry_pair.h"
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

// A request's parts as the pipeline has them (see core::AuditRecord).
struct RequestParts {
  std::string id = "0f7d9a4e-1111-2222-3333-444455556666";
  std::string client_token = "hvs.CAESIJ3yS2cTokenTokenTokenToken";
  std::string accessor = "Wq1fL8oAccessorAccessor";
  std::string path = "secret/data/bench/w/17";
  std::string remote_address = "127.0.0.1";
  std::string time = "2026-11-23T12:00:00.123456789Z";
  json data;
};

json KvWriteData() {
  json secret = json::object();
  for (int i = 0; i < 4; ++i) {
    secret["field" + std::to_string(i)] = std::string(40, static_cast<char>('a' + i));
  }
  return {{"data", secret}, {"options", {{"cas", 0}}}};
}

json LoginAuth() {
  return {{"client_token", "hvs.CAESINewTokenNewTokenNewTokenNew"},
          {"accessor", "NewAccessorNewAccessor1"},
          {"policies", {"default", "app"}},
          {"token_policies", {"default", "app"}},
          {"identity_policies", json::array()},
          {"metadata", {{"role_name", "service"}}},
          {"entity_id", ""},
          {"lease_duration", 3600},
          {"renewable", true},
          {"token_type", "service"},
          {"orphan", true},
          {"num_uses", 0}};
}

std::shared_ptr<const json> TokenAuth(const RequestParts& r) {
  return std::make_shared<const json>(json{{"client_token", r.client_token},
                                           {"accessor", r.accessor},
                                           {"display_name", "approle"},
                                           {"policies", {"default", "app"}},
                                           {"token_policies", {"default", "app"}},
                                           {"metadata", {{"role_name", "app"}}},
                                           {"token_ttl", 3600}});
}

std::unique_ptr<Device> DiscardDevice() {
  DeviceSpec spec;
  spec.path = "file/";
  spec.type = "file";
  spec.options = {{"file_path", "discard"}};
  auto device = Device::Open(spec, crypto::SecureBuffer::FromBytes("salt"),
                             crypto::SecureBuffer::FromBytes("checkpoint"), Clock::Real(), true);
  return device.ok() ? std::move(*device) : nullptr;
}
// The request member as AuditRecord builds it.
RequestMember Member(const RequestParts& r, const char* operation, std::string mount_type,
                     std::string mount_accessor, std::string accessor) {
  RequestMember m;
  m.id = r.id;
  m.operation = operation;
  m.mount_type = std::move(mount_type);
  m.mount_accessor = std::move(mount_accessor);
  m.client_token = r.client_token;
  m.client_token_accessor = std::move(accessor);
  m.path = r.path;
  m.data = r.data.is_object() && !r.data.empty() ? &r.data : nullptr;
  m.remote_address = r.remote_address;
  return m;
}

// The write-ahead request entry of an audited KV write: the pair built,
// prepared by one device (its token's auth member cached), destroyed.
void BM_PrepareWriteRequest(benchmark::State& state) {
  auto device = DiscardDevice();
  RequestParts r;
  r.data = KvWriteData();
  const auto auth = TokenAuth(r);
  for (auto _ : state) {
    EntryPair pair;
    pair.auth = auth;
    pair.auth_shared = true;
    pair.request = Member(r, "update", "kv", "kv_1a2b3c4d", r.accessor);
    pair.request_time = r.time;
    benchmark::DoNotOptimize(device->PreparePair(pair, PairPart::kRequest));
  }
}
BENCHMARK(BM_PrepareWriteRequest);

// Both entries of an AppRole login (its response carries the auth block).
void BM_PrepareLoginResponse(benchmark::State& state) {
  auto device = DiscardDevice();
  RequestParts r;
  r.client_token = "";
  r.path = "auth/approle/login";
  r.data = {{"role_id", "2f6c3a1e-role-role-role-roleroleroler"},
            {"secret_id", "7d2e9b4c-secret-secret-secret-secretsec"}};
  const json login_auth = LoginAuth();
  for (auto _ : state) {
    EntryPair pair;
    pair.auth = std::make_shared<const json>(
        json{{"client_token", r.client_token}, {"token_type", "service"}});
    pair.request = Member(r, "update", "approle", "auth_approle_1", "");
    pair.request_time = r.time;
    pair.response_time = r.time;
    ResponseMember response;
    response.mount_type = "approle";
    response.mount_accessor = "auth_approle_1";
    response.auth = &login_auth;
    pair.response = std::move(response);
    benchmark::DoNotOptimize(device->PreparePair(pair, PairPart::kResponse));
  }
}
BENCHMARK(BM_PrepareLoginResponse);

// Both entries of a KV read, written together (the deferred read path),
// with the response data as a document, or (`data_text` non-empty) with
// its "data" member as the stored text the KV v2 engine hands over.
void PrepareReadPairs(benchmark::State& state, const json& data, const std::string& data_text) {
  auto device = DiscardDevice();
  RequestParts r;
  r.path = "secret/data/bench/read";
  const auto auth = TokenAuth(r);
  for (auto _ : state) {
    EntryPair pair;
    pair.auth = auth;
    pair.auth_shared = true;
    pair.request = Member(r, "read", "kv", "kv_1a2b3c4d", r.accessor);
    pair.request_time = r.time;
    pair.response_time = r.time;
    ResponseMember response;
    response.mount_type = "kv";
    response.mount_accessor = "kv_1a2b3c4d";
    response.data = &data;
    if (!data_text.empty()) {
      response.data_member_name = "data";
      response.data_member_json = data_text;
    }
    pair.response = std::move(response);
    benchmark::DoNotOptimize(device->PreparePair(pair));
  }
}

void BM_PrepareReadPair(benchmark::State& state) {
  PrepareReadPairs(state, KvReadEntry()["response"]["data"], "");
}
BENCHMARK(BM_PrepareReadPair);

// The read as the KV v2 engine serves it: the version's data as its
// stored text (hashed from the device's HashedMemberCache after the first
// time), the metadata as a document.
void BM_PrepareServedReadPair(benchmark::State& state) {
  json metadata = KvReadEntry()["response"]["data"];
  const std::string data_text = metadata["data"].dump();
  metadata.erase("data");
  PrepareReadPairs(state, metadata, data_text);
}
BENCHMARK(BM_PrepareServedReadPair);

// A device writer's batch of two chained lines.
void BM_ChainBatch(benchmark::State& state) {
  Chain chain(Format::kJson, "", crypto::SecureBuffer::FromBytes("checkpoint"));
  (void)chain.Start("file/", 0);
  const std::string body = FormatEntry(KvReadEntry(), Format::kJson);
  for (auto _ : state) {
    std::string lines;
    for (int i = 0; i < 2; ++i) {
      chain.LinkInto(&lines, body);
      lines += '\n';
    }
    benchmark::DoNotOptimize(lines);
  }
}
BENCHMARK(BM_ChainBatch);

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
