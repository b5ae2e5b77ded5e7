#include "crypto/aead.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>
#include <thread>
#include <vector>

#include "base/encoding.h"
#include "crypto/random.h"

namespace coffer::crypto {
namespace {

std::string Unhex(std::string_view hex) { return HexDecode(hex).value(); }

SecureBuffer NewKey() { return RandomKey().value(); }

TEST(AeadTest, SealThenOpenRoundTrips) {
  SecureBuffer key = NewKey();
  Result<std::string> sealed = AeadSeal(key, "attack at dawn", "logical/abc/foo");
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_EQ(sealed->size(), 14 + kAeadOverhead);
  Result<std::string> opened = AeadOpen(key, *sealed, "logical/abc/foo");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "attack at dawn");
}

TEST(AeadTest, EmptyPlaintextAndAadRoundTrip) {
  SecureBuffer key = NewKey();
  Result<std::string> sealed = AeadSeal(key, "", "");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->size(), kAeadOverhead);
  Result<std::string> opened = AeadOpen(key, *sealed, "");
  ASSERT_TRUE(opened.ok());
  EXPECT_TRUE(opened->empty());
  Result<SecureBuffer> opened_key = AeadOpenKey(key, *sealed, "");
  ASSERT_TRUE(opened_key.ok());
  EXPECT_TRUE(opened_key->empty());
}

TEST(AeadTest, BinaryPlaintextRoundTrips) {
  SecureBuffer key = NewKey();
  std::string plain;
  for (int i = 0; i < 1000; ++i) {
    plain.push_back(static_cast<char>(i));
  }
  Result<std::string> sealed = AeadSeal(key, plain, "aad");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(AeadOpen(key, *sealed, "aad").value(), plain);
}

TEST(AeadTest, SealingTwiceUsesFreshNonces) {
  SecureBuffer key = NewKey();
  std::string a = AeadSeal(key, "same", "aad").value();
  std::string b = AeadSeal(key, "same", "aad").value();
  EXPECT_NE(a.substr(0, kAeadNonceSize), b.substr(0, kAeadNonceSize));
  EXPECT_NE(a, b);
}

TEST(AeadTest, FlippedCiphertextByteFailsToOpen) {
  SecureBuffer key = NewKey();
  const std::string sealed = AeadSeal(key, "some secret value", "aad").value();
  // Every byte matters: nonce, ciphertext and tag.
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    Result<std::string> opened = AeadOpen(key, tampered, "aad");
    ASSERT_FALSE(opened.ok()) << "byte " << i;
    EXPECT_TRUE(opened.status().IsCorruption());
    EXPECT_EQ(opened.status().message(), "message authentication failed");
  }
}

TEST(AeadTest, WrongAadFailsToOpen) {
  SecureBuffer key = NewKey();
  const std::string sealed = AeadSeal(key, "value", "logical/m1/a").value();
  for (const char* aad : {"logical/m1/b", "", "logical/m1/a ", "logical/m1/"}) {
    Result<std::string> opened = AeadOpen(key, sealed, aad);
    ASSERT_FALSE(opened.ok()) << aad;
    EXPECT_TRUE(opened.status().IsCorruption());
  }
}

TEST(AeadTest, WrongKeyFailsToOpen) {
  const std::string sealed = AeadSeal(NewKey(), "value", "aad").value();
  Result<std::string> opened = AeadOpen(NewKey(), sealed, "aad");
  ASSERT_FALSE(opened.ok());
  EXPECT_TRUE(opened.status().IsCorruption());
}

TEST(AeadTest, TruncatedSealedFailsToOpen) {
  SecureBuffer key = NewKey();
  const std::string sealed = AeadSeal(key, "value", "aad").value();
  for (size_t len = 0; len < sealed.size(); ++len) {
    Result<std::string> opened = AeadOpen(key, sealed.substr(0, len), "aad");
    ASSERT_FALSE(opened.ok()) << "length " << len;
    EXPECT_TRUE(opened.status().IsCorruption());
    EXPECT_EQ(opened.status().message(), "message authentication failed");
  }
}

TEST(AeadTest, AppendedByteFailsToOpen) {
  SecureBuffer key = NewKey();
  const std::string sealed = AeadSeal(key, "value", "aad").value();
  EXPECT_FALSE(AeadOpen(key, sealed + "x", "aad").ok());
}

TEST(AeadTest, WrongKeySizeIsInvalidArgument) {
  for (size_t size : {size_t{0}, size_t{16}, size_t{31}, size_t{33}}) {
    SecureBuffer key(size);
    EXPECT_TRUE(AeadSeal(key, "p", "a").status().IsInvalidArgument()) << size;
    EXPECT_TRUE(AeadOpen(key, std::string(40, 'x'), "a").status().IsInvalidArgument()) << size;
    EXPECT_TRUE(AeadOpenKey(key, std::string(40, 'x'), "a").status().IsInvalidArgument()) << size;
  }
}

TEST(AeadTest, OpenKeyReturnsKeyMaterialInSecureBuffer) {
  SecureBuffer kek = NewKey();
  SecureBuffer dek = NewKey();
  const std::string wrapped = AeadSeal(kek, dek.view(), "core/kek/1").value();
  Result<SecureBuffer> unwrapped = AeadOpenKey(kek, wrapped, "core/kek/1");
  ASSERT_TRUE(unwrapped.ok());
  EXPECT_TRUE(ConstantTimeEquals(unwrapped->view(), dek.view()));
}

