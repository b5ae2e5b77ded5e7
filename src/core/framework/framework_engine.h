// FrameworkEngine: a core::Engine made of PathSpecs. It does the work every
// engine shares, so engines only write handlers:
//  - routing: the first path whose pattern matches the request path wins;
//    none → NotFound "unsupported path";
//  - kHelp: the path's help (or the engine's help at the mount root);
//  - dispatch: the operation's handler, kCreate and kUpdate standing in for
//    each other when a path declares only one; none → Unsupported (405);
//  - fields: typed parsing and validation (400 naming the field), with
//    unknown keys in a write's body reported back as a warning, as Vault
//    does;
//  - a handler's stray exception becomes Internal instead of unwinding.
//
// Immutable once built, so Handle and Exists are thread-safe as long as the
// handlers are.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "core/engine.h"
#include "core/framework/path.h"
#include "core/framework/path_pattern.h"

namespace coffer::core::framework {

// Longer request paths are refused with a 400 before any regex runs:
// std::regex recurses per character, and no real secret path comes near.
inline constexpr size_t kMaxRequestPathLength = 4096;

// How an engine renews and revokes one type of leased secret (Vault's
// framework.Secret). Handlers run concurrently with requests.
struct SecretSpec {
  std::string type;
  std::function<Status(const EngineRequest&, const LeaseInfo&)> renew;   // optional
  std::function<Status(const EngineRequest&, const LeaseInfo&)> revoke;  // optional
};

class FrameworkEngine : public Engine {
 public:
  // Create compiles every path's pattern; InvalidArgument names a pattern
  // that does not compile. `type` is what Type() returns; `help` is the
  // engine's description shown by help at the mount root.
  static Result<std::unique_ptr<FrameworkEngine>> Create(std::string type,
                                                          std::vector<PathSpec> paths,
                                                          std::string help);

  Result<Response> Handle(const EngineRequest& request) override;
  Result<bool> Exists(const EngineRequest& request) override;
  // Leaves the route and the parsed fields in request->prepared for Handle.
  Result<bool> ExistsAndPrepare(EngineRequest* request) override;
  std::string_view Type() const override { return type_; }
  bool ReadsWithoutBlocking() const override { return reads_without_blocking_; }
  bool WritesOnlyStorage() const override { return writes_only_storage_; }
  bool IsLoginPath(std::string_view path) const override;
  std::string LoginAlias(const EngineRequest& request) const override;
  // Dispatch on lease.type to the SecretSpec of that type; a type with no
  // handler has nothing to renew or revoke (OK).
  Status RevokeSecret(const EngineRequest& context, const LeaseInfo& lease) override;
  Status RenewSecret(const EngineRequest& context, const LeaseInfo& lease) override;
  void Periodic(const EngineRequest& context) override;

  // Set before the engine is shared (the engine is immutable afterwards).
  void AddSecret(SecretSpec secret) { secrets_.push_back(std::move(secret)); }
  // Declares Engine::ReadsWithoutBlocking (KV v1 and v2 do).
  void SetReadsWithoutBlocking() { reads_without_blocking_ = true; }
  // Declares Engine::WritesOnlyStorage (KV v1 and v2 and AppRole do).
  void SetWritesOnlyStorage() { writes_only_storage_ = true; }
  void SetPeriodic(std::function<void(const EngineRequest&)> periodic) {
    periodic_ = std::move(periodic);
  }

 private:
  struct CompiledPath {
    PathPattern pattern;
    PathSpec spec;
  };

  // A request routed and parsed: by Handle itself, or kept from
  // ExistsAndPrepare. `path` is null when no path serves the request.
  struct Routed : PreparedRequest {
    // Who prepared it, for which path: set only on a kept one.
    const FrameworkEngine* engine = nullptr;
    std::string request_path;
    const CompiledPath* path = nullptr;
    // Set by RouteAndParse when `path` is; an empty message allocates nothing.
    Result<FieldData> fields = Status::Internal("");
  };
  // RouteAndParse routes `request` and parses its fields for the path
  // (path and fields only).
  void RouteAndParse(const EngineRequest& request, Routed* routed) const;
  // Exists for a request already routed and parsed.
  Result<bool> ExistsRouted(const EngineRequest& request, const Routed& routed) const;

  // Route finds the path serving `path` and its captures; nullptr if none.
  const CompiledPath* Route(const std::string& path,
                            std::map<std::string, std::string>* captures) const;

  FrameworkEngine(std::string type, std::vector<CompiledPath> paths, std::string help)
      : type_(std::move(type)), paths_(std::move(paths)), help_(std::move(help)) {}

  const std::string type_;
  const std::vector<CompiledPath> paths_;
  const std::string help_;
  std::vector<SecretSpec> secrets_;
  std::function<void(const EngineRequest&)> periodic_;
  bool reads_without_blocking_ = false;
  bool writes_only_storage_ = false;
};

}  // namespace coffer::core::framework
