// `coffer secrets enable|disable|list|tune|move`: the mount table through
// sys/mounts and sys/remount.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "cli/flags.h"

namespace coffer::cli {

int RunSecrets(const std::vector<std::string>& args);

// MountInput builds the sys/mounts/<path> body of `secrets enable TYPE`
// from its flags; InvalidArgument for a malformed duration, number or
// -options pair.
Result<nlohmann::json> MountInput(const std::string& type, const ParsedFlags& flags);

// MountRows are the rows of `secrets list` (with -detailed, more columns),
// header first, sorted by path, from a sys/mounts answer.
std::vector<std::vector<std::string>> MountRows(const nlohmann::json& body, bool detailed);

}  // namespace coffer::cli
