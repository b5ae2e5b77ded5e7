// ParsePolicy: from the HCL syntax tree to PathRules, checking every key.
// Vault's own checks (vault/policy.go parsePaths) are followed; where Vault
// silently ignores something that would weaken a policy, this refuses it.
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "config/server_config.h"
#include "core/policy/builtin_policies.h"
#include "core/policy/capabilities.h"
#include "core/policy/pattern.h"
#include "core/policy/policy.h"
#include "hcl/document.h"

namespace coffer::core::policy {

namespace {

constexpr std::string_view kErrorPrefix = "failed to parse policy: ";

Status ErrorAt(hcl::Position pos, std::string_view message) {
  return Status::InvalidArgument(std::string(kErrorPrefix) + std::to_string(pos.line) + ":" +
                                 std::to_string(pos.column) + ": " + std::string(message));
}

std::string Lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// ValueToJson converts a parameter value. The parser caps nesting at
// hcl::kMaxDepth, which bounds this recursion.
nlohmann::json ValueToJson(const hcl::Value& value) {
  switch (value.kind()) {
    case hcl::Value::Kind::kNull:
      return nullptr;
    case hcl::Value::Kind::kBool:
      return value.as_bool();
    case hcl::Value::Kind::kInt:
      return value.as_int();
    case hcl::Value::Kind::kDouble:
      return value.as_double();
    case hcl::Value::Kind::kString:
      return value.as_string();
    case hcl::Value::Kind::kList: {
      nlohmann::json list = nlohmann::json::array();
      for (const hcl::Value& item : value.as_list()) {
        list.push_back(ValueToJson(item));
      }
      return list;
    }
    case hcl::Value::Kind::kObject: {
      nlohmann::json object = nlohmann::json::object();
      for (const hcl::ObjectEntry& entry : value.as_object()) {
        object[entry.key] = ValueToJson(entry.value);
      }
      return object;
    }
  }
  return nullptr;
}

// RuleParser reads the body of one path block into a PathRule.
class RuleParser {
 public:
  explicit RuleParser(std::string pattern) : pattern_(std::move(pattern)) { rule_.pattern = pattern_; }

  Status ParseItem(const hcl::Item& item);
  Result<PathRule> Finish(hcl::Position block_pos);

 private:
  // Error prefixes the message with the path, as Vault does.
  Status Error(hcl::Position pos, std::string_view message) const {
    return ErrorAt(pos, "path " + hcl::Quote(pattern_) + ": " + std::string(message));
  }
  const hcl::Value* RequireAttribute(const hcl::Item& item, Status& error) const;
  Status ParseCapabilities(const hcl::Value& value);
  Status ParseShorthand(const hcl::Value& value);
  Status ParseParameters(const hcl::Item& item, ParameterValues& into);
  Status ParseRequired(const hcl::Value& value);
  Status ParseDuration(const hcl::Attribute& attribute, int64_t& into) const;

