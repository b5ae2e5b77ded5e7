#include "audit/chain.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/encoding.h"
#include "crypto/hash.h"

namespace coffer::audit {
namespace {

using nlohmann::json;

constexpr int64_t kTime = 1521685446945319214LL;

crypto::SecureBuffer Key() {
  return crypto::SecureBuffer::FromBytes("checkpoint key 0123456789abcdef");
}

std::string Request(Format format, int i) {
  return FormatEntry({{"type", "request"}, {"request", {{"path", "secret/" + std::to_string(i)}}}},
                     format);
}

class ChainTest : public ::testing::TestWithParam<Format> {};

TEST_P(ChainTest, StartWritesAGenesisLineAtSeqZero) {
  Chain chain(GetParam(), "pfx ", Key());
  EXPECT_FALSE(chain.started());
  auto genesis = chain.Start("/var/log/audit.log", kTime);
  ASSERT_TRUE(genesis.ok()) << genesis.status().ToString();
  EXPECT_TRUE(chain.started());
  EXPECT_EQ(chain.next_seq(), 1u);
  EXPECT_EQ(genesis->rfind("pfx ", 0), 0u);
  EXPECT_EQ(genesis->find('\n'), std::string::npos);
  auto parsed = ParseLine(*genesis);
  ASSERT_TRUE(parsed.has_value()) << *genesis;
  EXPECT_EQ(parsed->type, "genesis");
  EXPECT_EQ(parsed->link.seq, 0u);
  EXPECT_EQ(parsed->link.prev, parsed->genesis);
  EXPECT_NE(genesis->find("/var/log/audit.log"), std::string::npos);
  EXPECT_NE(genesis->find("2018-03-22T02:24:06.945319214Z"), std::string::npos);
}

TEST_P(ChainTest, GenesisValuesAreRandom) {
  Chain a(GetParam(), "", Key());
  Chain b(GetParam(), "", Key());
  auto ga = ParseLine(*a.Start("d", kTime));
  auto gb = ParseLine(*b.Start("d", kTime));
  ASSERT_TRUE(ga && gb);
  EXPECT_NE(ga->genesis, gb->genesis);
}

TEST_P(ChainTest, EachLineCarriesTheHashOfTheLineBefore) {
  Chain chain(GetParam(), "", Key());
  std::string previous = *chain.Start("d", kTime);
  for (int i = 1; i <= 5; ++i) {
    const std::string line = chain.Link(Request(GetParam(), i));
    auto parsed = ParseLine(line);
    ASSERT_TRUE(parsed.has_value()) << line;
    EXPECT_EQ(parsed->link.seq, static_cast<uint64_t>(i));
    EXPECT_EQ(parsed->link.prev, HexEncode(crypto::Sha256(previous)));
    EXPECT_EQ(parsed->type, "request");
    previous = line;
  }
  EXPECT_EQ(chain.next_seq(), 6u);
}

TEST_P(ChainTest, ResumeContinuesAfterTheLastLine) {
  Chain first(GetParam(), "", Key());
  (void)*first.Start("d", kTime);
  std::string last;
  for (int i = 1; i <= 3; ++i) {
    last = first.Link(Request(GetParam(), i));
  }
  Chain second(GetParam(), "", Key());
  ASSERT_TRUE(second.Resume(last + "\n"));  // a trailing newline is ignored
  EXPECT_TRUE(second.started());
  EXPECT_EQ(second.next_seq(), 4u);
  auto parsed = ParseLine(second.Link(Request(GetParam(), 4)));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->link.seq, 4u);
  EXPECT_EQ(parsed->link.prev, HexEncode(crypto::Sha256(last)));
}

TEST_P(ChainTest, ResumeRefusesALineWithoutAChain) {
  Chain chain(GetParam(), "", Key());
  EXPECT_FALSE(chain.Resume(""));
  EXPECT_FALSE(chain.Resume(Request(GetParam(), 1)));
  EXPECT_FALSE(chain.started());
  EXPECT_EQ(chain.next_seq(), 0u);
}

TEST_P(ChainTest, CheckpointMacsItsOwnSeqAndPrev) {
  Chain chain(GetParam(), "", Key());
  ASSERT_TRUE(chain.has_checkpoint_key());
  (void)*chain.Start("d", kTime);
  const std::string before = chain.Link(Request(GetParam(), 1));
  const std::string line = chain.Checkpoint(kTime);
  auto parsed = ParseLine(line);
  ASSERT_TRUE(parsed.has_value()) << line;
  EXPECT_EQ(parsed->type, "checkpoint");
  EXPECT_EQ(parsed->link.seq, 2u);
  EXPECT_EQ(parsed->link.prev, HexEncode(crypto::Sha256(before)));
  const crypto::SecureBuffer key = Key();
  EXPECT_EQ(parsed->hmac,
            HexEncode(crypto::HmacSha256(key, CheckpointMessage(2, parsed->link.prev))));
  EXPECT_EQ(chain.next_seq(), 3u);
}

// LinkInto writes into the batch buffer what Link returns, and leaves the
// chain where Link leaves it (the next line links to the same hash).
TEST_P(ChainTest, LinkIntoAppendsTheLineLinkReturns) {
  Chain returned(GetParam(), "pfx ", Key());
  std::string previous = *returned.Start("d", kTime);
  Chain appended(GetParam(), "pfx ", Key());
  ASSERT_TRUE(appended.Resume(previous));
  std::string batch = "earlier lines\n";
  for (int i = 1; i <= 3; ++i) {
    const std::string line = returned.Link(Request(GetParam(), i));
    const size_t begin = batch.size();
    appended.LinkInto(&batch, Request(GetParam(), i));
    EXPECT_EQ(batch.substr(begin), line);
    batch += '\n';
  }
  EXPECT_EQ(appended.next_seq(), returned.next_seq());
  EXPECT_EQ(appended.Checkpoint(kTime), returned.Checkpoint(kTime));
}

INSTANTIATE_TEST_SUITE_P(Formats, ChainTest, ::testing::Values(Format::kJson, Format::kJsonx),
                         [](const auto& info) {
                           return info.param == Format::kJson ? std::string("Json")
                                                              : std::string("Jsonx");
                         });

TEST(CheckpointMessageTest, IsVersionSeqAndPrevOnLines) {
  EXPECT_EQ(CheckpointMessage(42, "ab"), "coffer-audit-checkpoint-v1\n42\nab");
}

TEST(ChainKeyTest, NoKeyMeansNoCheckpoints) {
  Chain chain(Format::kJson, "", crypto::SecureBuffer());
  EXPECT_FALSE(chain.has_checkpoint_key());
}

}  // namespace
}  // namespace coffer::audit
