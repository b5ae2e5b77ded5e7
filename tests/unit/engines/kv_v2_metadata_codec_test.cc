// The stored form of KV v2 key metadata. EncodeKeyMetadata writes it
// directly; these tests hold it to the bytes the json DOM it replaced
// wrote (so stored values keep their exact form), and hold decoding to
// give the encoded metadata back, which the metadata cache's write-through
// relies on.
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engines/engine_harness.h"
#include "engines/kv/v2/key_metadata.h"

namespace coffer::engines::testing {
namespace {

using kv::KeyMetadata;
using kv::VersionMetadata;
using nlohmann::json;

// The encoder this replaced, kept here only as the reference.
json ReferenceOptionalTime(const std::optional<int64_t>& t) {
  return t ? json(*t) : json(nullptr);
}

std::string ReferenceEncoding(const KeyMetadata& meta) {
  json versions = json::object();
  for (const auto& [number, vm] : meta.versions) {
    versions[std::to_string(number)] = {
        {"created_time", vm.created_ns},
        {"deletion_time", ReferenceOptionalTime(vm.deletion_ns)},
        {"destroyed", vm.destroyed},
    };
  }
  json stored = {
      {"versions", std::move(versions)},
      {"current_version", meta.current_version},
      {"oldest_version", meta.oldest_version},
      {"max_versions", meta.max_versions},
      {"cas_required", meta.cas_required},
      {"delete_version_after", meta.delete_version_after},
      {"custom_metadata", meta.custom_metadata},
      {"created_time", ReferenceOptionalTime(meta.created_ns)},
      {"updated_time", ReferenceOptionalTime(meta.updated_ns)},
  };
  return stored.dump();
}

constexpr int64_t kMaxInt = std::numeric_limits<int64_t>::max();
constexpr int64_t kMinInt = std::numeric_limits<int64_t>::min();
constexpr uint64_t kMaxUint = std::numeric_limits<uint64_t>::max();

// Shapes chosen by hand: every member at its edges.
std::vector<KeyMetadata> HandPickedShapes() {
  std::vector<KeyMetadata> shapes;
  shapes.push_back(KeyMetadata{.key = "empty"});

  KeyMetadata one{.key = "one"};
  one.AddVersion(1521685446945319214, std::nullopt, 0);
  shapes.push_back(one);

  // Versions 5..16: their names cross a digit boundary, so string order
  // ("10" < "5") differs from number order.
  KeyMetadata window{.key = "folder/window"};
  for (int64_t t = 1; t <= 16; ++t) {
    window.AddVersion(t * 1000, t % 3 == 0 ? std::optional<int64_t>(t * 2000) : std::nullopt, 12);
  }
  window.versions.at(7).destroyed = true;
  window.versions.at(9).deletion_ns = 0;
  shapes.push_back(window);

  KeyMetadata settings{.key = "settings"};
  settings.max_versions = std::numeric_limits<uint32_t>::max();
  settings.cas_required = true;
  settings.delete_version_after = 3600;
  settings.created_ns = 0;
  settings.updated_ns = -1;
  shapes.push_back(settings);

  KeyMetadata extremes{.key = "extremes"};
  extremes.current_version = kMaxUint;
  extremes.oldest_version = kMaxUint - 1;
  extremes.delete_version_after = kMinInt;
  extremes.created_ns = kMinInt;
  extremes.updated_ns = kMaxInt;
  extremes.versions[kMaxUint] = VersionMetadata{kMaxInt, kMinInt, true};
  extremes.versions[0] = VersionMetadata{kMinInt, kMaxInt, false};
  extremes.versions[100] = VersionMetadata{-5, std::nullopt, true};
  shapes.push_back(extremes);

  KeyMetadata custom{.key = "custom"};
  custom.AddVersion(42, 43, 0);
  custom.custom_metadata = {
      {"owner", "ops"},
      {"quote\"and\\backslash", "slash/ and \"quotes\""},
      {"controls", std::string("\b\f\n\r\t\x01\x1f", 7)},
      {"del", "\x7f"},
      {"unicode", "gr\xc3\xbc\xc3\x9f \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x94\x91"},
      {"mixed \xc3\xa9\n", "tab\there \xc3\xa9"},
      {"Upper", "sorts before lower"},
      {"", "empty key"},
  };
  shapes.push_back(custom);
  return shapes;
}

std::string RandomString(std::mt19937_64& rng) {
  static const std::vector<std::string> kPieces = {
      "a", "Z", "0", " ", "\"", "\\", "/", "\n", "\x02", "\x7f", "\xc3\xa9", "\xe2\x82\xac", "-"};
  std::string s;
  for (size_t n = rng() % 6; n > 0; --n) {
    s += kPieces[rng() % kPieces.size()];
  }
  return s;
}

std::optional<int64_t> RandomTime(std::mt19937_64& rng) {
  switch (rng() % 4) {
    case 0: return std::nullopt;
    case 1: return static_cast<int64_t>(rng());
    case 2: return -static_cast<int64_t>(rng() % 1000);
    default: return 1521685446945319214 + static_cast<int64_t>(rng() % 1'000'000'000);
  }
}

// Shapes drawn at random (a fixed seed, so failures repeat).
std::vector<KeyMetadata> RandomShapes(size_t count) {
  std::mt19937_64 rng(20261124);
  std::vector<KeyMetadata> shapes;
  for (size_t i = 0; i < count; ++i) {
    KeyMetadata meta{.key = "random/" + std::to_string(i)};
    meta.max_versions = static_cast<uint32_t>(rng() % 3 == 0 ? rng() : rng() % 20);
    meta.cas_required = rng() % 2 == 0;
    meta.delete_version_after = static_cast<int64_t>(rng() % 100000) - 10;
    uint64_t first = rng() % 3 == 0 ? rng() % 1'000'000 : 1;
    size_t versions = rng() % 25;
    for (size_t v = 0; v < versions; ++v) {
      meta.versions[first + v] =
          VersionMetadata{RandomTime(rng).value_or(0), RandomTime(rng), rng() % 4 == 0};
    }
    meta.current_version = first + versions;
    meta.oldest_version = first;
    for (size_t n = rng() % 5; n > 0; --n) {
      meta.custom_metadata[RandomString(rng)] = RandomString(rng);
    }
    meta.created_ns = RandomTime(rng);
    meta.updated_ns = RandomTime(rng);
    shapes.push_back(std::move(meta));
  }
  return shapes;
}

std::vector<KeyMetadata> AllShapes() {
  std::vector<KeyMetadata> shapes = HandPickedShapes();
  for (KeyMetadata& meta : RandomShapes(500)) {
    shapes.push_back(std::move(meta));
  }
  return shapes;
}

TEST(KvV2MetadataCodecTest, EncodingIsByteIdenticalToTheJsonDomDump) {
  for (const KeyMetadata& meta : AllShapes()) {
    Result<std::string> encoded = kv::EncodeKeyMetadata(meta);
    ASSERT_TRUE(encoded.ok()) << meta.key << ": " << encoded.status().ToString();
    EXPECT_EQ(*encoded, ReferenceEncoding(meta)) << meta.key;
  }
}

TEST(KvV2MetadataCodecTest, DecodingTheEncodingGivesTheMetadataBack) {
  for (const KeyMetadata& meta : AllShapes()) {
    Result<std::string> encoded = kv::EncodeKeyMetadata(meta);
    ASSERT_TRUE(encoded.ok()) << meta.key;
    Result<KeyMetadata> decoded = kv::DecodeKeyMetadata(*encoded, meta.key);
    ASSERT_TRUE(decoded.ok()) << meta.key << ": " << decoded.status().ToString();
    EXPECT_EQ(*decoded, meta) << meta.key << " from " << *encoded;
  }
}

TEST(KvV2MetadataCodecTest, CustomMetadataNotValidUtf8IsAnError) {
  KeyMetadata meta{.key = "app"};
  meta.custom_metadata["owner"] = "\xff\xfe";
  EXPECT_EQ(CodeOf(kv::EncodeKeyMetadata(meta)), Code::kInvalidArgument);
  meta.custom_metadata = {{"\xc3", "truncated"}};
  EXPECT_EQ(CodeOf(kv::EncodeKeyMetadata(meta)), Code::kInvalidArgument);
}

TEST(KvV2MetadataCodecTest, DecodingDamagedBytesIsCorruption) {
  EXPECT_EQ(CodeOf(kv::DecodeKeyMetadata("{not json", "app")), Code::kCorruption);
  EXPECT_EQ(CodeOf(kv::DecodeKeyMetadata("[]", "app")), Code::kCorruption);
  EXPECT_EQ(CodeOf(kv::DecodeKeyMetadata(R"({"versions":{"x":{}}})", "app")), Code::kCorruption);
}

}  // namespace
}  // namespace coffer::engines::testing
