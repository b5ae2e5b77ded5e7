// PasswordPolicy: parsing Vault's password policy HCL (sdk/helper/random)
// and generating passwords from it.
//
// Characters are Unicode code points (as Vault's runes): a charset may hold
// "é", and `length` counts code points, not bytes.
#include "core/password/password_policy.h"

#include <cstdint>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "crypto/random.h"
#include "crypto/secure_buffer.h"
#include "hcl/document.h"

namespace coffer::core::password {

namespace {

constexpr int kMinLength = 4;
constexpr int kMaxLength = 100;
// Generation redraws a whole password when a rule's min-chars is not met;
// a satisfiable policy needs a handful of draws, so reaching this bound
// means the rules are (practically) impossible.
constexpr int kMaxAttempts = 10000;
constexpr std::string_view kErrorPrefix = "invalid password policy: ";

Status Error(std::string_view message) {
  return Status::InvalidArgument(std::string(kErrorPrefix) + std::string(message));
}

Status ErrorAt(hcl::Position pos, std::string_view message) {
  return Error(std::to_string(pos.line) + ":" + std::to_string(pos.column) + ": " +
               std::string(message));
}

// DecodeUtf8 splits `text` into code points, refusing malformed UTF-8
// (overlong forms, surrogates, values past U+10FFFF, truncated sequences).
Result<std::vector<char32_t>> DecodeUtf8(std::string_view text) {
  std::vector<char32_t> out;
  size_t i = 0;
  while (i < text.size()) {
    const auto b0 = static_cast<uint8_t>(text[i]);
    size_t extra = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (b0 < 0x80) {
      cp = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
      extra = 1;
      cp = b0 & 0x1F;
      min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
      extra = 2;
      cp = b0 & 0x0F;
      min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
      extra = 3;
      cp = b0 & 0x07;
      min = 0x10000;
    } else {
      return Status::InvalidArgument("invalid UTF-8");
    }
    if (extra > text.size() - i - 1) {
      return Status::InvalidArgument("invalid UTF-8");
    }
    for (size_t k = 1; k <= extra; ++k) {
      const auto b = static_cast<uint8_t>(text[i + k]);
      if ((b & 0xC0) != 0x80) {
        return Status::InvalidArgument("invalid UTF-8");
      }
      cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return Status::InvalidArgument("invalid UTF-8");
    }
    out.push_back(cp);
    i += extra + 1;
  }
  return out;
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// IsPrintable refuses control characters (C0, DEL, C1), as Vault refuses
// non-printable runes: a password is typed, pasted and put in configs.
bool IsPrintable(char32_t cp) { return cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0); }

// Charset is a rule's distinct code points, in first-seen order.
Result<std::vector<char32_t>> Distinct(std::string_view charset) {
  COFFER_ASSIGN_OR_RETURN(std::vector<char32_t> all, DecodeUtf8(charset));
  std::unordered_set<char32_t> seen;
  std::vector<char32_t> out;
  for (char32_t cp : all) {
    if (seen.insert(cp).second) {
      out.push_back(cp);
    }
  }
  return out;
}

Result<CharsetRule> ParseCharsetRule(const hcl::Block& block) {
  CharsetRule rule;
  bool have_charset = false;
  for (const hcl::Item& item : block.body.items) {
    const hcl::Attribute* attribute = item.attribute();
    if (attribute == nullptr) {
      return ErrorAt(item.pos(), "rule \"charset\" takes no block " + hcl::Quote(item.key()));
    }
    if (attribute->key == "charset") {
      if (!attribute->value.is_string()) {
        return ErrorAt(attribute->value.pos(), "charset must be a string");
      }
      Result<std::vector<char32_t>> distinct = Distinct(attribute->value.as_string());
      if (!distinct.ok()) {
        return ErrorAt(attribute->value.pos(), "charset is not valid UTF-8");
      }
      for (char32_t cp : *distinct) {
        if (!IsPrintable(cp)) {
          return ErrorAt(attribute->value.pos(), "non-printable character in charset");
        }
        AppendUtf8(cp, rule.charset);
      }
      have_charset = true;
    } else if (attribute->key == "min-chars") {
      if (!attribute->value.is_int()) {
        return ErrorAt(attribute->value.pos(), "min-chars must be an integer");
      }
      const int64_t min = attribute->value.as_int();
      if (min < 0 || min > kMaxLength) {
        return ErrorAt(attribute->value.pos(), "min-chars must be between 0 and " +
                                                   std::to_string(kMaxLength));
      }
      rule.min_chars = static_cast<int>(min);
    } else {
      return ErrorAt(attribute->pos, "unknown key " + hcl::Quote(attribute->key) +
                                         " in rule \"charset\" (use charset, min-chars)");
    }
  }
  if (!have_charset || rule.charset.empty()) {
    return ErrorAt(block.pos, "rule \"charset\" needs a non-empty charset");
  }
  return rule;
}

// UniformIndex draws indices in [0, n) from the CSPRNG. A 32-bit draw at or
// above the largest multiple of n is rejected rather than reduced, so every
// index is exactly equally likely (no modulo bias).
class UniformIndex {
 public:
  explicit UniformIndex(uint32_t n)
      : n_(n), limit_(static_cast<uint32_t>(kRange - kRange % n - 1)) {}
  ~UniformIndex() { crypto::Wipe(pool_.data(), pool_.size() * sizeof(uint32_t)); }
  UniformIndex(const UniformIndex&) = delete;
  UniformIndex& operator=(const UniformIndex&) = delete;

