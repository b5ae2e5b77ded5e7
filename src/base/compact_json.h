// AppendCompactJson writes `value` as compact JSON, byte for byte what
// nlohmann's dump(-1, ' ', false, error_handler_t::replace) writes, only
// faster on what audit entries and API responses are made of: plain ASCII
// strings (HMACs, paths, policy names, secrets) are copied in runs instead
// of a byte at a time.
// Strings with non-ASCII bytes and floating-point numbers are handed to
// nlohmann, so their (rare) encoding stays exactly nlohmann's.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace coffer {

void AppendCompactJson(std::string* out, const nlohmann::json& value);

// AppendJsonString writes `s` as a JSON string: the bytes AppendCompactJson
// writes for a string value holding `s` (encoders that write members one
// by one use it for names and values).
void AppendJsonString(std::string* out, std::string_view s);

// StringValueRewriter changes string values (not object keys) as they are
// written: Rewrite returns the text to write in place of `value`, which may
// be `value` itself or `*scratch`.
class StringValueRewriter {
 public:
  virtual ~StringValueRewriter() = default;
  virtual const std::string& Rewrite(const std::string& value, std::string* scratch) const = 0;
};

// AppendCompactJson with every string value passed through `rewrite`:
// the same bytes as rewriting a copy of `value` and writing that.
void AppendCompactJson(std::string* out, const nlohmann::json& value,
                       const StringValueRewriter& rewrite);

}  // namespace coffer
