#include "core/framework/framework_engine.h"

#include <exception>

#include "core/framework/help.h"

namespace coffer::core::framework {

namespace {

// FindHandler looks up the operation, letting create and update stand in
// for each other (a path usually declares just one for both).
const Handler* FindHandler(const PathSpec& spec, Operation op) {
  auto it = spec.operations.find(op);
  if (it != spec.operations.end() && it->second) {
    return &it->second;
  }
  if (op == Operation::kCreate || op == Operation::kUpdate) {
    Operation other = op == Operation::kCreate ? Operation::kUpdate : Operation::kCreate;
    it = spec.operations.find(other);
    if (it != spec.operations.end() && it->second) {
      return &it->second;
    }
  }
  return nullptr;
}

// Invoke runs a handler with a last-resort net: engines report errors as
// Status values, but a stray exception (a JSON type error, bad_alloc) must
// not unwind into the Core's request pipeline.
template <typename Fn>
auto Invoke(const Fn& fn, const EngineRequest& request, const FieldData& fields)
    -> decltype(fn(request, fields)) {
  try {
    return fn(request, fields);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("engine handler failed: ") + e.what());
  }
}

std::string IgnoredWarning(const std::vector<std::string>& names) {
  std::string list;
  for (const std::string& name : names) {
    if (!list.empty()) {
      list += ' ';
    }
    list += name;
  }
  return "Endpoint ignored these unrecognized parameters: [" + list + "]";
}

}  // namespace

Result<std::unique_ptr<FrameworkEngine>> FrameworkEngine::Create(std::string type,
                                                                 std::vector<PathSpec> paths,
                                                                 std::string help) {
  std::vector<CompiledPath> compiled;
  compiled.reserve(paths.size());
  for (PathSpec& spec : paths) {
    COFFER_ASSIGN_OR_RETURN(PathPattern pattern, PathPattern::Compile(spec.pattern));
    compiled.push_back(CompiledPath{std::move(pattern), std::move(spec)});
  }
  return std::unique_ptr<FrameworkEngine>(
      new FrameworkEngine(std::move(type), std::move(compiled), std::move(help)));
}

const FrameworkEngine::CompiledPath* FrameworkEngine::Route(
    const std::string& path, std::map<std::string, std::string>* captures) const {
  for (const CompiledPath& candidate : paths_) {
    std::optional<std::map<std::string, std::string>> match = candidate.pattern.Match(path);
    if (match) {
      *captures = std::move(*match);
      return &candidate;
    }
  }
  return nullptr;
}

void FrameworkEngine::RouteAndParse(const EngineRequest& request, Routed* routed) const {
  std::map<std::string, std::string> captures;
  routed->path = Route(request.path, &captures);
  if (routed->path != nullptr) {
    routed->fields = FieldData::Parse(routed->path->spec.fields, request.data, captures);
  }
}

Result<Response> FrameworkEngine::Handle(const EngineRequest& request) {
  if (request.path.size() > kMaxRequestPathLength) {
    return Status::InvalidArgument("path is too long");
  }
  if (request.operation == Operation::kHelp && (request.path.empty() || request.path == "/")) {
    std::vector<std::pair<std::string, std::string>> routes;
    for (const CompiledPath& path : paths_) {
      routes.emplace_back(path.pattern.anchored(), path.spec.help_synopsis);
    }
    return Response::Data({{"help", EngineHelp(help_, routes)}});
  }

  // What ExistsAndPrepare worked out, if it was this engine, for this
  // path; else routed and parsed here, on the stack (reads come this way).
  const auto* routed = dynamic_cast<const Routed*>(request.prepared.get());
  Routed here;
  if (routed == nullptr || routed->engine != this || routed->request_path != request.path) {
    RouteAndParse(request, &here);
    routed = &here;
  }
  const CompiledPath* path = routed->path;
  if (path == nullptr) {
    return Status::NotFound("unsupported path");
  }
  if (request.operation == Operation::kHelp) {
    return Response::Data(
        {{"help", PathHelp(request.path, path->pattern.anchored(), path->spec)}});
  }
  const Handler* handler = FindHandler(path->spec, request.operation);
  if (handler == nullptr) {
    return Status::Unsupported("unsupported operation");
  }

  if (request.storage == nullptr) {
    return Status::Internal("engine request without a storage view");
  }
  if (!routed->fields.ok()) {
    return routed->fields.status();
  }
  const FieldData& fields = *routed->fields;
  Result<Response> response = Invoke(*handler, request, fields);
  // Only writes carry a body the client chose; a read's data is its query
  // string, where stray parameters are common and harmless.
  bool is_write = request.operation == Operation::kCreate ||
                  request.operation == Operation::kUpdate ||
                  request.operation == Operation::kPatch;
  if (!response.ok() || path->spec.takes_arbitrary_input || !is_write) {
    return response;
  }
  std::vector<std::string> unknown = fields.Unknown();
  if (!unknown.empty()) {
    response->warnings.push_back(IgnoredWarning(unknown));
  }
  return response;
}

