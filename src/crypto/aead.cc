#include "crypto/aead.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <span>

#include "crypto/random.h"

namespace coffer::crypto {

namespace {

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

// EVP_*Update take an int length, so long inputs go in chunks. GCM is a
// stream mode: chunking does not change the output.
constexpr size_t kChunk = size_t{1} << 30;

const uint8_t* Bytes(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }

Status AuthFailed() { return Status::Corruption("message authentication failed"); }

Status CheckKey(const SecureBuffer& key) {
  if (key.size() != kAeadKeySize) {
    return Status::InvalidArgument("AES-256-GCM key must be 32 bytes");
  }
  return Status::Ok();
}

// Fetched once: EVP_aes_256_gcm() makes OpenSSL 3 fetch the implementation
// on every init, which cost more than encrypting a small entry.
const EVP_CIPHER* Gcm() {
  static EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  return cipher;
}

// Update feeds `in` through the cipher; `out` == nullptr feeds AAD.
bool Update(EVP_CIPHER_CTX* ctx, bool encrypt, uint8_t* out, const uint8_t* in, size_t len) {
  for (size_t pos = 0; pos < len; pos += kChunk) {
    const int n = static_cast<int>(std::min(kChunk, len - pos));
    int outl = 0;
    uint8_t* dst = out == nullptr ? nullptr : out + pos;
    const int ok = encrypt ? EVP_EncryptUpdate(ctx, dst, &outl, in + pos, n)
                           : EVP_DecryptUpdate(ctx, dst, &outl, in + pos, n);
    if (ok != 1) {
      return false;
    }
  }
  return true;
}

// OpenInto authenticates `sealed` and decrypts it into `out`, which has room
// for sealed.size() - kAeadOverhead bytes. On failure `out` may hold
// unauthenticated plaintext, which the caller must wipe.
Status OpenInto(const uint8_t* key, std::string_view sealed, std::string_view aad,
                uint8_t* out) {
  const uint8_t* nonce = Bytes(sealed);
  const size_t ct_len = sealed.size() - kAeadOverhead;
  const uint8_t* ct = nonce + kAeadNonceSize;
  // EVP_CTRL_GCM_SET_TAG wants a mutable pointer.
  uint8_t tag[kAeadTagSize];
  std::memcpy(tag, ct + ct_len, kAeadTagSize);

  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) {
    return Status::Internal("EVP_CIPHER_CTX_new failed");
  }
  if (Gcm() == nullptr || EVP_DecryptInit_ex(ctx.get(), Gcm(), nullptr, key, nonce) != 1) {
    return Status::Internal("AES-GCM decrypt init failed");
  }
  if (!Update(ctx.get(), false, nullptr, Bytes(aad), aad.size()) ||
      !Update(ctx.get(), false, out, ct, ct_len)) {
    return AuthFailed();
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kAeadTagSize, tag) != 1) {
    return Status::Internal("AES-GCM set tag failed");
  }
  int outl = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), out == nullptr ? tag : out + ct_len, &outl) != 1) {
    return AuthFailed();
  }
  return Status::Ok();
}

Status CheckSealed(std::string_view sealed) {
  if (sealed.size() < kAeadOverhead) {
    return AuthFailed();
  }
  return Status::Ok();
}

// SealInto writes nonce || ciphertext || tag to `out`, which has room for
// plaintext.size() + kAeadOverhead bytes. `nonce` may point into `out`.
Status SealInto(const uint8_t* key, const uint8_t* nonce, std::string_view plaintext,
                std::string_view aad, uint8_t* out) {
  if (out != nonce) {
    std::memmove(out, nonce, kAeadNonceSize);
  }
  uint8_t* ct = out + kAeadNonceSize;
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) {
    return Status::Internal("EVP_CIPHER_CTX_new failed");
  }
  // The default GCM IV length is 12 bytes, matching kAeadNonceSize.
  if (Gcm() == nullptr || EVP_EncryptInit_ex(ctx.get(), Gcm(), nullptr, key, out) != 1) {
    return Status::Internal("AES-GCM encrypt init failed");
  }
  if (!Update(ctx.get(), true, nullptr, Bytes(aad), aad.size()) ||
      !Update(ctx.get(), true, ct, Bytes(plaintext), plaintext.size())) {
    return Status::Internal("AES-GCM encrypt failed");
  }
  int outl = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), ct + plaintext.size(), &outl) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kAeadTagSize,
                          ct + plaintext.size()) != 1) {
    return Status::Internal("AES-GCM finalize failed");
  }
  return Status::Ok();
}

Status CheckSealTo(std::string_view plaintext, std::span<uint8_t> out) {
  if (plaintext.size() > SIZE_MAX - kAeadOverhead ||
      out.size() != plaintext.size() + kAeadOverhead) {
    return Status::InvalidArgument("AEAD output must be plaintext size + 28 bytes");
  }
  return Status::Ok();
}

