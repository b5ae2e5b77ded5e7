// Helpers for the policy tests: parse or compile, failing the test (not
// crashing) on error, and short ways to ask what an ACL allows.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/policy/acl.h"
#include "core/policy/policy.h"

namespace coffer::core::policy::testing {

// Parse parses `text` as policy `name`; on failure the test fails and an
// empty policy is returned.
inline Policy Parse(const std::string& text, const std::string& name = "test") {
  Result<Policy> parsed = ParsePolicy(name, text);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString() << "\nin:\n" << text;
  if (!parsed.ok()) {
    return Policy{};
  }
  return std::move(parsed).value();
}

// ParseError parses `text` expecting failure and returns the message.
inline std::string ParseError(const std::string& text) {
  Result<Policy> parsed = ParsePolicy("bad", text);
  EXPECT_FALSE(parsed.ok()) << "parsed:\n" << text;
  if (parsed.ok()) {
    return "";
  }
  EXPECT_TRUE(parsed.status().IsInvalidArgument()) << parsed.status().ToString();
  return parsed.status().message();
}

// CompileTexts parses each text as its own policy ("p0", "p1", ...) and
// compiles them together.
inline std::shared_ptr<const Acl> CompileTexts(const std::vector<std::string>& texts) {
  std::vector<Policy> policies;
  for (size_t i = 0; i < texts.size(); ++i) {
    policies.push_back(Parse(texts[i], "p" + std::to_string(i)));
  }
  Result<std::shared_ptr<const Acl>> acl = Acl::Compile(policies);
  EXPECT_TRUE(acl.ok()) << acl.status().ToString();
  if (!acl.ok()) {
    return nullptr;
  }
  return *acl;
}

inline std::shared_ptr<const Acl> CompileText(const std::string& text) {
  return CompileTexts({text});
}

// Allowed is Evaluate(...).allowed for a request without wrapping.
inline bool Allowed(const Acl& acl, core::Operation op, std::string_view path,
                    const nlohmann::json& data = nlohmann::json::object(), bool needs_sudo = false) {
  return acl.Allows(op, path, data, needs_sudo).ok();
}

inline bool CanRead(const Acl& acl, std::string_view path) {
  return Allowed(acl, core::Operation::kRead, path);
}

}  // namespace coffer::core::policy::testing
