#include "storage/lmdb_options.h"

#include <gtest/gtest.h>

#include "status_testing.h"

namespace coffer::storage::testing {
namespace {

TEST(ParseByteSizeTest, AcceptsPlainBytesAndBinaryUnits) {
  struct Case {
    const char* text;
    size_t want;
  };
  for (const Case& c : {Case{"0", 0}, Case{"1073741824", size_t{1} << 30}, Case{"512B", 512},
                        Case{"4K", 4096}, Case{"4kb", 4096}, Case{"4KiB", 4096},
                        Case{"512MB", size_t{512} << 20}, Case{"1GB", size_t{1} << 30},
                        Case{"2g", size_t{2} << 30}, Case{"1TiB", size_t{1} << 40}}) {
    auto got = ParseByteSize(c.text);
    ASSERT_TRUE(IsOk(got)) << c.text;
    EXPECT_EQ(*got, c.want) << c.text;
  }
}

TEST(ParseByteSizeTest, RejectsGarbageAndOverflow) {
  for (const char* text : {"", "GB", "-1", "1.5GB", "1 GB", "1PB", "1GBs", "18446744073709551616",
                           "99999999999TB"}) {
    EXPECT_TRUE(HasCode(ParseByteSize(text), Code::kInvalidArgument)) << text;
  }
}

TEST(ParseLmdbOptionsTest, DefaultsMapSizeToOneGiB) {
  auto options = ParseLmdbOptions({{"path", "/var/lib/coffer"}});
  ASSERT_TRUE(IsOk(options));
  EXPECT_EQ(options->path, "/var/lib/coffer");
  EXPECT_EQ(options->map_size, size_t{1} << 30);
}

TEST(ParseLmdbOptionsTest, EmptyPathIsRejected) {
  EXPECT_TRUE(HasCode(ParseLmdbOptions({{"path", ""}}), Code::kInvalidArgument));
}

}  // namespace
}  // namespace coffer::storage::testing
