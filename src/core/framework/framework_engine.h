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
  std::string_view Type() const override { return type_; }
  bool IsLoginPath(std::string_view path) const override;
  std::string LoginAlias(const EngineRequest& request) const override;

 private:
  struct CompiledPath {
    PathPattern pattern;
    PathSpec spec;
  };

  // Route finds the path serving `path` and its captures; nullptr if none.
  const CompiledPath* Route(const std::string& path,
                            std::map<std::string, std::string>* captures) const;

  FrameworkEngine(std::string type, std::vector<CompiledPath> paths, std::string help)
      : type_(std::move(type)), paths_(std::move(paths)), help_(std::move(help)) {}

  const std::string type_;
  const std::vector<CompiledPath> paths_;
  const std::string help_;
};

}  // namespace coffer::core::framework
