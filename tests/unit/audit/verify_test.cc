#include "audit/verify.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "audit/chain.h"
#include "base/encoding.h"
#include "base/time_format.h"
#include "crypto/hash.h"

namespace coffer::audit {
namespace {

using nlohmann::json;
using Lines = std::vector<std::string>;

constexpr int64_t kTime = 1521685446945319214LL;

crypto::SecureBuffer Key() { return crypto::SecureBuffer::FromBytes("verify test key"); }

std::string Request(Format format, int i) {
  // The nested "type" is there to show only the top-level one counts.
  return FormatEntry({{"type", "request"},
                      {"time", FormatRfc3339Nano(kTime + i)},
                      {"request", {{"path", "secret/item" + std::to_string(i)},
                                   {"data", {{"type", "hmac-sha256:abc"}}}}}},
                     format);
}

// NewLog starts a chain and links `count - 1` request lines after the
// genesis line.
Lines NewLog(Chain& chain, Format format, int count) {
  Lines lines = {*chain.Start("file", kTime)};
  for (int i = 1; i < count; ++i) {
    lines.push_back(chain.Link(Request(format, i)));
  }
  return lines;
}

class VerifyTest : public ::testing::TestWithParam<Format> {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "coffer-verify-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string Write(const std::string& name, const Lines& lines, bool final_newline = true) {
    const std::string path = (dir_ / name).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (size_t i = 0; i < lines.size(); ++i) {
      out << lines[i];
      if (i + 1 < lines.size() || final_newline) {
        out << '\n';
      }
    }
    return path;
  }

  VerifyReport Verify(const std::vector<std::string>& files, VerifyOptions options = {}) {
    auto report = VerifyFiles(files, options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : VerifyReport{};
  }

  Format format() const { return GetParam(); }

  // Log20 is a fresh chain of 20 lines (genesis + 19 requests).
  Lines Log20() {
    Chain chain(format(), "", Key());
    return NewLog(chain, format(), 20);
  }

  std::filesystem::path dir_;
};

// EditOneCharacter changes one character of the request path's value.
void EditOneCharacter(std::string* line) {
  const size_t at = line->find("secret/item");
  ASSERT_NE(at, std::string::npos) << *line;
  (*line)[at + 7] = 'I';
}

TEST_P(VerifyTest, IntactChainVerifies) {
  const std::string path = Write("audit.log", Log20());
  const VerifyReport report = Verify({path});
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, 20u);
  EXPECT_EQ(report.chains, 1u);
  EXPECT_TRUE(report.checkpoints.empty());
}

TEST_P(VerifyTest, LastLineWithoutNewlineVerifies) {
  const VerifyReport report = Verify({Write("audit.log", Log20(), /*final_newline=*/false)});
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, 20u);
}

TEST_P(VerifyTest, PrefixedLinesVerify) {
  Chain chain(format(), "audit: {x} ", Key());
  const VerifyReport report = Verify({Write("audit.log", NewLog(chain, format(), 10))});
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, 10u);
}

TEST_P(VerifyTest, DeletedLineIsNamedWhereItWas) {
  Lines lines = Log20();
  lines.erase(lines.begin() + 9);  // line 10, seq 9
  const VerifyReport report = Verify({Write("audit.log", lines)});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.line, 10u);
  EXPECT_EQ(report.problem,
            "line 10: entry 9 is missing: lines were removed before line 10");
  EXPECT_EQ(report.entries, 9u);
}

TEST_P(VerifyTest, SeveralDeletedLinesAreNamedAsARange) {
  Lines lines = Log20();
  lines.erase(lines.begin() + 9, lines.begin() + 12);  // seq 9, 10, 11
  const VerifyReport report = Verify({Write("audit.log", lines)});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.line, 10u);
  EXPECT_EQ(report.problem,
            "line 10: entries 9..11 are missing: lines were removed before line 10");
}

TEST_P(VerifyTest, EditedLineIsNamed) {
  Lines lines = Log20();
  EditOneCharacter(&lines[9]);  // line 10
  const std::string path = Write("audit.log", lines);
  const VerifyReport report = Verify({path});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.file, path);
  EXPECT_EQ(report.line, 10u);
  EXPECT_EQ(report.problem,
            "line 10 was edited: its SHA-256 does not match the prev recorded by line 11");
}

TEST_P(VerifyTest, SwappedLinesNameTheFirstOfThem) {
  Lines lines = Log20();
  std::swap(lines[9], lines[10]);  // lines 10 and 11
  const VerifyReport report = Verify({Write("audit.log", lines)});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.line, 10u);
  EXPECT_EQ(report.problem,
            "line 10 is out of order (seq 10, expected 9): lines were reordered");
}

TEST_P(VerifyTest, ALineMovedBackIsReordered) {
  Lines lines = Log20();
  const std::string moved = lines[5];
  lines.insert(lines.begin() + 12, moved);  // seq 5 again at line 13
  lines.erase(lines.begin() + 5);           // ... and gone from line 6
  const VerifyReport report = Verify({Write("audit.log", lines)});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.line, 6u);  // seq 6 where 5 was expected; 5 is found ahead
  EXPECT_NE(report.problem.find("out of order"), std::string::npos) << report.problem;
}

TEST_P(VerifyTest, GarbageAndEmptyLinesAreNamed) {
  Lines lines = Log20();
  lines[4] = "garbage";
  VerifyReport report = Verify({Write("a.log", lines)});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.line, 5u);
  EXPECT_EQ(report.problem, "line 5 is not a chained audit entry (edited or corrupted)");

  lines = Log20();
  lines.insert(lines.begin() + 4, "");
  report = Verify({Write("b.log", lines)});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.line, 5u);
  EXPECT_EQ(report.problem, "line 5 is empty: not a chained audit entry (edited or corrupted)");
}

