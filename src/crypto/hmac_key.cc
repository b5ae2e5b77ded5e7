// The low-level SHA256_* functions are deprecated in OpenSSL 3 in favour of
// EVP, but they are still part of its API and run the same assembly
// (SHA-NI where the CPU has it). They are used here because a SHA256_CTX
// is a plain struct: the prepared key states can be copied by value,
// where copying an EVP_MD_CTX goes through the provider (about half of a
// short MAC's cost).
#define OPENSSL_SUPPRESS_DEPRECATED
#include "crypto/hmac_key.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "crypto/hash.h"

namespace coffer::crypto {

namespace {

constexpr size_t kBlockSize = 64;  // SHA-256's

[[noreturn]] void Die(const char* what) {
  // Only a broken OpenSSL gets here.
  std::fprintf(stderr, "fatal: OpenSSL failed in %s\n", what);
  std::abort();
}

// The SHA-256 state after one 64-byte key block masked with `mask`.
void PrepareState(const std::array<unsigned char, kBlockSize>& key_block, unsigned char mask,
                  SHA256_CTX* state) {
  std::array<unsigned char, kBlockSize> pad;
  for (size_t i = 0; i < kBlockSize; ++i) {
    pad[i] = key_block[i] ^ mask;
  }
  if (SHA256_Init(state) != 1 || SHA256_Update(state, pad.data(), pad.size()) != 1) {
    Die("HMAC key block");
  }
  OPENSSL_cleanse(pad.data(), pad.size());
}

}  // namespace

struct HmacSha256Key::Midstates {
  SHA256_CTX inner;
  SHA256_CTX outer;
};

void HmacSha256Key::MidstatesFree::operator()(Midstates* states) const {
  OPENSSL_cleanse(states, sizeof(*states));
  delete states;
}

HmacSha256Key::HmacSha256Key(std::string_view key) : states_(new Midstates) {
  // RFC 2104: a key longer than the block is replaced by its digest, and
  // the key is zero padded to the block size.
  std::string hashed;
  if (key.size() > kBlockSize) {
    hashed = Sha256(key);
    key = hashed;
  }
  std::array<unsigned char, kBlockSize> block{};
  for (size_t i = 0; i < key.size(); ++i) {
    block[i] = static_cast<unsigned char>(key[i]);
  }
  PrepareState(block, 0x36, &states_->inner);
  PrepareState(block, 0x5c, &states_->outer);
  OPENSSL_cleanse(block.data(), block.size());
  OPENSSL_cleanse(hashed.data(), hashed.size());
}

void HmacSha256Key::MacInto(std::string_view data, unsigned char out[32]) const {
  SHA256_CTX ctx = states_->inner;
  unsigned char inner_hash[SHA256_DIGEST_LENGTH];
  bool ok = SHA256_Update(&ctx, data.data(), data.size()) == 1 &&
            SHA256_Final(inner_hash, &ctx) == 1;
  ctx = states_->outer;
  ok = ok && SHA256_Update(&ctx, inner_hash, sizeof(inner_hash)) == 1 &&
       SHA256_Final(out, &ctx) == 1;
  // Both the copied state and the inner hash derive from the key.
  OPENSSL_cleanse(&ctx, sizeof(ctx));
  OPENSSL_cleanse(inner_hash, sizeof(inner_hash));
  if (!ok) {
    Die("HMAC-SHA256");
  }
}

std::string HmacSha256Key::Mac(std::string_view data) const {
  std::string out(kSha256Size, '\0');
  MacInto(data, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

}  // namespace coffer::crypto