TEST(AeadTest, OpenKeyWithTamperedInputIsCorruption) {
  SecureBuffer kek = NewKey();
  std::string wrapped = AeadSeal(kek, "0123456789abcdef0123456789abcdef", "k").value();
  wrapped[kAeadNonceSize] ^= 0x80;
  Result<SecureBuffer> unwrapped = AeadOpenKey(kek, wrapped, "k");
  ASSERT_FALSE(unwrapped.ok());
  EXPECT_TRUE(unwrapped.status().IsCorruption());
}

// McGrew & Viega, "The Galois/Counter Mode of Operation", test case 16
// (AES-256, 96-bit IV, with AAD), in the nonce || ciphertext || tag layout.
TEST(AeadTest, OpensGcmSpecTestCase16) {
  SecureBuffer key = SecureBuffer::FromBytes(
      Unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"));
  const std::string sealed = Unhex(
      "cafebabefacedbaddecaf888"
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
      "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
      "76fc6ece0f4e1768cddf8853bb2d551b");
  const std::string aad = Unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  Result<std::string> opened = AeadOpen(key, sealed, aad);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(HexEncode(*opened),
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
}

std::array<uint8_t, kAeadNonceSize> NewNonce() {
  std::array<uint8_t, kAeadNonceSize> nonce{};
  EXPECT_TRUE(RandomBytes(nonce).ok());
  return nonce;
}

TEST(AeadSealToTest, OpensWithAeadOpenAndStartsWithTheGivenNonce) {
  SecureBuffer key = NewKey();
  const auto nonce = NewNonce();
  std::string out(9 + kAeadOverhead, '\0');
  ASSERT_TRUE(AeadSealTo(key, nonce, "plaintext", "aad",
                         {reinterpret_cast<uint8_t*>(out.data()), out.size()})
                  .ok());
  EXPECT_EQ(out.substr(0, kAeadNonceSize),
            std::string(reinterpret_cast<const char*>(nonce.data()), nonce.size()));
  EXPECT_EQ(out.find("plaintext"), std::string::npos);
  Result<std::string> opened = AeadOpen(key, out, "aad");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "plaintext");
}

TEST(AeadSealToTest, MatchesAeadSealForTheSameNonce) {
  // AeadSeal's output opens; sealing its plaintext again with its nonce
  // through AeadSealTo gives the same bytes (one algorithm, one format).
  DataKey key = DataKey::Random().value();
  Result<std::string> sealed = AeadSeal(key, "same bytes", "k");
  ASSERT_TRUE(sealed.ok());
  std::array<uint8_t, kAeadNonceSize> nonce{};
  std::copy_n(reinterpret_cast<const uint8_t*>(sealed->data()), nonce.size(), nonce.begin());
  std::string out(sealed->size(), '\0');
  ASSERT_TRUE(AeadSealTo(key, nonce, "same bytes", "k",
                         {reinterpret_cast<uint8_t*>(out.data()), out.size()})
                  .ok());
  EXPECT_EQ(out, *sealed);
}

TEST(AeadSealToTest, TamperedOutputFailsToOpen) {
  DataKey key = DataKey::Random().value();
  std::string out(5 + kAeadOverhead, '\0');
  ASSERT_TRUE(AeadSealTo(key, NewNonce(), "value", "aad",
                         {reinterpret_cast<uint8_t*>(out.data()), out.size()})
                  .ok());
  for (size_t i = 0; i < out.size(); ++i) {
    std::string tampered = out;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x80);
    EXPECT_EQ(AeadOpen(key, tampered, "aad").status().code(), Code::kCorruption) << i;
  }
}

TEST(AeadSealToTest, WrongOutputSizeOrKeySizeIsInvalidArgument) {
  SecureBuffer key = NewKey();
  std::string out(5 + kAeadOverhead + 1, '\0');
  auto* bytes = reinterpret_cast<uint8_t*>(out.data());
  EXPECT_TRUE(AeadSealTo(key, NewNonce(), "value", "", {bytes, out.size()}).IsInvalidArgument());
  EXPECT_TRUE(
      AeadSealTo(key, NewNonce(), "value", "", {bytes, out.size() - 2}).IsInvalidArgument());
  SecureBuffer short_key = SecureBuffer::FromBytes("too short");
  EXPECT_TRUE(AeadSealTo(short_key, NewNonce(), "value", "", {bytes, out.size() - 1})
                  .IsInvalidArgument());
}

TEST(DataKeyTest, FromBytesCopiesTheKey) {
  std::array<uint8_t, DataKey::kSize> bytes{};
  for (size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<uint8_t>(i);
  }
  DataKey key = DataKey::FromBytes(bytes);
  EXPECT_EQ(key.view(), std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

TEST(AeadConcurrencyTest, ManyThreadsWithTheirOwnKeysGetCorrectResults) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 300;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t, &failures] {
      for (int i = 0; i < kRounds; ++i) {
        DataKey key = DataKey::Random().value();
        const std::string value = "value " + std::to_string(t) + "/" + std::to_string(i);
        const std::string aad = "aad " + std::to_string(i);
        Result<std::string> sealed = AeadSeal(key, value, aad);
        Result<std::string> opened =
            sealed.ok() ? AeadOpen(key, *sealed, aad) : Result<std::string>(sealed.status());
        // A key from the neighbouring round must not open it.
        DataKey other = DataKey::Random().value();
        if (!opened.ok() || *opened != value || AeadOpen(other, *sealed, aad).ok()) {
          ++failures[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], 0) << "thread " << t;
  }
}

}  // namespace
}  // namespace coffer::crypto