TEST_P(VerifyTest, RotationContinuesTheChainIntoTheNextFile) {
  const Lines lines = Log20();
  const std::string f1 = Write("audit.log.1", Lines(lines.begin(), lines.begin() + 12));
  const std::string f2 = Write("audit.log", Lines(lines.begin() + 12, lines.end()));
  const VerifyReport report = Verify({f1, f2});
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, 20u);
  EXPECT_EQ(report.chains, 1u);
}

TEST_P(VerifyTest, EditOfTheFirstLineOfTheSecondFileNamesIt) {
  Lines lines = Log20();
  EditOneCharacter(&lines[12]);
  const std::string f1 = Write("audit.log.1", Lines(lines.begin(), lines.begin() + 12));
  const std::string f2 = Write("audit.log", Lines(lines.begin() + 12, lines.end()));
  const VerifyReport report = Verify({f1, f2});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.file, f2);
  EXPECT_EQ(report.line, 1u);
  EXPECT_EQ(report.problem,
            "line 1 was edited: its SHA-256 does not match the prev recorded by line 2");
}

TEST_P(VerifyTest, EditOfTheLastLineOfTheFirstFileNamesIt) {
  Lines lines = Log20();
  EditOneCharacter(&lines[11]);
  const std::string f1 = Write("audit.log.1", Lines(lines.begin(), lines.begin() + 12));
  const std::string f2 = Write("audit.log", Lines(lines.begin() + 12, lines.end()));
  const VerifyReport report = Verify({f1, f2});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.file, f1);
  EXPECT_EQ(report.line, 12u);
  EXPECT_EQ(report.problem, "line 12 was edited: its SHA-256 does not match the prev recorded by "
                            "line 1 of " + f2);
}

TEST_P(VerifyTest, ResumedChainVerifiesAcrossTheRestart) {
  Lines lines = Log20();
  Chain resumed(format(), "", Key());
  ASSERT_TRUE(resumed.Resume(lines.back()));
  for (int i = 20; i < 25; ++i) {
    lines.push_back(resumed.Link(Request(format(), i)));
  }
  const VerifyReport report = Verify({Write("audit.log", lines)});
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, 25u);
  EXPECT_EQ(report.chains, 1u);
}

TEST_P(VerifyTest, GenesisRestartIsAllowedOnlyWhenAsked) {
  Lines lines = Log20();
  Chain restarted(format(), "", Key());
  const Lines more = NewLog(restarted, format(), 5);
  lines.insert(lines.end(), more.begin(), more.end());
  const std::string path = Write("audit.log", lines);
  VerifyReport strict = Verify({path});
  EXPECT_FALSE(strict.ok);
  EXPECT_EQ(strict.line, 21u);
  EXPECT_NE(strict.problem.find("starts a new chain"), std::string::npos) << strict.problem;

  VerifyOptions allow;
  allow.allow_new_chains = true;
  const VerifyReport report = Verify({path}, allow);
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, 25u);
  EXPECT_EQ(report.chains, 2u);
}

TEST_P(VerifyTest, EditedGenesisValueIsNamed) {
  Lines lines = Log20();
  auto parsed = ParseLine(lines[0]);
  ASSERT_TRUE(parsed.has_value());
  const size_t at = lines[0].rfind(parsed->genesis);  // the genesis member, not prev
  ASSERT_NE(at, std::string::npos);
  lines[0][at] = lines[0][at] == '0' ? '1' : '0';
  const VerifyReport report = Verify({Write("audit.log", lines)});
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.line, 1u);
}

TEST_P(VerifyTest, LogMayStartMidChain) {
  Lines lines = Log20();
  lines.erase(lines.begin(), lines.begin() + 7);  // older rotated files deleted
  const VerifyReport report = Verify({Write("audit.log", lines)});
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.entries, 13u);
  EXPECT_EQ(report.chains, 0u);
}

TEST_P(VerifyTest, CheckpointsAreCollected) {
  Chain chain(format(), "", Key());
  Lines lines = NewLog(chain, format(), 5);
  lines.push_back(chain.Checkpoint(kTime));
  lines.push_back(chain.Link(Request(format(), 6)));
  const std::string path = Write("audit.log", lines);
  const VerifyReport report = Verify({path});
  EXPECT_TRUE(report.ok) << report.problem;
  ASSERT_EQ(report.checkpoints.size(), 1u);
  const CheckpointSeen& cp = report.checkpoints[0];
  EXPECT_EQ(cp.file, path);
  EXPECT_EQ(cp.line, 6u);
  EXPECT_EQ(cp.link.seq, 5u);
  EXPECT_EQ(cp.link.prev, HexEncode(crypto::Sha256(lines[4])));
  const crypto::SecureBuffer key = Key();
  EXPECT_EQ(cp.hmac, HexEncode(crypto::HmacSha256(key, CheckpointMessage(5, cp.link.prev))));
}

TEST_P(VerifyTest, UnreadableFileIsAnError) {
  const std::string good = Write("audit.log", Log20());
  const std::string missing = (dir_ / "nope.log").string();
  auto report = VerifyFiles({good, missing});
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find(missing), std::string::npos);
  auto dir = VerifyFiles({dir_.string()});
  EXPECT_FALSE(dir.ok());
}

TEST_P(VerifyTest, EmptyFileHasNoEntries) {
  const VerifyReport report = Verify({Write("audit.log", {})});
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.entries, 0u);
}

INSTANTIATE_TEST_SUITE_P(Formats, VerifyTest, ::testing::Values(Format::kJson, Format::kJsonx),
                         [](const auto& info) {
                           return info.param == Format::kJson ? std::string("Json")
                                                              : std::string("Jsonx");
                         });

}  // namespace
}  // namespace coffer::audit
