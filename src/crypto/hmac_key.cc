#include "crypto/hmac_key.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <cstdio>
#include <cstdlib>

#include "crypto/hash.h"

namespace coffer::crypto {

namespace {

constexpr size_t kBlockSize = 64;  // SHA-256's

[[noreturn]] void Die(const char* what) {
  // Only an allocation failure or a broken OpenSSL gets here.
  std::fprintf(stderr, "fatal: OpenSSL failed in %s\n", what);
  std::abort();
}

const EVP_MD* Sha256Md() {
  // Fetched once: the per-call fetch is most of what one-shot HMAC() costs.
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) {
    Die("EVP_MD_fetch(SHA256)");
  }
  return md;
}

// Per-thread scratch context, so a MAC allocates no context of its own.
EVP_MD_CTX* Scratch() {
  struct Holder {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Holder() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Holder holder;
  if (holder.ctx == nullptr) {
    Die("EVP_MD_CTX_new");
  }
  return holder.ctx;
}

}  // namespace

void HmacSha256Key::CtxFree::operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }

HmacSha256Key::HmacSha256Key(std::string_view key)
    : inner_(EVP_MD_CTX_new()), outer_(EVP_MD_CTX_new()) {
  if (!inner_ || !outer_) {
    Die("EVP_MD_CTX_new");
  }
  // RFC 2104: a key longer than the block is replaced by its digest, and
  // the key is zero padded to the block size.
  std::array<unsigned char, kBlockSize> block{};
  std::string hashed;
  if (key.size() > kBlockSize) {
    hashed = Sha256(key);
    key = hashed;
  }
  std::array<unsigned char, kBlockSize> pad{};
  for (size_t i = 0; i < kBlockSize; ++i) {
    block[i] = i < key.size() ? static_cast<unsigned char>(key[i]) : 0;
  }
  for (size_t i = 0; i < kBlockSize; ++i) {
    pad[i] = block[i] ^ 0x36;
  }
  if (EVP_DigestInit_ex(inner_.get(), Sha256Md(), nullptr) != 1 ||
      EVP_DigestUpdate(inner_.get(), pad.data(), pad.size()) != 1) {
    Die("HMAC inner key block");
  }
  for (size_t i = 0; i < kBlockSize; ++i) {
    pad[i] = block[i] ^ 0x5c;
  }
  if (EVP_DigestInit_ex(outer_.get(), Sha256Md(), nullptr) != 1 ||
      EVP_DigestUpdate(outer_.get(), pad.data(), pad.size()) != 1) {
    Die("HMAC outer key block");
  }
  OPENSSL_cleanse(block.data(), block.size());
  OPENSSL_cleanse(pad.data(), pad.size());
  OPENSSL_cleanse(hashed.data(), hashed.size());
}

void HmacSha256Key::MacInto(std::string_view data, unsigned char out[32]) const {
  EVP_MD_CTX* ctx = Scratch();
  unsigned char inner_hash[kSha256Size];
  unsigned int len = 0;
  bool ok = EVP_MD_CTX_copy_ex(ctx, inner_.get()) == 1 &&
            EVP_DigestUpdate(ctx, data.data(), data.size()) == 1 &&
            EVP_DigestFinal_ex(ctx, inner_hash, &len) == 1 && len == kSha256Size &&
            EVP_MD_CTX_copy_ex(ctx, outer_.get()) == 1 &&
            EVP_DigestUpdate(ctx, inner_hash, sizeof(inner_hash)) == 1 &&
            EVP_DigestFinal_ex(ctx, out, &len) == 1 && len == kSha256Size;
  // The scratch context held key-derived state: wipe it now.
  EVP_MD_CTX_reset(ctx);
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
