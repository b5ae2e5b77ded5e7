#include "crypto/hash.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace coffer::crypto {

namespace {

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// SHA-256 and HMAC cannot fail short of a broken OpenSSL install or no
// memory; that is a broken invariant, not an input error, so it aborts.
[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "coffer: fatal: %s failed\n", what);
  std::abort();
}

struct KdfDeleter {
  void operator()(EVP_KDF* k) const { EVP_KDF_free(k); }
};
struct KdfCtxDeleter {
  void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
};

// OSSL_PARAM octet strings take a non-const pointer although derivation
// only reads them.
OSSL_PARAM OctetParam(const char* name, std::string_view bytes) {
  return OSSL_PARAM_construct_octet_string(name, const_cast<char*>(bytes.data()), bytes.size());
}

// Fetched once: EVP_sha256() makes OpenSSL 3 fetch the implementation (a
// locked lookup by name) on every digest, which cost as much as hashing a
// short message.
const EVP_MD* Sha256Md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  if (md == nullptr) {
    Die("EVP_MD_fetch(SHA256)");
  }
  return md;
}

}  // namespace

std::string Sha256(std::string_view data) {
  std::string out(kSha256Size, '\0');
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &len,
                 Sha256Md(), nullptr) != 1 ||
      len != kSha256Size) {
    Die("SHA-256");
  }
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  // HMAC() takes an int key length. A key longer than the block size is
  // replaced by its hash (RFC 2104 section 2), so pre-hashing a huge key
  // gives the same MAC.
  std::string hashed_key;
  if (key.size() > static_cast<size_t>(INT_MAX)) {
    hashed_key = Sha256(key);
    key = hashed_key;
  }
  std::string out(kSha256Size, '\0');
  unsigned int len = 0;
  // A zero-length key must still pass a non-null pointer to OpenSSL.
  static const unsigned char kEmpty = 0;
  const unsigned char* k = key.empty() ? &kEmpty : Bytes(key);
  const unsigned char* mac = HMAC(Sha256Md(), k, static_cast<int>(key.size()), Bytes(data),
                                  data.size(), reinterpret_cast<unsigned char*>(out.data()), &len);
  OPENSSL_cleanse(hashed_key.data(), hashed_key.size());
  if (mac == nullptr || len != kSha256Size) {
    Die("HMAC-SHA256");
  }
  return out;
}

Result<SecureBuffer> HkdfSha256(const SecureBuffer& ikm, std::string_view salt,
                                std::string_view info, size_t length) {
  // RFC 5869: L <= 255 * HashLen.
  if (length == 0 || length > 255 * kSha256Size) {
    return Status::InvalidArgument("HKDF output length must be between 1 and 8160 bytes");
  }
  // RFC 5869 allows an empty IKM but OpenSSL refuses one, and deriving keys
  // from nothing is always a caller bug here.
  if (ikm.empty()) {
    return Status::InvalidArgument("HKDF input key material must not be empty");
  }
  std::unique_ptr<EVP_KDF, KdfDeleter> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  if (!kdf) {
    return Status::Internal("HKDF is not available in OpenSSL");
  }
  std::unique_ptr<EVP_KDF_CTX, KdfCtxDeleter> ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx) {
    return Status::Internal("EVP_KDF_CTX_new failed");
  }
  char digest[] = "SHA256";
  OSSL_PARAM params[5];
  size_t n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OctetParam(OSSL_KDF_PARAM_KEY, ikm.view());
  // An absent salt means HashLen zero bytes (RFC 5869 2.2), which is what
  // OpenSSL does when the parameter is not given.
  if (!salt.empty()) {
    params[n++] = OctetParam(OSSL_KDF_PARAM_SALT, salt);
  }
  if (!info.empty()) {
    params[n++] = OctetParam(OSSL_KDF_PARAM_INFO, info);
  }
  params[n] = OSSL_PARAM_construct_end();

  SecureBuffer out(length);
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) {
    return Status::Internal("HKDF derivation failed");
  }
  return out;
}

}  // namespace coffer::crypto
