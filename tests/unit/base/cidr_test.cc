#include "base/cidr.h"

#include <gtest/gtest.h>

namespace coffer {
namespace {

TEST(CidrTest, ParsesBlocksAndBareAddresses) {
  EXPECT_TRUE(Cidr::Parse("10.0.0.0/8"));
  EXPECT_TRUE(Cidr::Parse("127.0.0.1"));
  EXPECT_TRUE(Cidr::Parse("::1/128"));
  EXPECT_TRUE(Cidr::Parse("2001:db8::/32"));
  EXPECT_FALSE(Cidr::Parse("10.0.0.0/33"));
  EXPECT_FALSE(Cidr::Parse("10.0.0.0/"));
  EXPECT_FALSE(Cidr::Parse("10.0.0/8"));
  EXPECT_FALSE(Cidr::Parse("::1/129"));
  EXPECT_FALSE(Cidr::Parse("example.com"));
  EXPECT_FALSE(Cidr::Parse(""));
}

TEST(CidrTest, ContainsHonoursThePrefix) {
  auto net = Cidr::Parse("10.1.0.0/16");
  ASSERT_TRUE(net);
  EXPECT_TRUE(net->Contains("10.1.200.3"));
  EXPECT_FALSE(net->Contains("10.2.0.1"));
  EXPECT_FALSE(net->Contains("::1"));
  EXPECT_FALSE(net->Contains("garbage"));
  auto odd = Cidr::Parse("192.168.1.128/25");
  ASSERT_TRUE(odd);
  EXPECT_TRUE(odd->Contains("192.168.1.200"));
  EXPECT_FALSE(odd->Contains("192.168.1.100"));
  auto host = Cidr::Parse("127.0.0.1");
  ASSERT_TRUE(host);
  EXPECT_TRUE(host->Contains("127.0.0.1"));
  EXPECT_FALSE(host->Contains("127.0.0.2"));
  EXPECT_TRUE(host->Contains("::ffff:127.0.0.1"));  // IPv4-mapped
  auto v6 = Cidr::Parse("2001:db8::/32");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->Contains("2001:db8:1::5"));
  EXPECT_FALSE(v6->Contains("2001:db9::5"));
  EXPECT_TRUE(Cidr::Parse("0.0.0.0/0")->Contains("8.8.8.8"));
}

TEST(CidrTest, AnEmptyListBindsNothing) {
  EXPECT_TRUE(AddressInAny({}, "1.2.3.4"));
  EXPECT_TRUE(AddressInAny({"10.0.0.0/8", "127.0.0.1/32"}, "127.0.0.1"));
  EXPECT_FALSE(AddressInAny({"10.0.0.0/8"}, "127.0.0.1"));
  EXPECT_FALSE(AddressInAny({"not a cidr"}, "127.0.0.1"));
}

}  // namespace
}  // namespace coffer

namespace coffer {
namespace {

TEST(CidrTest, SubsetsAndValidation) {
  EXPECT_TRUE(CidrsSubset({"10.1.0.0/16", "10.2.3.4"}, {"10.0.0.0/8"}));
  EXPECT_FALSE(CidrsSubset({"10.0.0.0/7"}, {"10.0.0.0/8"}));
  EXPECT_FALSE(CidrsSubset({"192.168.0.1"}, {"10.0.0.0/8"}));
  EXPECT_TRUE(CidrsSubset({"192.168.0.1"}, {}));
  EXPECT_FALSE(CidrsSubset({"nonsense"}, {"10.0.0.0/8"}));
  EXPECT_TRUE(CidrsSubset({"2001:db8:1::/48"}, {"2001:db8::/32"}));
  EXPECT_TRUE(ValidateCidrs({"10.0.0.0/8", "::1"}, "cidr_list").ok());
  Status bad = ValidateCidrs({"10.0.0.0/8", "10.0.0/8"}, "cidr_list");
  EXPECT_EQ(bad.code(), Code::kInvalidArgument);
  EXPECT_NE(bad.message().find("10.0.0/8"), std::string::npos);
  EXPECT_NE(bad.message().find("cidr_list"), std::string::npos);
}

}  // namespace
}  // namespace coffer
