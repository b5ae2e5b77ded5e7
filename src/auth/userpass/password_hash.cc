#include "auth/userpass/password_hash.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <charconv>
#include <memory>
#include <optional>
#include <vector>

#include "base/encoding.h"
#include "crypto/random.h"
#include "crypto/secure_buffer.h"

namespace coffer::auth::userpass {

namespace {

constexpr std::string_view kScheme = "scrypt";
constexpr uint64_t kMaxN = uint64_t{1} << 20;
constexpr uint64_t kMaxR = 32;
constexpr uint64_t kMaxP = 16;
constexpr uint64_t kMaxMemoryBytes = uint64_t{256} << 20;
constexpr size_t kMinSaltSize = 8;
constexpr size_t kMaxSaltSize = 64;
constexpr size_t kMinHashSize = 16;
constexpr size_t kMaxHashSize = 64;

struct KdfDeleter {
  void operator()(EVP_KDF* k) const { EVP_KDF_free(k); }
};
struct KdfCtxDeleter {
  void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
};

// ScryptMemory is what scrypt's V array and B blocks take (RFC 7914:
// 128 * r * N and 128 * r * p bytes), plus OpenSSL's own two spare blocks.
// Only called on parameters ParamsInRange accepted, so it cannot overflow.
uint64_t ScryptMemory(const ScryptParams& p) {
  return 128 * p.r * (p.n + 2) + 128 * p.r * p.p;
}

bool ParamsInRange(const ScryptParams& p) {
  const bool n_ok = p.n >= 2 && p.n <= kMaxN && (p.n & (p.n - 1)) == 0;
  const bool r_ok = p.r >= 1 && p.r <= kMaxR;
  const bool p_ok = p.p >= 1 && p.p <= kMaxP;
  return n_ok && r_ok && p_ok && ScryptMemory(p) <= kMaxMemoryBytes;
}

// OSSL_PARAM octet strings take a non-const pointer although derivation
// only reads them.
OSSL_PARAM OctetParam(const char* name, std::string_view bytes) {
  return OSSL_PARAM_construct_octet_string(name, const_cast<char*>(bytes.data()), bytes.size());
}

// Derive runs scrypt over `password` and `salt` into `out_size` bytes.
// The caller has checked the parameters.
Result<crypto::SecureBuffer> Derive(std::string_view password, std::string_view salt,
                                    ScryptParams params, size_t out_size) {
  std::unique_ptr<EVP_KDF, KdfDeleter> kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_SCRYPT, nullptr));
  if (!kdf) {
    return Status::Internal("OpenSSL has no scrypt KDF");
  }
  std::unique_ptr<EVP_KDF_CTX, KdfCtxDeleter> ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx) {
    return Status::Internal("EVP_KDF_CTX_new failed");
  }
  // OpenSSL refuses derivations above 32 MiB by default, and N=32768, r=8
  // needs a little more; allow what these parameters take.
  uint64_t maxmem = ScryptMemory(params) + (uint64_t{1} << 20);
  // An empty password must still pass a non-null pointer.
  static const char kEmpty = 0;
  std::string_view pass = password.empty() ? std::string_view(&kEmpty, 0) : password;
  OSSL_PARAM ossl_params[] = {
      OctetParam(OSSL_KDF_PARAM_PASSWORD, pass),
      OctetParam(OSSL_KDF_PARAM_SALT, salt),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &params.n),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_R, &params.r),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_P, &params.p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
      OSSL_PARAM_construct_end(),
  };
  crypto::SecureBuffer out(out_size);
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), ossl_params) != 1) {
    return Status::Internal("scrypt derivation failed");
  }
  return out;
}

std::string Encode(const ScryptParams& p, std::string_view salt, std::string_view hash) {
  return std::string(kScheme) + "$" + std::to_string(p.n) + "$" + std::to_string(p.r) + "$" +
         std::to_string(p.p) + "$" + Base64Encode(salt) + "$" + Base64Encode(hash);
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::optional<uint64_t> ParseNumber(std::string_view s) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

struct Decoded {
  ScryptParams params;
  std::string salt;
  std::string hash;
};

std::optional<Decoded> Decode(std::string_view encoded) {
  std::vector<std::string_view> parts = Split(encoded, '$');
  if (parts.size() != 6 || parts[0] != kScheme) {
    return std::nullopt;
  }
  std::optional<uint64_t> n = ParseNumber(parts[1]);
  std::optional<uint64_t> r = ParseNumber(parts[2]);
  std::optional<uint64_t> p = ParseNumber(parts[3]);
  std::optional<std::string> salt = Base64Decode(parts[4]);
  std::optional<std::string> hash = Base64Decode(parts[5]);
  if (!n || !r || !p || !salt || !hash) {
    return std::nullopt;
  }
  Decoded d{{*n, *r, *p}, std::move(*salt), std::move(*hash)};
  if (!ParamsInRange(d.params) || d.salt.size() < kMinSaltSize || d.salt.size() > kMaxSaltSize ||
      d.hash.size() < kMinHashSize || d.hash.size() > kMaxHashSize) {
    return std::nullopt;
  }
  return d;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password, const ScryptParams& params) {
  if (password.empty()) {
    return Status::InvalidArgument("missing password");
  }
  if (!ParamsInRange(params)) {
    return Status::InvalidArgument("scrypt parameters out of range");
  }
  COFFER_ASSIGN_OR_RETURN(std::string salt, crypto::RandomString(kSaltSize));
  COFFER_ASSIGN_OR_RETURN(crypto::SecureBuffer hash, Derive(password, salt, params, kHashSize));
  return Encode(params, salt, hash.view());
}

Result<bool> VerifyPassword(std::string_view password, std::string_view encoded) {
  std::optional<Decoded> d = Decode(encoded);
  if (!d) {
    return Status::Corruption("malformed password hash");
  }
  COFFER_ASSIGN_OR_RETURN(crypto::SecureBuffer computed,
                          Derive(password, d->salt, d->params, d->hash.size()));
  return crypto::ConstantTimeEquals(computed.view(), d->hash);
}

std::string DummyPasswordHash() {
  return Encode(kDefaultScryptParams, std::string(kSaltSize, '\0'), std::string(kHashSize, '\0'));
}

}  // namespace coffer::auth::userpass
