// PathSpec: one path of a declarative engine (Vault's framework.Path): a
// pattern with named captures, the fields it takes, a handler per
// operation, an optional existence check and help text.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "base/status.h"
#include "core/engine.h"
#include "core/framework/field_data.h"
#include "core/request.h"

namespace coffer::core::framework {

// A Handler serves one operation on a path. It runs concurrently with other
// requests and must not keep references to the request or fields.
using Handler = std::function<Result<Response>(const EngineRequest&, const FieldData&)>;

// An ExistenceCheck tells whether a write would update an existing item.
using ExistenceCheck = std::function<Result<bool>(const EngineRequest&, const FieldData&)>;

struct PathSpec {
  // Vault-style regex, anchored on both ends by the framework; named
  // captures become fields (declare them in `fields`).
  std::string pattern;
  Fields fields;
  std::map<Operation, Handler> operations;
  // Optional; without one, Exists answers true (writes need "update").
  ExistenceCheck exists;
  std::string help_synopsis;
  std::string help_description;
  // When true the path accepts any body keys (KV v1 stores the body as is),
  // so keys outside `fields` draw no "ignored parameters" warning.
  bool takes_arbitrary_input = false;
  // An auth method's login path: served without a token (see
  // Engine::IsLoginPath). `login_alias_field` names the field (a capture
  // or body key) that identifies who logs in, for lockout.
  bool login = false;
  std::string login_alias_field;
};

}  // namespace coffer::core::framework