Result<std::string> SealWith(const uint8_t* key, std::string_view plaintext,
                             std::string_view aad) {
  if (plaintext.size() > SIZE_MAX - kAeadOverhead) {
    return Status::TooLarge("plaintext too large");
  }
  std::string sealed(kAeadNonceSize + plaintext.size() + kAeadTagSize, '\0');
  auto* out = reinterpret_cast<uint8_t*>(sealed.data());
  COFFER_RETURN_IF_ERROR(RandomBytes({out, kAeadNonceSize}));
  COFFER_RETURN_IF_ERROR(SealInto(key, out, plaintext, aad, out));
  return sealed;
}

Result<std::string> OpenWith(const uint8_t* key, std::string_view sealed,
                             std::string_view aad) {
  COFFER_RETURN_IF_ERROR(CheckSealed(sealed));
  std::string plaintext(sealed.size() - kAeadOverhead, '\0');
  auto* out = plaintext.empty() ? nullptr : reinterpret_cast<uint8_t*>(plaintext.data());
  Status st = OpenInto(key, sealed, aad, out);
  if (!st.ok()) {
    // Never hand back (or leave in freed memory) unauthenticated plaintext.
    Wipe(plaintext.data(), plaintext.size());
    return st;
  }
  return plaintext;
}

}  // namespace

DataKey::~DataKey() { Wipe(bytes_.data(), bytes_.size()); }

DataKey::DataKey(DataKey&& other) noexcept : bytes_(other.bytes_) {
  Wipe(other.bytes_.data(), other.bytes_.size());
}

DataKey DataKey::FromBytes(std::span<const uint8_t, kSize> bytes) {
  DataKey key;
  std::memcpy(key.bytes_.data(), bytes.data(), kSize);
  return key;
}

Result<DataKey> DataKey::Random() {
  DataKey key;
  COFFER_RETURN_IF_ERROR(RandomBytes({key.bytes_.data(), key.bytes_.size()}));
  return key;
}

Result<std::string> AeadSeal(const SecureBuffer& key, std::string_view plaintext,
                             std::string_view aad) {
  COFFER_RETURN_IF_ERROR(CheckKey(key));
  return SealWith(key.data(), plaintext, aad);
}

Result<std::string> AeadSeal(const DataKey& key, std::string_view plaintext,
                             std::string_view aad) {
  return SealWith(key.data(), plaintext, aad);
}

Status AeadSealTo(const SecureBuffer& key, std::span<const uint8_t, kAeadNonceSize> nonce,
                  std::string_view plaintext, std::string_view aad, std::span<uint8_t> out) {
  COFFER_RETURN_IF_ERROR(CheckKey(key));
  COFFER_RETURN_IF_ERROR(CheckSealTo(plaintext, out));
  return SealInto(key.data(), nonce.data(), plaintext, aad, out.data());
}

Status AeadSealTo(const DataKey& key, std::span<const uint8_t, kAeadNonceSize> nonce,
                  std::string_view plaintext, std::string_view aad, std::span<uint8_t> out) {
  COFFER_RETURN_IF_ERROR(CheckSealTo(plaintext, out));
  return SealInto(key.data(), nonce.data(), plaintext, aad, out.data());
}

Result<std::string> AeadOpen(const SecureBuffer& key, std::string_view sealed,
                             std::string_view aad) {
  COFFER_RETURN_IF_ERROR(CheckKey(key));
  return OpenWith(key.data(), sealed, aad);
}

Result<std::string> AeadOpen(const DataKey& key, std::string_view sealed,
                             std::string_view aad) {
  return OpenWith(key.data(), sealed, aad);
}

Result<SecureBuffer> AeadOpenKey(const SecureBuffer& key, std::string_view sealed,
                                 std::string_view aad) {
  COFFER_RETURN_IF_ERROR(CheckKey(key));
  COFFER_RETURN_IF_ERROR(CheckSealed(sealed));
  // SecureBuffer wipes itself when it goes out of scope on failure.
  SecureBuffer plaintext(sealed.size() - kAeadOverhead);
  COFFER_RETURN_IF_ERROR(OpenInto(key.data(), sealed, aad, plaintext.data()));
  return plaintext;
}

Status AeadOpenDataKey(const SecureBuffer& kek, std::string_view sealed, std::string_view aad,
                       DataKey* out) {
  COFFER_RETURN_IF_ERROR(CheckKey(kek));
  if (sealed.size() != kAeadOverhead + DataKey::kSize) {
    return AuthFailed();
  }
  Status opened = OpenInto(kek.data(), sealed, aad, out->data());
  if (!opened.ok()) {
    Wipe(out->data(), DataKey::kSize);
  }
  return opened;
}

}  // namespace coffer::crypto
