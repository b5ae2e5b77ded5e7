// The CPU cost of the steps of an authenticated read, below HTTP and audit:
// evaluating a compiled ACL (a policy set with 50 other policies' rules
// loaded), decrypting a stored entry through the barrier, checking that
// cached KV metadata is current, and looking a token up in the token store
// (HMAC of the token, storage read, decrypt, JSON decode). Run with
// `make bench` (or build/bench/core_bench).
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "barrier/barrier.h"
#include "base/clock.h"
#include "core/framework/decoded_cache.h"
#include "core/framework/framework_engine.h"
#include "core/framework/path.h"
#include "core/policy/acl.h"
#include "core/policy/policy.h"
#include "core/policy_store.h"
#include "core/token_store.h"
#include "crypto/random.h"
#include "storage/backend.h"

namespace coffer {
namespace {

using core::policy::Acl;
using core::policy::Policy;

// 50 policies of 6 rules each (exact, glob and "+" segment patterns), plus
// the one that grants the benchmarked path.
std::vector<Policy> FiftyOnePolicies() {
  std::vector<Policy> policies;
  for (int i = 0; i < 50; ++i) {
    const std::string n = std::to_string(i);
    const std::string text =
        "path \"secret/data/team" + n + "/*\" { capabilities = [\"read\", \"list\"] }\n"
        "path \"secret/metadata/team" + n + "/*\" { capabilities = [\"list\"] }\n"
        "path \"secret/data/shared/+/team" + n + "\" { capabilities = [\"read\"] }\n"
        "path \"database/creds/role" + n + "\" { capabilities = [\"read\"] }\n"
        "path \"auth/token/lookup-self\" { capabilities = [\"read\"] }\n"
        "path \"sys/leases/renew\" { capabilities = [\"update\"] }\n";
    auto parsed = core::policy::ParsePolicy("team" + n, text);
    if (!parsed.ok()) {
      std::abort();
    }
    policies.push_back(std::move(parsed).value());
  }
  auto app = core::policy::ParsePolicy(
      "app", "path \"secret/data/app/*\" { capabilities = [\"read\"] }\n");
  if (!app.ok()) {
    std::abort();
  }
  policies.push_back(std::move(app).value());
  return policies;
}

void BM_AclEvaluateRead(benchmark::State& state) {
  auto acl = Acl::Compile(FiftyOnePolicies());
  if (!acl.ok()) {
    state.SkipWithError("compile failed");
    return;
  }
  core::policy::AccessRequest request;
  request.operation = core::Operation::kRead;
  request.path = "secret/data/app/db";
  for (auto _ : state) {
    auto check = (*acl)->Evaluate(request);
    benchmark::DoNotOptimize(check);
  }
  state.counters["rules"] = static_cast<double>((*acl)->rule_count());
}
BENCHMARK(BM_AclEvaluateRead);

void BM_AclCompile(benchmark::State& state) {
  const std::vector<Policy> policies = FiftyOnePolicies();
  for (auto _ : state) {
    auto acl = Acl::Compile(policies);
    benchmark::DoNotOptimize(acl);
  }
}
BENCHMARK(BM_AclCompile);

struct UnsealedBarrier {
  std::unique_ptr<storage::Backend> physical;
  std::unique_ptr<barrier::Barrier> barrier;

