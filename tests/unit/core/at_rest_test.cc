// Writes unique markers through the barrier onto LMDB, closes everything,
// then reads every byte of every file in the data directory: no marker, no
// root token and no unseal key share may appear in any form.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "base/encoding.h"
#include "core/core.h"
#include "crypto/random.h"
#include "storage/backend.h"

namespace coffer::core {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(AtRestTest, NoPlaintextSecretTokenOrShareReachesTheDataDirectory) {
  fs::path dir = fs::temp_directory_path() / ("coffer-at-rest-" + *crypto::RandomUuid());
  std::vector<std::string> needles;
  {
    auto physical = storage::OpenBackend("lmdb", {{"path", dir.string()}});
    ASSERT_TRUE(physical.ok()) << physical.status().ToString();
    auto core = Core::Open(**physical, {});
    ASSERT_TRUE(core.ok());
    SealConfig config;
    config.secret_shares = 5;
    config.secret_threshold = 3;
    auto init = (*core)->Initialize(config);
    ASSERT_TRUE(init.ok()) << init.status().ToString();
    for (int i = 0; i < 3; ++i) {
      auto share = HexDecode(init->keys_hex[i]);
      ASSERT_TRUE((*core)->SubmitUnsealKey(crypto::SecureBuffer::FromBytes(*share)).ok());
    }
    ASSERT_FALSE((*core)->sealed());

    for (int i = 0; i < 50; ++i) {
      std::string marker = "AT-REST-MARKER-" + *crypto::RandomUuid();
      std::string key = (i % 2 == 0 ? "sys/markers/" : "logical/0b5e6f2a/markers/") +
                        std::to_string(i);
      ASSERT_TRUE((*core)->barrier().Put(key, marker).ok());
      needles.push_back(marker);
    }
    needles.push_back("AT-REST-MARKER");
    needles.push_back(init->root_token);
    needles.push_back(init->root_token.substr(4));
    for (size_t i = 0; i < init->keys_hex.size(); ++i) {
      needles.push_back(init->keys_hex[i]);
      needles.push_back(init->keys_base64[i]);
      needles.push_back(*HexDecode(init->keys_hex[i]));
    }
  }

  size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) {
      continue;
    }
    ++files;
    std::string bytes = ReadAll(entry.path());
    for (const std::string& needle : needles) {
      EXPECT_EQ(bytes.find(needle), std::string::npos)
          << "found a plaintext secret in " << entry.path();
    }
  }
  EXPECT_GT(files, 0u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace coffer::core
