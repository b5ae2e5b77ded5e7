#include "cli/hcl_format.h"

#include <gtest/gtest.h>

namespace coffer::cli {
namespace {

std::string Format(const std::string& text) {
  auto r = FormatHcl(text, "policy.hcl");
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : "";
}

TEST(HclFormatTest, CanonicalLayoutForAPolicy) {
  const std::string messy =
      "path \"secret/*\" {capabilities=[\"read\",\"list\"]\n"
      "    max_wrapping_ttl  =  \"1h\"}\n"
      "path   \"sys/*\"   {\n"
      "capabilities = [\"deny\"]\n"
      "}\n";
  EXPECT_EQ(Format(messy),
            "path \"secret/*\" {\n"
            "  capabilities     = [\"read\", \"list\"]\n"
            "  max_wrapping_ttl = \"1h\"\n"
            "}\n"
            "\n"
            "path \"sys/*\" {\n"
            "  capabilities = [\"deny\"]\n"
            "}\n");
}

TEST(HclFormatTest, FormattingIsIdempotent) {
  const std::string text =
      "# Read access to the app's secrets.\n"
      "path \"secret/data/app/*\" {\n"
      "  capabilities = [\"read\"] # no writes\n"
      "\n"
      "  allowed_parameters = {\n"
      "    \"*\" = []\n"
      "  }\n"
      "}\n";
  const std::string once = Format(text);
  EXPECT_EQ(Format(once), once);
}

TEST(HclFormatTest, CommentsAreKept) {
  const std::string text =
      "# header comment\n"
      "\n"
      "// about this path\n"
      "path \"a\" { # trailing on the header\n"
      "  # before capabilities\n"
      "  capabilities = [\"read\"] /* trailing */\n"
      "  # last inside\n"
      "}\n"
      "# at the end\n";
  EXPECT_EQ(Format(text),
            "# header comment\n"
            "\n"
            "// about this path\n"
            "path \"a\" { # trailing on the header\n"
            "  # before capabilities\n"
            "  capabilities = [\"read\"] /* trailing */\n"
            "  # last inside\n"
            "}\n"
            "# at the end\n");
}

TEST(HclFormatTest, HashInsideAStringIsNotAComment) {
  const std::string text = "path \"a/#/b\" {\n  capabilities = [\"read\"]\n}\n";
  EXPECT_EQ(Format(text), text);
}

TEST(HclFormatTest, MultiLineListsStayMultiLine) {
  const std::string text =
      "path \"a\" {\n"
      "  capabilities = [\n"
      "    \"create\",\n"
      "    \"read\"\n"
      "  ]\n"
      "}\n";
  EXPECT_EQ(Format(text),
            "path \"a\" {\n"
            "  capabilities = [\n"
            "    \"create\",\n"
            "    \"read\",\n"
            "  ]\n"
            "}\n");
}

TEST(HclFormatTest, EmptyBlockPrintsOnOneLine) {
  EXPECT_EQ(Format("path \"a\" {\n}\n"), "path \"a\" {}\n");
}

TEST(HclFormatTest, StringsAreReEscaped) {
  EXPECT_EQ(Format("k = \"a\\\"b\\\\c\\n\"\n"), "k = \"a\\\"b\\\\c\\n\"\n");
}

TEST(HclFormatTest, BadHclIsAnErrorWithItsPosition) {
  auto r = FormatHcl("path \"a\" {\n  capabilities = \n", "p.hcl");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind("p.hcl:", 0), 0u) << r.status().message();
}

}  // namespace
}  // namespace coffer::cli