Result<bool> FrameworkEngine::Exists(const EngineRequest& request) {
  if (request.path.size() > kMaxRequestPathLength) {
    return true;  // Handle reports the bad path after the ACL check
  }
  Routed routed;
  RouteAndParse(request, &routed);
  return ExistsRouted(request, routed);
}

Result<bool> FrameworkEngine::ExistsAndPrepare(EngineRequest* request) {
  if (request->path.size() > kMaxRequestPathLength) {
    return true;  // Handle reports the bad path after the ACL check
  }
  auto routed = std::make_shared<Routed>();
  routed->engine = this;
  routed->request_path = request->path;
  RouteAndParse(*request, routed.get());
  request->prepared = routed;
  return ExistsRouted(*request, *routed);
}

Result<bool> FrameworkEngine::ExistsRouted(const EngineRequest& request,
                                           const Routed& routed) const {
  if (routed.path == nullptr || !routed.path->spec.exists) {
    return true;
  }
  if (request.storage == nullptr) {
    return Status::Internal("engine request without a storage view");
  }
  if (!routed.fields.ok()) {
    // Bad input is reported by Handle, after the ACL check has run.
    return true;
  }
  return Invoke(routed.path->spec.exists, request, *routed.fields);
}

bool FrameworkEngine::IsLoginPath(std::string_view path) const {
  std::map<std::string, std::string> captures;
  const CompiledPath* compiled = Route(std::string(path), &captures);
  return compiled != nullptr && compiled->spec.login;
}

std::string FrameworkEngine::LoginAlias(const EngineRequest& request) const {
  std::map<std::string, std::string> captures;
  const CompiledPath* compiled = Route(request.path, &captures);
  if (compiled == nullptr || compiled->spec.login_alias_field.empty()) {
    return "";
  }
  const std::string& field = compiled->spec.login_alias_field;
  if (auto it = captures.find(field); it != captures.end()) {
    return it->second;
  }
  if (request.data.is_object()) {
    auto it = request.data.find(field);
    if (it != request.data.end() && it->is_string()) {
      return it->get<std::string>();
    }
  }
  return "";
}

Status FrameworkEngine::RevokeSecret(const EngineRequest& context, const LeaseInfo& lease) {
  for (const SecretSpec& secret : secrets_) {
    if (secret.type == lease.type && secret.revoke) {
      return secret.revoke(context, lease);
    }
  }
  return Status::Ok();
}

Status FrameworkEngine::RenewSecret(const EngineRequest& context, const LeaseInfo& lease) {
  for (const SecretSpec& secret : secrets_) {
    if (secret.type == lease.type && secret.renew) {
      return secret.renew(context, lease);
    }
  }
  return Status::Ok();
}

void FrameworkEngine::Periodic(const EngineRequest& context) {
  if (periodic_) {
    periodic_(context);
  }
}

}  // namespace coffer::core::framework
