// AppendCompactJson writes `value` as compact JSON, byte for byte what
// nlohmann's dump(-1, ' ', false, error_handler_t::replace) writes, only
// faster on what audit entries and API responses are made of: plain ASCII
// strings (HMACs, paths, policy names, secrets) are copied in runs instead
// of a byte at a time.
// Strings with non-ASCII bytes and floating-point numbers are handed to
// nlohmann, so their (rare) encoding stays exactly nlohmann's.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace coffer {

void AppendCompactJson(std::string* out, const nlohmann::json& value);

}  // namespace coffer