  UnsealedBarrier() {
    physical = std::move(storage::OpenBackend("inmem", {})).value();
    barrier = std::make_unique<barrier::Barrier>(*physical);
    auto ops = barrier->Initialize(std::move(crypto::RandomKey()).value());
    if (!ops.ok() || !physical->Transaction(*ops).ok()) {
      std::abort();
    }
  }
};

void BM_BarrierGet400Bytes(benchmark::State& state) {
  UnsealedBarrier b;
  const std::string value(400, 'v');
  if (!b.barrier->Put("logical/uuid/versions/app/db/3", value).ok()) {
    std::abort();
  }
  for (auto _ : state) {
    auto got = b.barrier->Get("logical/uuid/versions/app/db/3");
    benchmark::DoNotOptimize(got);
  }
}
BENCHMARK(BM_BarrierGet400Bytes);

// A warm KV v2 metadata read: making sure the decoded metadata is current.
// Arg 0 opens the entry and compares the plaintext with the cached bytes
// (Get + Find); arg 1 compares the sealed entry with the cached stored
// form (GetStored + FindStored), which needs no decryption.
void BM_KvMetadataCacheHit(benchmark::State& state) {
  UnsealedBarrier b;
  const std::string key = "logical/uuid/metadata/app/db";
  const std::string value(300, 'm');
  if (!b.barrier->Put(key, value).ok()) {
    std::abort();
  }
  core::framework::DecodedCache<std::string> cache(1024, 1 << 22);
  cache.Insert(key, value, std::make_shared<const std::string>(value),
               std::move(b.barrier->GetStored(key)).value());
  const bool by_stored = state.range(0) == 1;
  for (auto _ : state) {
    std::shared_ptr<const std::string> hit;
    if (by_stored) {
      Result<std::string> stored = b.barrier->GetStored(key);
      hit = cache.FindStored(key, *stored);
    } else {
      Result<std::string> bytes = b.barrier->Get(key);
      hit = cache.Find(key, *bytes);
    }
    if (!hit) {
      std::abort();
    }
    benchmark::DoNotOptimize(hit);
  }
}
BENCHMARK(BM_KvMetadataCacheHit)->Arg(0)->Arg(1);

// A KV v2 write as the core serves it: the existence check (create or
// update?), then the handler. Arg 0 routes and parses the request in each
// (Exists, Handle); arg 1 routes and parses it once (ExistsAndPrepare,
// Handle). The path's check and handler do nothing else, so the figure is
// the routing and field parsing a write pays for.
void BM_WriteRouteAndParse(benchmark::State& state) {
  using core::framework::FieldData;
  using core::framework::FieldType;
  core::framework::PathSpec data;
  data.pattern = "data/" + core::framework::MatchAll("path");
  data.fields = {{"path", {FieldType::kString, {}, false, ""}},
                 {"data", {FieldType::kMap, {}, false, ""}},
                 {"options", {FieldType::kMap, {}, false, ""}}};
  data.exists = [](const core::EngineRequest&, const FieldData& f) -> Result<bool> {
    return !f.GetString("path").empty();
  };
  data.operations = {{core::Operation::kUpdate,
                      [](const core::EngineRequest&, const FieldData& f) -> Result<core::Response> {
                        benchmark::DoNotOptimize(f.FindMap("data"));
                        return core::Response::NoContent();
                      }}};
  std::vector<core::framework::PathSpec> paths;
  paths.push_back(std::move(data));
  auto engine = std::move(core::framework::FrameworkEngine::Create("kv", std::move(paths), ""))
                    .value();
  auto storage = std::move(storage::OpenBackend("inmem", {})).value();
  nlohmann::json body = nlohmann::json::object();
  for (int i = 0; i < 8; ++i) {
    body["data"]["field" + std::to_string(i)] = std::string(40, static_cast<char>('a' + i));
  }
  const bool prepare = state.range(0) == 1;
  for (auto _ : state) {
    core::EngineRequest request;
    request.storage = storage.get();
    request.operation = core::Operation::kUpdate;
    request.path = "data/bench/w/17";
    request.data = body;
    Result<bool> exists = prepare ? engine->ExistsAndPrepare(&request) : engine->Exists(request);
    Result<core::Response> response = engine->Handle(request);
    if (!exists.ok() || !response.ok()) {
      std::abort();
    }
    benchmark::DoNotOptimize(response);
  }
}
BENCHMARK(BM_WriteRouteAndParse)->Arg(0)->Arg(1);

void BM_TokenLookup(benchmark::State& state) {
  UnsealedBarrier b;
  core::TokenStore tokens(*b.barrier, Clock::Real());
  if (!tokens.OnUnseal().ok()) {
    std::abort();
  }
  core::TokenCreateRequest create;
  create.policies = {"default", "app"};
  for (int64_t i = 2; i < state.range(0); ++i) {
    create.policies.push_back("filler-" + std::to_string(i));
  }
  create.ttl = 3600;
  auto created = tokens.Create(create);
  if (!created.ok()) {
    std::abort();
  }
  const bool shared = state.range(1) == 1;
  for (auto _ : state) {
    if (shared) {  // what a read served on the IO thread does
      auto entry = tokens.CheckShared(created->token, "127.0.0.1");
      benchmark::DoNotOptimize(entry);
    } else {
      auto entry = tokens.Check(created->token, "127.0.0.1");
      benchmark::DoNotOptimize(entry);
    }
  }
}
// Args: policies on the token; 0 = Check (a copy of the entry), 1 = CheckShared.
BENCHMARK(BM_TokenLookup)->Args({2, 0})->Args({51, 0})->Args({51, 1});

// The per-request step before evaluation: finding the compiled ACL of a
// token's policy set (51 names) in the policy store's cache.
void BM_PolicyStoreAclFor51(benchmark::State& state) {
  UnsealedBarrier b;
  core::PolicyStore store(*b.barrier);
  if (!store.OnUnseal().ok()) {
    std::abort();
  }
  std::vector<std::string> names = {"bench-kv", "default"};
  for (int i = 0; i < 49; ++i) {
    names.push_back("filler-" + std::to_string(100 + i));
  }
  for (const std::string& name : names) {
    if (name != "default" &&
        !store.Put(name, "path \"secret/data/" + name + "/*\" { capabilities = [\"read\"] }")
             .ok()) {
      std::abort();
    }
  }
  for (auto _ : state) {
    auto acl = store.AclFor(names);
    benchmark::DoNotOptimize(acl);
  }
}
BENCHMARK(BM_PolicyStoreAclFor51);

}  // namespace
}  // namespace coffer

BENCHMARK_MAIN();
