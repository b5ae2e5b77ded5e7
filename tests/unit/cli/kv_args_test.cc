#include "cli/kv_args.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace coffer::cli {
namespace {

using nlohmann::json;

// TempFile holds a file with the given contents for one test.
class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    char name[] = "/tmp/coffer-kv-args-XXXXXX";
    const int fd = mkstemp(name);
    path_ = name;
    close(fd);
    std::ofstream(path_) << contents;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Result<json> Parse(const std::vector<std::string>& args, const std::string& stdin_text = "") {
  std::istringstream in(stdin_text);
  return ParseArgsData(args, in);
}

TEST(KvArgsTest, KeyValuePairsAreStrings) {
  auto d = Parse({"a=1", "b=x=y", "c="});
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(*d, (json{{"a", "1"}, {"b", "x=y"}, {"c", ""}}));
}

TEST(KvArgsTest, RepeatedKeyBecomesAList) {
  auto d = Parse({"p=a", "p=b", "p=c"});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)["p"], (json{"a", "b", "c"}));
}

TEST(KvArgsTest, AtFileValueIsTheFileContents) {
  TempFile f("line one\nline two\n");
  auto d = Parse({"cert=@" + f.path()});
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ((*d)["cert"], "line one\nline two\n");
}

TEST(KvArgsTest, EscapedAtIsLiteral) {
  auto d = Parse({"handle=\\@me"});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)["handle"], "@me");
}

TEST(KvArgsTest, DashValueReadsAllOfStdin) {
  auto d = Parse({"password=-", "user=bob"}, "s3cret\n");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)["password"], "s3cret\n");
  EXPECT_EQ((*d)["user"], "bob");
}

TEST(KvArgsTest, LoneDashMergesAJsonObjectFromStdin) {
  auto d = Parse({"-", "extra=1"}, R"({"a": "b", "n": 2, "nested": {"x": true}})");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(*d, (json{{"a", "b"}, {"n", 2}, {"nested", {{"x", true}}}, {"extra", "1"}}));
}

TEST(KvArgsTest, AtFileAloneMergesAJsonObject) {
  TempFile f(R"({"user": "alice", "ttl": 30})");
  auto d = Parse({"@" + f.path()});
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(*d, (json{{"user", "alice"}, {"ttl", 30}}));
}

TEST(KvArgsTest, StdinCanBeUsedOnce) {
  auto d = Parse({"a=-", "b=-"}, "x");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("stdin already consumed"), std::string::npos);
}

TEST(KvArgsTest, ArgumentWithoutEqualsIsRejected) {
  auto d = Parse({"foo"});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "Invalid key/value pair 'foo': format must be key=value");
}

TEST(KvArgsTest, StdinMustHoldAJsonObject) {
  EXPECT_FALSE(Parse({"-"}, "[1, 2]").ok());
  EXPECT_FALSE(Parse({"-"}, "not json").ok());
}

TEST(KvArgsTest, MissingFileIsAnError) {
  auto d = Parse({"k=@/nonexistent/coffer-file"});
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("/nonexistent/coffer-file"), std::string::npos);
}

TEST(KvArgsTest, EmptyArgumentsAreIgnored) {
  auto d = Parse({"", "a=b"});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, (json{{"a", "b"}}));
}

}  // namespace
}  // namespace coffer::cli
