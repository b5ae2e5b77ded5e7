#include "engines/database/postgres_conninfo.h"

#include <gtest/gtest.h>

namespace coffer::engines::database {
namespace {

TEST(PostgresConninfoTest, DetectsUrlForm) {
  EXPECT_TRUE(IsPostgresUrl("postgres://h/db"));
  EXPECT_TRUE(IsPostgresUrl("postgresql://h/db"));
  EXPECT_FALSE(IsPostgresUrl("host=h dbname=db"));
}

TEST(PostgresConninfoTest, UrlFormPercentEncodesCredentials) {
  std::string out = RenderPostgresConninfo(
      "postgresql://{{username}}:{{password}}@127.0.0.1:5432/postgres?sslmode=disable", "v-user",
      "p@ss:/w d%");
  EXPECT_EQ(out, "postgresql://v-user:p%40ss%3A%2Fw%20d%25@127.0.0.1:5432/postgres?sslmode=disable");
  EXPECT_TRUE(ValidatePostgresConninfo(out).ok());
}

TEST(PostgresConninfoTest, KeyValueFormInsertsAsIs) {
  std::string out =
      RenderPostgresConninfo("host=h user={{username}} password='{{password}}'", "admin", "s3cret");
  EXPECT_EQ(out, "host=h user=admin password='s3cret'");
  EXPECT_TRUE(ValidatePostgresConninfo(out).ok());
}

TEST(PostgresConninfoTest, PasswordHoldingPlaceholderIsNotExpanded) {
  EXPECT_EQ(RenderPostgresConninfo("user={{username}} password={{password}}", "u", "{{username}}"),
            "user=u password={{username}}");
}

TEST(PostgresConninfoTest, RejectsUnparsable) {
  EXPECT_FALSE(ValidatePostgresConninfo("host=h bogus_option=1").ok());
  EXPECT_FALSE(ValidatePostgresConninfo("host='unterminated").ok());
  EXPECT_FALSE(ValidatePostgresConninfo("postgresql://h/db?bogus_param=1").ok());
}

}  // namespace
}  // namespace coffer::engines::database
