// AppendCompactJson must write exactly what nlohmann's compact dump writes:
// audit lines are hashed into the chain byte for byte, and `audit verify`
// and every reader parse them.
#include "base/compact_json.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <string>

namespace coffer {
namespace {

using nlohmann::json;

std::string Reference(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string Compact(const json& j) {
  std::string out;
  AppendCompactJson(&out, j);
  return out;
}

TEST(CompactJson, MatchesNlohmannOnAuditShapedEntries) {
  json entry = {
      {"time", "2026-11-23T20:22:55.123456789Z"},
      {"type", "response"},
      {"auth", {{"client_token", "hmac-sha256:00ff"}, {"policies", {"a", "b", "default"}},
                {"metadata", nullptr}, {"token_ttl", 2764800}, {"renewable", true}}},
      {"request", {{"path", "secret/data/app"}, {"data", json::object()}, {"wrap_ttl", 0}}},
      {"response", {{"data", {{"n", -42}, {"big", 18446744073709551615ULL}, {"f", 1.5},
                              {"list", json::array()}, {"deleted", false}}}}}};
  EXPECT_EQ(Compact(entry), Reference(entry));
}

TEST(CompactJson, EscapesLikeNlohmann) {
  for (const std::string& s :
       {std::string("plain"), std::string(""), std::string("quote\" back\\slash"),
        std::string("\b\f\n\r\t"), std::string("\x01\x1f\x7f", 3), std::string("nul\0in", 6),
        std::string("caf\xc3\xa9 \xe2\x82\xac"), std::string("bad \xff\xfe utf8"),
        std::string("</script>")}) {
    json j = {{s, s}, {"arr", {s, s}}};
    EXPECT_EQ(Compact(j), Reference(j)) << s;
  }
}

// Plain runs are tested 8 bytes at a time: a byte that needs escaping (or
// is not ASCII) is found at every offset of every length around a chunk,
// after text already written to the same buffer, in a document and by
// AppendJsonString alone.
TEST(CompactJson, EscapesAtEveryOffset) {
  const std::string specials("\"\\\n\x01\x1f\x7f \x80\xc3\xff", 11);
  for (size_t length = 1; length <= 26; ++length) {
    for (size_t at = 0; at < length; ++at) {
      for (char special : specials) {
        std::string s(length, 'k');
        s[at] = special;
        json j = {{"before", "x\ty"}, {"value", s}};
        EXPECT_EQ(Compact(j), Reference(j)) << "length " << length << " at " << at << " byte "
                                            << static_cast<int>(static_cast<unsigned char>(special));
        std::string alone = "prefix";
        AppendJsonString(&alone, s);
        EXPECT_EQ(alone, "prefix" + Reference(json(s)));
      }
    }
  }
}

TEST(CompactJson, MatchesNlohmannOnRandomDocuments) {
  std::mt19937 rng(7);
  auto random_string = [&] {
    std::string s(rng() % 12, ' ');
    for (char& c : s) {
      c = static_cast<char>(rng() % 4 == 0 ? rng() % 256 : 'a' + rng() % 26);
    }
    return s;
  };
  std::function<json(int)> random_value = [&](int depth) -> json {
    switch (depth > 3 ? rng() % 5 : rng() % 7) {
      case 0: return random_string();
      case 1: return static_cast<int64_t>(rng()) - (1LL << 31);
      case 2: return rng() % 2 == 0;
      case 3: return nullptr;
      case 4: return static_cast<double>(rng()) / 7.0;
      case 5: {
        json a = json::array();
        for (unsigned i = rng() % 4; i > 0; --i) a.push_back(random_value(depth + 1));
        return a;
      }
      default: {
        json o = json::object();
        for (unsigned i = rng() % 4; i > 0; --i) o[random_string()] = random_value(depth + 1);
        return o;
      }
    }
  };
  // A rewriter of string values gives what rewriting a copy would.
  struct Tag : StringValueRewriter {
    const std::string& Rewrite(const std::string& value, std::string* scratch) const override {
      if (value.size() % 2 == 0) {
        return value;  // unchanged, written from the document itself
      }
      *scratch = "<" + value + ">";
      return *scratch;
    }
  };
  std::function<void(json&)> tag_copy = [&](json& v) {
    if (v.is_string()) {
      std::string scratch;
      v = Tag().Rewrite(v.get<std::string>(), &scratch);
    } else if (v.is_object() || v.is_array()) {
      for (auto& child : v) tag_copy(child);
    }
  };
  for (int i = 0; i < 2000; ++i) {
    json j = random_value(0);
    ASSERT_EQ(Compact(j), Reference(j)) << i;
    json copy = j;
    tag_copy(copy);
    std::string rewritten;
    AppendCompactJson(&rewritten, j, Tag());
    ASSERT_EQ(rewritten, Reference(copy)) << i;
  }
}

}  // namespace
}  // namespace coffer
