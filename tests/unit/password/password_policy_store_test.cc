#include "core/password/password_policy_store.h"

#include <gtest/gtest.h>

#include <memory>

#include "base/encoding.h"
#include "crypto/random.h"
#include "storage/backend.h"

namespace coffer::core::password {
namespace {

constexpr const char* kPolicy =
    "length = 16\n"
    "rule \"charset\" {\n  charset = \"abcdef\"\n  min-chars = 2\n}\n"
    "rule \"charset\" {\n  charset = \"0123\"\n  min-chars = 2\n}\n";

class PasswordPolicyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    physical_ = std::move(storage::OpenBackend("inmem", {})).value();
    barrier_ = std::make_unique<barrier::Barrier>(*physical_);
    auto ops = barrier_->Initialize(std::move(crypto::RandomKey()).value());
    ASSERT_TRUE(ops.ok());
    ASSERT_TRUE(physical_->Transaction(*ops).ok());
    store_ = std::make_unique<PasswordPolicyStore>(*barrier_);
  }

  std::unique_ptr<storage::Backend> physical_;
  std::unique_ptr<barrier::Barrier> barrier_;
  std::unique_ptr<PasswordPolicyStore> store_;
};

TEST_F(PasswordPolicyStoreTest, PutGetListDelete) {
  ASSERT_TRUE(store_->Put("alnum", kPolicy).ok());
  ASSERT_TRUE(store_->Put("other-one_2.x", kPolicy).ok());
  auto text = store_->Get("alnum");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, kPolicy);
  auto names = store_->List();
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"alnum", "other-one_2.x"}));

  ASSERT_TRUE(store_->Delete("alnum").ok());
  EXPECT_EQ(store_->Get("alnum").status().code(), Code::kNotFound);
  EXPECT_TRUE(store_->Delete("alnum").ok());  // deleting nothing is fine
  names = store_->List();
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"other-one_2.x"}));
}

TEST_F(PasswordPolicyStoreTest, StoredThroughTheBarrierAsJson) {
  ASSERT_TRUE(store_->Put("p", kPolicy).ok());
  auto plain = barrier_->Get("sys/password_policy/p");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(nlohmann::json::parse(*plain), nlohmann::json({{"policy", kPolicy}}));
  auto physical = physical_->Get("sys/password_policy/p");
  ASSERT_TRUE(physical.ok());
  EXPECT_EQ(physical->find("abcdef"), std::string::npos);  // encrypted at rest
}

TEST_F(PasswordPolicyStoreTest, GenerateUsesTheNamedPolicy) {
  ASSERT_TRUE(store_->Put("p", kPolicy).ok());
  for (int i = 0; i < 200; ++i) {
    auto pw = store_->Generate("p");
    ASSERT_TRUE(pw.ok()) << pw.status().ToString();
    ASSERT_EQ(pw->size(), 16u);
    EXPECT_EQ(pw->find_first_not_of("abcdef0123"), std::string::npos) << *pw;
  }
  auto via_view = static_cast<const SystemView&>(*store_).GeneratePassword("p");
  ASSERT_TRUE(via_view.ok());
  EXPECT_EQ(via_view->size(), 16u);
}

TEST_F(PasswordPolicyStoreTest, EmptyNameMeansTheDefaultPolicy) {
  auto pw = static_cast<const SystemView&>(*store_).GeneratePassword("");
  ASSERT_TRUE(pw.ok());
  EXPECT_EQ(pw->size(), 20u);
}

TEST_F(PasswordPolicyStoreTest, MissingPolicyIsNotFound) {
  EXPECT_EQ(store_->Get("nope").status().code(), Code::kNotFound);
  EXPECT_EQ(store_->Generate("nope").status().code(), Code::kNotFound);
  EXPECT_EQ(static_cast<const SystemView&>(*store_).GeneratePassword("nope").status().code(),
            Code::kNotFound);
}

TEST_F(PasswordPolicyStoreTest, BadPolicyIsRefusedAndNothingStored) {
  Status s = store_->Put("bad", "length = 2\nrule \"charset\" { charset = \"ab\" }\n");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("between 4 and 100"), std::string::npos) << s.message();
  EXPECT_EQ(store_->Put("bad", "").code(), Code::kInvalidArgument);
  EXPECT_EQ(store_->Get("bad").status().code(), Code::kNotFound);
  auto names = store_->List();
  ASSERT_TRUE(names.ok());
  EXPECT_TRUE(names->empty());
}

TEST_F(PasswordPolicyStoreTest, BadNamesAreRefused) {
  for (const char* name : {"", "a/b", "..", ".", "sp ace", "x\n"}) {
    EXPECT_EQ(store_->Put(name, kPolicy).code(), Code::kInvalidArgument) << name;
    EXPECT_EQ(store_->Get(name).status().code(), Code::kInvalidArgument) << name;
  }
  EXPECT_EQ(store_->Put(std::string(129, 'a'), kPolicy).code(), Code::kInvalidArgument);
}

TEST_F(PasswordPolicyStoreTest, Base64PolicyIsStoredDecoded) {
  ASSERT_TRUE(store_->Put("b64", Base64Encode(kPolicy)).ok());
  auto text = store_->Get("b64");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, kPolicy);
  // Wrapped at 76 columns, as base64(1) writes it.
  std::string wrapped = Base64Encode(kPolicy);
  for (size_t i = 76; i < wrapped.size(); i += 77) {
    wrapped.insert(i, "\n");
  }
  ASSERT_TRUE(store_->Put("wrapped", wrapped).ok());
  EXPECT_EQ(*store_->Get("wrapped"), kPolicy);
}

TEST_F(PasswordPolicyStoreTest, SealedBarrierFails) {
  ASSERT_TRUE(store_->Put("p", kPolicy).ok());
  barrier_->Seal();
  EXPECT_EQ(store_->Get("p").status().code(), Code::kSealed);
  EXPECT_EQ(store_->Generate("p").status().code(), Code::kSealed);
}

}  // namespace
}  // namespace coffer::core::password