  Result<uint32_t> Next() {
    while (true) {
      if (next_ == pool_.size()) {
        COFFER_RETURN_IF_ERROR(crypto::RandomBytes(
            std::span<uint8_t>(reinterpret_cast<uint8_t*>(pool_.data()), pool_.size() * 4)));
        next_ = 0;
      }
      const uint32_t draw = pool_[next_];
      pool_[next_] = 0;
      ++next_;
      if (draw <= limit_) {
        return draw % n_;
      }
    }
  }

 private:
  static constexpr uint64_t kRange = uint64_t{1} << 32;
  uint32_t n_;
  uint32_t limit_;  // the largest accepted draw
  std::vector<uint32_t> pool_ = std::vector<uint32_t>(256);
  size_t next_ = 256;
};

}  // namespace

Result<PasswordPolicy> PasswordPolicy::Parse(std::string_view text) {
  Result<hcl::Body> body = hcl::ParseDocument(text, "", hcl::BlockSchema{{"rule", 1}});
  if (!body.ok()) {
    std::string_view message = body.status().message();
    if (!message.empty() && message.front() == ':') {
      message.remove_prefix(1);
    }
    return Error(message);
  }

  PasswordPolicy policy;
  bool have_length = false;
  for (const hcl::Item& item : body->items) {
    if (const hcl::Attribute* attribute = item.attribute()) {
      if (attribute->key != "length") {
        return ErrorAt(attribute->pos, "unknown key " + hcl::Quote(attribute->key) +
                                           " (use length and rule blocks)");
      }
      if (!attribute->value.is_int()) {
        return ErrorAt(attribute->value.pos(), "length must be an integer");
      }
      const int64_t length = attribute->value.as_int();
      if (length < kMinLength || length > kMaxLength) {
        return ErrorAt(attribute->value.pos(), "passwords must be between " +
                                                   std::to_string(kMinLength) + " and " +
                                                   std::to_string(kMaxLength) + " characters");
      }
      policy.length = static_cast<int>(length);
      have_length = true;
      continue;
    }
    const hcl::Block* block = item.block();
    if (block->type != "rule") {
      return ErrorAt(block->pos, "unknown block " + hcl::Quote(block->type) + " (use rule)");
    }
    if (block->labels.size() != 1) {
      return ErrorAt(block->pos, "a rule takes one label, its type (rule \"charset\")");
    }
    if (block->labels[0].value != "charset") {
      return ErrorAt(block->labels[0].pos,
                     "unrecognized rule type " + hcl::Quote(block->labels[0].value));
    }
    COFFER_ASSIGN_OR_RETURN(CharsetRule rule, ParseCharsetRule(*block));
    policy.rules.push_back(std::move(rule));
  }

  if (!have_length) {
    return Error("length is required");
  }
  if (policy.rules.empty()) {
    return Error("at least one rule \"charset\" is required");
  }
  int64_t required = 0;
  for (const CharsetRule& rule : policy.rules) {
    required += rule.min_chars;
  }
  if (required > policy.length) {
    return Error("the rules require at least " + std::to_string(required) +
                 " characters but length is " + std::to_string(policy.length));
  }
  return policy;
}

PasswordPolicy PasswordPolicy::Default() {
  PasswordPolicy policy;
  policy.length = 20;
  policy.rules = {{"abcdefghijklmnopqrstuvwxyz", 1},
                  {"ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1},
                  {"0123456789", 1}};
  return policy;
}

Result<std::string> PasswordPolicy::Generate() const {
  if (length <= 0 || length > kMaxLength || rules.empty()) {
    return Status::InvalidArgument("password policy has no length or no rules");
  }
  // The union of the rules' charsets, and for each rule which of the
  // union's characters it counts.
  std::vector<char32_t> alphabet;
  std::vector<std::vector<bool>> counted_by(rules.size());
  {
    std::vector<std::vector<char32_t>> sets;
    std::unordered_set<char32_t> seen;
    for (const CharsetRule& rule : rules) {
      COFFER_ASSIGN_OR_RETURN(std::vector<char32_t> set, Distinct(rule.charset));
      for (char32_t cp : set) {
        if (seen.insert(cp).second) {
          alphabet.push_back(cp);
        }
      }
      sets.push_back(std::move(set));
    }
    for (size_t r = 0; r < rules.size(); ++r) {
      std::unordered_set<char32_t> members(sets[r].begin(), sets[r].end());
      counted_by[r].resize(alphabet.size());
      for (size_t i = 0; i < alphabet.size(); ++i) {
        counted_by[r][i] = members.count(alphabet[i]) != 0;
      }
    }
  }
  if (alphabet.empty() || alphabet.size() > UINT32_MAX) {
    return Status::InvalidArgument("password policy has an empty charset");
  }

  UniformIndex draw(static_cast<uint32_t>(alphabet.size()));
  std::vector<uint32_t> picks(static_cast<size_t>(length));
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    for (uint32_t& pick : picks) {
      Result<uint32_t> index = draw.Next();
      if (!index.ok()) {
        crypto::Wipe(picks.data(), picks.size() * sizeof(uint32_t));
        return index.status();
      }
      pick = *index;
    }
    bool satisfied = true;
    for (size_t r = 0; r < rules.size() && satisfied; ++r) {
      int count = 0;
      for (uint32_t pick : picks) {
        count += counted_by[r][pick] ? 1 : 0;
      }
      satisfied = count >= rules[r].min_chars;
    }
    if (satisfied) {
      std::string password;
      password.reserve(picks.size() * 4);
      for (uint32_t pick : picks) {
        AppendUtf8(alphabet[pick], password);
      }
      crypto::Wipe(picks.data(), picks.size() * sizeof(uint32_t));
      return password;
    }
  }
  crypto::Wipe(picks.data(), picks.size() * sizeof(uint32_t));
  return Status::Internal("unable to generate a password meeting the policy in " +
                          std::to_string(kMaxAttempts) + " attempts: are the rules impossible?");
}

}  // namespace coffer::core::password
