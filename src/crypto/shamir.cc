#include "crypto/shamir.h"

extern "C" {
#include <libgfshare.h>
}

#include <openssl/rand.h>

#include <array>
#include <climits>
#include <cstring>
#include <memory>
#include <mutex>

#include "crypto/random.h"

namespace coffer::crypto {

namespace {

constexpr int kMaxParts = 255;  // x coordinates are the nonzero bytes

// libgfshare draws polynomial coefficients (and scrubs freed contexts)
// through a global callback whose signature cannot report failure, so a
// failure is recorded per thread and checked after each call.
thread_local bool rng_failed = false;

void FillRandom(unsigned char* buf, unsigned int count) {
  if (count == 0) {
    return;
  }
  if (RAND_bytes(buf, static_cast<int>(count)) != 1) {
    rng_failed = true;
  }
}

void InstallRandom() {
  static std::once_flag once;
  std::call_once(once, [] { gfshare_fill_rand = FillRandom; });
}

struct GfshareDeleter {
  void operator()(gfshare_ctx* c) const { gfshare_ctx_free(c); }
};
using GfshareCtx = std::unique_ptr<gfshare_ctx, GfshareDeleter>;

// DistinctXCoordinates picks `parts` distinct x coordinates uniformly from
// 1..255 by rejection sampling, so shares do not reveal their order.
Status DistinctXCoordinates(size_t parts, unsigned char* xs) {
  std::array<bool, 256> used{};
  used[0] = true;  // x = 0 would be the secret itself
  size_t have = 0;
  std::array<uint8_t, 64> pool{};
  while (have < parts) {
    COFFER_RETURN_IF_ERROR(RandomBytes(pool));
    for (size_t i = 0; i < pool.size() && have < parts; ++i) {
      if (!used[pool[i]]) {
        used[pool[i]] = true;
        xs[have++] = pool[i];
      }
    }
  }
  return Status::Ok();
}

Status CheckSplitArgs(const SecureBuffer& secret, int parts, int threshold) {
  if (secret.empty()) {
    return Status::InvalidArgument("cannot split an empty secret");
  }
  if (secret.size() > UINT_MAX) {
    return Status::InvalidArgument("secret too large to split");
  }
  if (parts < 1 || parts > kMaxParts) {
    return Status::InvalidArgument("parts must be between 1 and 255");
  }
  if (threshold < 1 || threshold > parts) {
    return Status::InvalidArgument("threshold must be between 1 and the number of parts");
  }
  if (threshold == 1 && parts > 1) {
    // Every share would be the secret in the clear.
    return Status::InvalidArgument("threshold must be at least 2 when parts is more than 1");
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<SecureBuffer>> ShamirSplit(const SecureBuffer& secret, int parts,
                                              int threshold) {
  COFFER_RETURN_IF_ERROR(CheckSplitArgs(secret, parts, threshold));
  const size_t len = secret.size();
  const auto count = static_cast<size_t>(parts);
  std::array<unsigned char, kMaxParts> xs{};
  COFFER_RETURN_IF_ERROR(DistinctXCoordinates(count, xs.data()));

  std::vector<SecureBuffer> shares;
  shares.reserve(count);
  if (parts == 1) {
    // A degree-0 polynomial: the share is the secret. libgfshare is not
    // needed (and its threshold-1 behaviour is not documented).
    SecureBuffer share(len + 1);
    std::memcpy(share.data(), secret.data(), len);
    share.data()[len] = xs[0];
    shares.push_back(std::move(share));
    return shares;
  }

  InstallRandom();
  rng_failed = false;
  GfshareCtx ctx(gfshare_ctx_init_enc(xs.data(), static_cast<unsigned int>(count),
                                      static_cast<unsigned char>(threshold),
                                      static_cast<unsigned int>(len)));
  if (!ctx) {
    return Status::Internal("gfshare_ctx_init_enc failed");
  }
  // setsecret copies the secret into the context (scrubbed on free).
  gfshare_ctx_enc_setsecret(ctx.get(), const_cast<unsigned char*>(secret.data()));
  if (rng_failed) {
    return Status::Internal("random number generator failed");
  }
  for (size_t i = 0; i < count; ++i) {
    SecureBuffer share(len + 1);
    gfshare_ctx_enc_getshare(ctx.get(), static_cast<unsigned char>(i), share.data());
    share.data()[len] = xs[i];
    shares.push_back(std::move(share));
  }
  return shares;
}

Result<SecureBuffer> ShamirCombine(std::span<const SecureBuffer> shares) {
  if (shares.empty()) {
    return Status::InvalidArgument("at least one share is required");
  }
  if (shares.size() > static_cast<size_t>(kMaxParts)) {
    return Status::InvalidArgument("too many shares");
  }
  const size_t total = shares[0].size();
  if (total < 2) {
    return Status::InvalidArgument("share is too short");
  }
  if (total - 1 > UINT_MAX) {
    return Status::InvalidArgument("share is too large");
  }
  const size_t len = total - 1;
  std::array<unsigned char, kMaxParts> xs{};
  std::array<bool, 256> seen{};
  for (size_t i = 0; i < shares.size(); ++i) {
    if (shares[i].size() != total) {
      return Status::InvalidArgument("all shares must be the same length");
    }
    const uint8_t x = shares[i].data()[len];
    if (x == 0) {
      return Status::InvalidArgument("share has an invalid x coordinate of 0");
    }
    if (seen[x]) {
      return Status::InvalidArgument("duplicate share: two shares have the same x coordinate");
    }
    seen[x] = true;
    xs[i] = x;
  }

  SecureBuffer secret(len);
  if (shares.size() == 1) {
    // Interpolating one point gives the constant polynomial: the share's
    // bytes. This is how a 1-of-1 split is recovered.
    std::memcpy(secret.data(), shares[0].data(), len);
    return secret;
  }

  // gfshare_ctx_free scrubs the context through the random callback.
  InstallRandom();
  GfshareCtx ctx(gfshare_ctx_init_dec(xs.data(), static_cast<unsigned int>(shares.size()),
                                      static_cast<unsigned int>(len)));
  if (!ctx) {
    return Status::Internal("gfshare_ctx_init_dec failed");
  }
  for (size_t i = 0; i < shares.size(); ++i) {
    // giveshare copies the share bytes (scrubbed on free).
    gfshare_ctx_dec_giveshare(ctx.get(), static_cast<unsigned char>(i),
                              const_cast<unsigned char*>(shares[i].data()));
  }
  gfshare_ctx_dec_extract(ctx.get(), secret.data());
  return secret;
}

}  // namespace coffer::crypto
