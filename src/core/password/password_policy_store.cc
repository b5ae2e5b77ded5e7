// PasswordPolicyStore: CRUD of named password policies behind the barrier,
// following Vault's handlePoliciesPassword* (vault/logical_system.go).
#include "core/password/password_policy_store.h"

#include <optional>

#include <nlohmann/json.hpp>

#include "base/encoding.h"
#include "crypto/secure_buffer.h"

namespace coffer::core::password {

namespace {

constexpr std::string_view kPrefix = "sys/password_policy/";
constexpr size_t kMaxNameLength = 128;

std::string Key(std::string_view name) { return std::string(kPrefix) + std::string(name); }

// ValidateName keeps names to one storage path segment of plain characters,
// so a name can neither reach outside kPrefix nor collide with a folder.
Status ValidateName(std::string_view name) {
  if (name.empty()) {
    return Status::InvalidArgument("missing policy name");
  }
  if (name.size() > kMaxNameLength || name == "." || name == "..") {
    return Status::InvalidArgument("invalid password policy name");
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) {
      return Status::InvalidArgument(
          "invalid password policy name: use letters, digits, '-', '_' and '.'");
    }
  }
  return Status::Ok();
}

// MaybeBase64 returns the decoded text when `text` is standard base64 (as
// Vault accepts the policy "base64-encoded to avoid string escaping"; Go's
// decoder skips line breaks, so wrapped output decodes too), else `text`.
// HCL and JSON policies always hold characters outside the base64 alphabet
// (braces, quotes, spaces), so the two cannot be confused.
std::string MaybeBase64(const std::string& text) {
  std::string compact;
  compact.reserve(text.size());
  for (char c : text) {
    if (c != '\r' && c != '\n') {
      compact.push_back(c);
    }
  }
  if (compact.empty()) {
    return text;
  }
  std::optional<std::string> decoded = Base64Decode(compact);
  return decoded.has_value() ? *decoded : text;
}

Result<std::string> ReadText(barrier::Barrier& barrier, const std::string& name) {
  COFFER_RETURN_IF_ERROR(ValidateName(name));
  Result<std::string> raw = barrier.Get(Key(name));
  if (!raw.ok()) {
    if (raw.status().IsNotFound()) {
      return Status::NotFound("policy does not exist");
    }
    return raw.status();
  }
  nlohmann::json entry = nlohmann::json::parse(*raw, nullptr, /*allow_exceptions=*/false);
  if (!entry.is_object() || !entry.contains("policy") || !entry["policy"].is_string()) {
    return Status::Corruption("stored password policy " + name + " is malformed");
  }
  return entry["policy"].get<std::string>();
}

Result<std::string> GenerateFrom(barrier::Barrier& barrier, const std::string& name) {
  COFFER_ASSIGN_OR_RETURN(std::string text, ReadText(barrier, name));
  Result<PasswordPolicy> policy = PasswordPolicy::Parse(text);
  if (!policy.ok()) {
    // It was valid when stored; a failure now is ours, not the caller's.
    return Status::Internal("stored password policy configuration failed to parse");
  }
  return policy->Generate();
}

}  // namespace

Status PasswordPolicyStore::Put(const std::string& name, const std::string& text) {
  COFFER_RETURN_IF_ERROR(ValidateName(name));
  if (text.empty()) {
    return Status::InvalidArgument("missing policy");
  }
  const std::string policy_text = MaybeBase64(text);
  COFFER_ASSIGN_OR_RETURN(PasswordPolicy policy, PasswordPolicy::Parse(policy_text));
  // A trial generation refuses rules that are satisfiable on paper but
  // practically never met (min-chars from a tiny charset in a huge union).
  Result<std::string> trial = policy.Generate();
  if (!trial.ok()) {
    return Status::InvalidArgument(
        "unable to generate password from provided policy: are the rules impossible?");
  }
  crypto::Wipe(trial->data(), trial->size());
  // Vault stores the decoded policy, so a read returns HCL either way.
  const nlohmann::json entry = {{"policy", policy_text}};
  return barrier_.Put(Key(name), entry.dump());
}

Result<std::string> PasswordPolicyStore::Get(const std::string& name) {
  return ReadText(barrier_, name);
}

Status PasswordPolicyStore::Delete(const std::string& name) {
  COFFER_RETURN_IF_ERROR(ValidateName(name));
  return barrier_.Delete(Key(name));
}

Result<std::vector<std::string>> PasswordPolicyStore::List() {
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> entries, barrier_.List(kPrefix));
  std::vector<std::string> names;
  for (std::string& entry : entries) {
    // Put never writes below a policy name; skip any folder all the same.
    if (!entry.empty() && entry.back() != '/') {
      names.push_back(std::move(entry));
    }
  }
  return names;
}

Result<std::string> PasswordPolicyStore::Generate(const std::string& name) {
  return GenerateFrom(barrier_, name);
}

Result<std::string> PasswordPolicyStore::GeneratePassword(std::string_view policy_name) const {
  if (policy_name.empty()) {
    return PasswordPolicy::Default().Generate();
  }
  return GenerateFrom(barrier_, std::string(policy_name));
}

}  // namespace coffer::core::password
