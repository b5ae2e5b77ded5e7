// Many policies and rules: the compiled Acl gives the same answers as
// Vault's algorithm run rule by rule (ReferenceAcl), for a large ACL and for
// random mixes of globs and '+' segments. No timing is asserted; bench/
// measures speed.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "core/policy/capabilities.h"
#include "policy_testing.h"
#include "reference_acl.h"

namespace coffer::core::policy {
namespace {

using core::Operation;
using testing::ReferenceAcl;

std::string RuleText(const std::string& pattern, const std::string& capabilities) {
  return "path \"" + pattern + "\" {\n  capabilities = [" + capabilities + "]\n}\n";
}

uint32_t ReadCapabilities(const Acl& acl, const std::string& path) {
  AccessRequest request;
  request.operation = Operation::kRead;
  request.path = path;
  return acl.Evaluate(request).capabilities;
}

TEST(AclScale, ThousandPoliciesOfTwentyRulesAnswerCorrectly) {
  constexpr int kPolicies = 1000;
  constexpr int kRulesPerPolicy = 20;
  std::vector<Policy> policies;
  ReferenceAcl reference;
  for (int p = 0; p < kPolicies; ++p) {
    std::string app = "app-" + std::to_string(p);
    std::string text;
    auto add = [&](const std::string& pattern, const std::string& names, uint32_t flags) {
      text += RuleText(pattern, names);
      reference.Add(pattern, flags);
    };
    for (int r = 0; r < kRulesPerPolicy; ++r) {
      std::string n = std::to_string(r);
      switch (r % 5) {
        case 0: add("apps/" + app + "/secret-" + n, "\"read\"", kRead); break;
        case 1: add("apps/" + app + "/dir-" + n + "/*", "\"list\", \"read\"", kList | kRead); break;
        case 2: add("teams/+/" + app + "/cfg-" + n, "\"update\"", kUpdate); break;
        case 3:
          // The same pattern in every policy: merged into one rule, with
          // one policy's deny winning for "shared/common-8".
          if (r == 8 && p == 500) {
            add("shared/common-" + n, "\"deny\"", kDeny);
          } else {
            add("shared/common-" + n, p % 2 == 0 ? "\"read\"" : "\"list\"", p % 2 == 0 ? kRead : kList);
          }
          break;
        case 4: add("apps/" + app + "/+/item-" + n + "*", "\"delete\"", kDelete); break;
      }
    }
    policies.push_back(testing::Parse(text, "policy-" + std::to_string(p)));
  }
  Result<std::shared_ptr<const Acl>> compiled = Acl::Compile(policies);
  ASSERT_TRUE(compiled.ok()) << compiled.status().ToString();
  const Acl& acl = **compiled;
  EXPECT_EQ(acl.rule_count(), size_t{kPolicies} * 16 + 4);

  // Answers known by construction.
  EXPECT_EQ(ReadCapabilities(acl, "apps/app-777/secret-10"), kRead);
  EXPECT_EQ(ReadCapabilities(acl, "apps/app-777/secret-11"), 0u);
  EXPECT_EQ(ReadCapabilities(acl, "apps/app-3/dir-6/deep/er"), kList | kRead);
  EXPECT_EQ(ReadCapabilities(acl, "teams/blue/app-999/cfg-17"), kUpdate);
  EXPECT_EQ(ReadCapabilities(acl, "teams/blue/app-999/cfg-18"), 0u);
  EXPECT_EQ(ReadCapabilities(acl, "shared/common-3"), kRead | kList);
  EXPECT_EQ(ReadCapabilities(acl, "shared/common-8"), kDeny);
  EXPECT_EQ(ReadCapabilities(acl, "apps/app-42/x/item-4-and-more"), kDelete);
  EXPECT_EQ(ReadCapabilities(acl, "apps/app-42/secret-4"), 0u);
  EXPECT_FALSE(testing::CanRead(acl, "shared/common-8"));
  EXPECT_TRUE(testing::CanRead(acl, "apps/app-0/secret-0"));

  // And agreement with the rule-by-rule reference on a sample of paths.
  std::mt19937 random(1234);
  const std::vector<std::string> tails = {"secret-5", "dir-1/x", "dir-1", "x/item-9", "x/item-4z",
                                          "secret-15", "y/item-14/deep"};
  for (int i = 0; i < 300; ++i) {
    std::string app = "app-" + std::to_string(random() % (kPolicies + 5));
    std::string path;
    switch (random() % 3) {
      case 0: path = "apps/" + app + "/" + tails[random() % tails.size()]; break;
      case 1: path = "teams/t" + std::to_string(random() % 3) + "/" + app + "/cfg-" + std::to_string(random() % 20); break;
      case 2: path = "shared/common-" + std::to_string(random() % 20); break;
    }
    EXPECT_EQ(ReadCapabilities(acl, path), reference.Lookup(path, false)) << path;
  }
}

// RandomPattern draws a pattern from a small alphabet so that patterns
// overlap a lot: literal segments, '+' segments, and globs that end
// part-way into a segment or after a '/'.
std::string RandomPattern(std::mt19937& random) {
  static const std::vector<std::string> kSegments = {"a", "b", "ab", "ba", "c"};
  int depth = 1 + static_cast<int>(random() % 4);
  std::string pattern;
  for (int i = 0; i < depth; ++i) {
    if (i > 0) {
      pattern += '/';
    }
    pattern += random() % 3 == 0 ? "+" : kSegments[random() % kSegments.size()];
  }
  switch (random() % 4) {
    case 0:
      if (pattern.back() == '+') {
        pattern += '/';  // "+*" is not allowed
      } else {
        pattern.pop_back();  // glob part-way into the last segment
        if (pattern.empty() || pattern.back() == '+') {
          pattern += 'a';
        }
      }
      pattern += '*';
      break;
    case 1: pattern += "/*"; break;
    default: break;
  }
  return pattern;
}

std::string RandomPath(std::mt19937& random) {
  static const std::vector<std::string> kSegments = {"a", "b", "ab", "ba", "c", "abc", ""};
  int depth = 1 + static_cast<int>(random() % 5);
  std::string path;
  for (int i = 0; i < depth; ++i) {
    if (i > 0) {
      path += '/';
    }
    path += kSegments[random() % kSegments.size()];
  }
  if (random() % 4 == 0) {
    path += '/';
  }
  return path;
}

TEST(AclScale, RandomPatternMixesAgreeWithVaultsAlgorithm) {
  std::mt19937 random(20240601);
  const std::vector<std::pair<const char*, uint32_t>> kGrants = {
      {"\"read\"", kRead}, {"\"list\"", kList}, {"\"update\"", kUpdate}, {"\"deny\"", kDeny},
      {"\"create\", \"sudo\"", kCreate | kSudo}};
  for (int round = 0; round < 50; ++round) {
    ReferenceAcl reference;
    std::vector<std::string> texts(3);
    int rules = 5 + static_cast<int>(random() % 40);
    for (int r = 0; r < rules; ++r) {
      std::string pattern = RandomPattern(random);
      const auto& [names, flags] = kGrants[random() % kGrants.size()];
      texts[random() % texts.size()] += RuleText(pattern, names);
      reference.Add(pattern, flags);
    }
    auto acl = testing::CompileTexts(texts);
    ASSERT_NE(acl, nullptr);
    for (int i = 0; i < 200; ++i) {
      std::string path = RandomPath(random);
      ASSERT_EQ(ReadCapabilities(*acl, path), reference.Lookup(path, false))
          << "read " << path << "\npolicies:\n" << texts[0] << texts[1] << texts[2];
      ASSERT_EQ(acl->Capabilities(path), reference.Lookup(path, true))
          << "list " << path << "\npolicies:\n" << texts[0] << texts[1] << texts[2];
    }
  }
}

}  // namespace
}  // namespace coffer::core::policy
