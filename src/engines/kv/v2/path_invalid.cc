// Any path KV v2 does not serve. Vault answers with a hint, since the usual
// cause is a KV v1 habit (reading "secret/foo" instead of "secret/data/foo").
#include "engines/kv/v2/paths.h"

namespace coffer::engines::kv {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;

Result<Response> Invalid(const char* subcommand) {
  return Status::NotFound(
      std::string("Invalid path for a versioned K/V secrets engine. See the API docs for the "
                  "appropriate API endpoints to use. If using the Vault CLI, use 'vault kv ") +
      subcommand + "' for this operation.");
}

}  // namespace

core::framework::PathSpec PathInvalid() {
  core::framework::PathSpec spec;
  spec.pattern = ".*";
  spec.operations = {
      {Operation::kRead, [](const EngineRequest&, const FieldData&) { return Invalid("get"); }},
      {Operation::kUpdate, [](const EngineRequest&, const FieldData&) { return Invalid("put"); }},
      {Operation::kPatch,
       [](const EngineRequest&, const FieldData&) { return Invalid("patch"); }},
      {Operation::kDelete,
       [](const EngineRequest&, const FieldData&) { return Invalid("delete"); }},
      {Operation::kList, [](const EngineRequest&, const FieldData&) { return Invalid("list"); }},
  };
  spec.takes_arbitrary_input = true;
  spec.help_synopsis = "This path is not a KV v2 endpoint.";
  spec.help_description = R"(
Use data/<path> for secret data, metadata/<path> for settings and history,
delete/, undelete/ and destroy/ for versions, and config for the mount.
)";
  return spec;
}

}  // namespace coffer::engines::kv
