#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engines/database/plugin.h"

namespace coffer::engines::database {
namespace {

using Pieces = std::vector<std::string>;

TEST(SplitStatementsTest, SplitsOnSemicolonsAndTrims) {
  EXPECT_EQ(SplitStatements("CREATE ROLE a;  GRANT x TO a ;\nSELECT 1"),
            (Pieces{"CREATE ROLE a", "GRANT x TO a", "SELECT 1"}));
}

TEST(SplitStatementsTest, DropsEmptyPieces) {
  EXPECT_EQ(SplitStatements(";; SELECT 1;;  ;\n"), (Pieces{"SELECT 1"}));
  EXPECT_TRUE(SplitStatements("").empty());
  EXPECT_TRUE(SplitStatements(" ; \n\t ;").empty());
}

TEST(SplitStatementsTest, CommentOnlyPiecesAreEmpty) {
  EXPECT_EQ(SplitStatements("SELECT 1; -- trailing; comment\n"), (Pieces{"SELECT 1"}));
  EXPECT_EQ(SplitStatements("/* a; b */ ; SELECT 2"), (Pieces{"SELECT 2"}));
}

TEST(SplitStatementsTest, SemicolonsInCommentsDoNotSplit) {
  EXPECT_EQ(SplitStatements("SELECT 1 -- not; here\n+ 1; SELECT 2"),
            (Pieces{"SELECT 1 -- not; here\n+ 1", "SELECT 2"}));
  EXPECT_EQ(SplitStatements("SELECT /* x; y */ 1; SELECT 2"),
            (Pieces{"SELECT /* x; y */ 1", "SELECT 2"}));
}

TEST(SplitStatementsTest, SemicolonsInSingleQuotesDoNotSplit) {
  EXPECT_EQ(SplitStatements("CREATE ROLE \"{{name}}\" PASSWORD 'a;b'; SELECT 1"),
            (Pieces{"CREATE ROLE \"{{name}}\" PASSWORD 'a;b'", "SELECT 1"}));
}

TEST(SplitStatementsTest, DoubledQuoteStaysInsideString) {
  EXPECT_EQ(SplitStatements("SELECT 'it''s; fine'; SELECT 2"),
            (Pieces{"SELECT 'it''s; fine'", "SELECT 2"}));
}

TEST(SplitStatementsTest, BackslashEscapesOnlyInEscapeStrings) {
  // E'...' strings treat \' as a quote; standard strings end at the quote.
  EXPECT_EQ(SplitStatements("SELECT E'a\\';b'; SELECT 2"),
            (Pieces{"SELECT E'a\\';b'", "SELECT 2"}));
  EXPECT_EQ(SplitStatements("SELECT 'a\\'; SELECT 2"), (Pieces{"SELECT 'a\\'", "SELECT 2"}));
}

TEST(SplitStatementsTest, SemicolonsInIdentifiersDoNotSplit) {
  EXPECT_EQ(SplitStatements("CREATE ROLE \"we;ird\"; CREATE USER `my;sql`; SELECT 1"),
            (Pieces{"CREATE ROLE \"we;ird\"", "CREATE USER `my;sql`", "SELECT 1"}));
}

TEST(SplitStatementsTest, DollarQuotedBodiesStayWhole) {
  std::string body =
      "DO $$ BEGIN IF NOT EXISTS (SELECT 1) THEN CREATE ROLE x; END IF; END $$";
  EXPECT_EQ(SplitStatements(body + "; GRANT y TO x;"), (Pieces{body, "GRANT y TO x"}));
}

TEST(SplitStatementsTest, TaggedDollarQuotes) {
  std::string body = "DO $fn$ BEGIN RAISE NOTICE '$$;'; PERFORM 1; END $fn$";
  EXPECT_EQ(SplitStatements(body + ";SELECT 2"), (Pieces{body, "SELECT 2"}));
}

TEST(SplitStatementsTest, PositionalParametersAreNotDollarQuotes) {
  EXPECT_EQ(SplitStatements("SELECT $1; SELECT $2"), (Pieces{"SELECT $1", "SELECT $2"}));
}

TEST(SplitStatementsTest, DollarInsideIdentifierIsNotAQuote) {
  EXPECT_EQ(SplitStatements("SELECT a$b$ FROM t; SELECT 2"),
            (Pieces{"SELECT a$b$ FROM t", "SELECT 2"}));
}

TEST(SplitStatementsTest, UnterminatedQuoteKeepsTheRest) {
  EXPECT_EQ(SplitStatements("SELECT 'open; SELECT 2"), (Pieces{"SELECT 'open; SELECT 2"}));
}

TEST(SplitStatementsTest, VaultDefaultPostgresCreation) {
  std::string stmt =
      "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL "
      "'{{expiration}}';\nGRANT SELECT ON ALL TABLES IN SCHEMA public TO \"{{name}}\";";
  EXPECT_EQ(SplitStatements(stmt),
            (Pieces{"CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL "
                    "'{{expiration}}'",
                    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"{{name}}\""}));
}

TEST(RenderStatementTest, ReplacesAllFourPlaceholders) {
  EXPECT_EQ(RenderStatement("{{name}}|{{username}}|{{password}}|{{expiration}}", "u", "p",
                            "2030-01-02 03:04:05"),
            "u|u|p|2030-01-02 03:04:05");
}

TEST(RenderStatementTest, ReplacesRepeatedPlaceholders) {
  EXPECT_EQ(RenderStatement("GRANT a TO \"{{name}}\"; ALTER ROLE \"{{name}}\" {{name}}", "v-1",
                            "", ""),
            "GRANT a TO \"v-1\"; ALTER ROLE \"v-1\" v-1");
}

TEST(RenderStatementTest, LeavesOtherTextAndUnknownPlaceholders) {
  EXPECT_EQ(RenderStatement("{{ name }} {{other}} {{{name}}}", "u", "p", "e"),
            "{{ name }} {{other}} {u}");
}

TEST(RenderStatementTest, SubstitutedValuesAreNotRescanned) {
  EXPECT_EQ(RenderStatement("{{password}}-{{name}}", "u", "{{name}}", ""), "{{name}}-u");
  EXPECT_EQ(RenderStatement("{{name}}", "{{password}}", "secret", ""), "{{password}}");
}

TEST(RenderStatementTest, EmptyValues) {
  EXPECT_EQ(RenderStatement("'{{password}}' '{{expiration}}'", "u", "", ""), "'' ''");
  EXPECT_EQ(RenderStatement("", "u", "p", "e"), "");
}

}  // namespace
}  // namespace coffer::engines::database