  std::string pattern_;
  PathRule rule_;
};

const hcl::Value* RuleParser::RequireAttribute(const hcl::Item& item, Status& error) const {
  const hcl::Attribute* attribute = item.attribute();
  if (attribute == nullptr) {
    error = Error(item.pos(), hcl::Quote(item.key()) + " must be written `" + item.key() + " = ...`");
    return nullptr;
  }
  return &attribute->value;
}

Status RuleParser::ParseCapabilities(const hcl::Value& value) {
  if (!value.is_list()) {
    return Error(value.pos(), "capabilities must be a list of strings");
  }
  for (const hcl::Value& entry : value.as_list()) {
    if (!entry.is_string()) {
      return Error(entry.pos(), "capabilities must be a list of strings");
    }
    std::optional<uint32_t> flag = CapabilityFromName(entry.as_string());
    if (!flag.has_value()) {
      return Error(entry.pos(), "invalid capability " + hcl::Quote(entry.as_string()) +
                                    " (use create, read, update, patch, delete, list, sudo, deny)");
    }
    rule_.capabilities |= *flag;
  }
  return Status::Ok();
}

// ParseShorthand reads the pre-0.5 `policy = "read"` form; the mapping is
// Vault's (vault/policy.go): "write" grants no patch, as there.
Status RuleParser::ParseShorthand(const hcl::Value& value) {
  if (!value.is_string()) {
    return Error(value.pos(), "policy must be one of \"deny\", \"read\", \"write\", \"sudo\"");
  }
  const std::string& word = value.as_string();
  constexpr uint32_t kWrite = kCreate | kRead | kUpdate | kDelete | kList;
  if (word == "deny") {
    rule_.capabilities |= kDeny;
  } else if (word == "read") {
    rule_.capabilities |= kRead | kList;
  } else if (word == "write") {
    rule_.capabilities |= kWrite;
  } else if (word == "sudo") {
    rule_.capabilities |= kWrite | kSudo;
  } else {
    return Error(value.pos(), "invalid policy " + hcl::Quote(word) +
                                  " (use \"deny\", \"read\", \"write\" or \"sudo\")");
  }
  return Status::Ok();
}

// ParseParameters takes `allowed_parameters = { ... }` or the block form
// `allowed_parameters { ... }`, which HCL 1 (and so Vault) also accepts.
Status RuleParser::ParseParameters(const hcl::Item& item, ParameterValues& into) {
  struct Entry {
    std::string_view key;
    hcl::Position pos;
    const hcl::Value* value;
  };
  std::vector<Entry> entries;
  if (const hcl::Attribute* attribute = item.attribute()) {
    if (!attribute->value.is_object()) {
      return Error(attribute->value.pos(),
                   item.key() + " must be a map of parameter name to a list of values");
    }
    for (const hcl::ObjectEntry& entry : attribute->value.as_object()) {
      entries.push_back({entry.key, entry.pos, &entry.value});
    }
  } else {
    const hcl::Block* block = item.block();
    if (!block->labels.empty()) {
      return Error(block->pos, item.key() + " takes no label");
    }
    for (const hcl::Item& inner : block->body.items) {
      const hcl::Attribute* attribute = inner.attribute();
      if (attribute == nullptr) {
        return Error(inner.pos(), item.key() + " must map parameter names to lists of values");
      }
      entries.push_back({attribute->key, attribute->pos, &attribute->value});
    }
  }

  for (const Entry& entry : entries) {
    // Vault allows '*' only as the whole name ("any other parameter").
    if (entry.key.find('*') != std::string_view::npos && entry.key != "*") {
      return Error(entry.pos, item.key() + ": parameter name " + hcl::Quote(entry.key) +
                                  " may use '*' only as the whole name");
    }
    if (!entry.value->is_list()) {
      return Error(entry.value->pos(), item.key() + ": the values of " + hcl::Quote(entry.key) +
                                           " must be a list ([] for any value)");
    }
    std::vector<nlohmann::json> values;
    for (const hcl::Value& value : entry.value->as_list()) {
      values.push_back(ValueToJson(value));
    }
    // Request parameters are matched case-insensitively, as in Vault.
    auto [it, inserted] = into.emplace(Lowercase(entry.key), std::move(values));
    if (!inserted) {
      return Error(entry.pos, item.key() + ": parameter " + hcl::Quote(entry.key) +
                                  " is listed twice (names are case-insensitive)");
    }
  }
  return Status::Ok();
}

Status RuleParser::ParseRequired(const hcl::Value& value) {
  if (!value.is_list()) {
    return Error(value.pos(), "required_parameters must be a list of strings");
  }
  for (const hcl::Value& entry : value.as_list()) {
    if (!entry.is_string()) {
      return Error(entry.pos(), "required_parameters must be a list of strings");
    }
    if (entry.as_string().find('*') != std::string::npos) {
      return Error(entry.pos(), "required_parameters: " + hcl::Quote(entry.as_string()) +
                                    ": a wildcard is not permitted here");
    }
    rule_.required_parameters.push_back(Lowercase(entry.as_string()));
  }
  return Status::Ok();
}

Status RuleParser::ParseDuration(const hcl::Attribute& attribute, int64_t& into) const {
  const hcl::Value& value = attribute.value;
  if (value.is_int()) {
    if (value.as_int() < 0) {
      return Error(value.pos(), attribute.key + " must not be negative");
    }
    into = value.as_int();
    return Status::Ok();
  }
  if (!value.is_string()) {
    return Error(value.pos(), attribute.key + " must be a duration such as \"90s\" or a number of seconds");
  }
  Result<int64_t> seconds = config::ParseDurationSeconds(value.as_string());
  if (!seconds.ok()) {
    return Error(value.pos(), attribute.key + ": " + seconds.status().message());
  }
  into = *seconds;
  return Status::Ok();
}

Status RuleParser::ParseItem(const hcl::Item& item) {
  const std::string& key = item.key();
  if (key == "allowed_parameters") {
    return ParseParameters(item, rule_.allowed_parameters);
  }
  if (key == "denied_parameters") {
    return ParseParameters(item, rule_.denied_parameters);
  }
  if (key == "mfa_methods" || key == "control_group") {
    // Refused rather than ignored: ignoring them would grant without the
    // second factor or approval the author asked for.
    return Error(item.pos(), hcl::Quote(key) + " is a Vault Enterprise feature coffer does not support");
  }
  Status error;
  const hcl::Value* value = RequireAttribute(item, error);
  if (value == nullptr) {
    return error;
  }
  if (key == "capabilities") {
    return ParseCapabilities(*value);
  }
  if (key == "policy") {
    return ParseShorthand(*value);
  }
  if (key == "required_parameters") {
    return ParseRequired(*value);
  }
  if (key == "min_wrapping_ttl") {
    return ParseDuration(*item.attribute(), rule_.min_wrapping_ttl);
  }
  if (key == "max_wrapping_ttl") {
    return ParseDuration(*item.attribute(), rule_.max_wrapping_ttl);
  }
  if (key == "comment") {
    return Status::Ok();
  }
  return Error(item.pos(), "unknown key " + hcl::Quote(key) +
                               " (valid: capabilities, policy, allowed_parameters, "
                               "denied_parameters, required_parameters, min_wrapping_ttl, "
                               "max_wrapping_ttl, comment)");
}

Result<PathRule> RuleParser::Finish(hcl::Position block_pos) {
  if (rule_.min_wrapping_ttl != 0 && rule_.max_wrapping_ttl != 0 &&
      rule_.max_wrapping_ttl < rule_.min_wrapping_ttl) {
    return Error(block_pos, "max_wrapping_ttl cannot be less than min_wrapping_ttl");
  }
  if ((rule_.capabilities & kDeny) != 0) {
    // Deny overrides everything on the rule; drop the rest so that later
    // merging and evaluation never see a half-denied rule.
    PathRule denied;
    denied.pattern = std::move(rule_.pattern);
    denied.capabilities = kDeny;
    return denied;
  }
  return std::move(rule_);
}

Result<PathRule> ParsePathBlock(const hcl::Block& block) {
  if (block.labels.size() != 1) {
    return ErrorAt(block.pos, "a path block takes exactly one label, the path pattern, as in "
                              "path \"secret/*\" { ... }");
  }
  const hcl::Label& label = block.labels.front();
  std::string pattern(StripLeadingSlash(label.value));
  Result<PatternShape> shape = AnalyzePattern(pattern);
  if (!shape.ok()) {
    return ErrorAt(label.pos, "path " + hcl::Quote(label.value) + ": " + shape.status().message());
  }
  RuleParser parser(pattern);
  for (const hcl::Item& item : block.body.items) {
    COFFER_RETURN_IF_ERROR(parser.ParseItem(item));
  }
  return parser.Finish(block.pos);
}

}  // namespace

Result<Policy> ParsePolicy(std::string name, std::string_view text) {
  Policy policy;
  policy.name = NormalizePolicyName(name);
  if (policy.name == kRootPolicyName) {
    return Status::InvalidArgument("cannot update \"root\" policy");
  }
  policy.text = std::string(text);

  // An empty file name makes the parser's messages "<line>:<col>: ...".
  Result<hcl::Body> body = hcl::ParseDocument(text, "", hcl::BlockSchema{{"path", 1}});
  if (!body.ok()) {
    std::string_view message = body.status().message();
    if (!message.empty() && message.front() == ':') {
      message.remove_prefix(1);
    }
    return Status::InvalidArgument(std::string(kErrorPrefix) + std::string(message));
  }

  for (const hcl::Item& item : body->items) {
    if (const hcl::Block* block = item.block(); block != nullptr && block->type == "path") {
      COFFER_ASSIGN_OR_RETURN(PathRule rule, ParsePathBlock(*block));
      policy.rules.push_back(std::move(rule));
      continue;
    }
    // Vault accepts a top-level `name`, which the URL's name overrides.
    if (const hcl::Attribute* attribute = item.attribute();
        attribute != nullptr && attribute->key == "name" && attribute->value.is_string()) {
      continue;
    }
    if (item.key() == "path") {
      return ErrorAt(item.pos(), "path must be a block: path \"<pattern>\" { capabilities = [...] }");
    }
    return ErrorAt(item.pos(), "unknown key " + hcl::Quote(item.key()) +
                                   " (a policy holds only path blocks)");
  }
  return policy;
}

}  // namespace coffer::core::policy
