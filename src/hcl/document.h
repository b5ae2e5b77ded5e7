// ParseDocument: one entry point for files that may be HCL or JSON, as
// Vault accepts for its config and policies.
#pragma once

#include <string_view>

#include "base/status.h"
#include "hcl/ast.h"
#include "hcl/json_to_hcl.h"

namespace coffer::hcl {

// LooksLikeJson reports whether a document should be read as JSON: its name
// ends in ".json", or its first byte other than whitespace (and a UTF-8 byte
// order mark) is '{', which cannot start an HCL document.
bool LooksLikeJson(std::string_view text, std::string_view filename);

// ParseDocument parses `text` with ParseJson under `schema` when it
// LooksLikeJson, else with ParseHcl. Errors are InvalidArgument
// "<filename>:<line>:<col>: <what>".
Result<Body> ParseDocument(std::string_view text, std::string_view filename,
                           const BlockSchema& schema);

}  // namespace coffer::hcl
