// X.509 helpers for the cert auth method: PEM parsing into owned
// certificates, chain verification against one role's trust anchors with
// OpenSSL 3's X509_verify_cert, and what a login reads from the leaf
// (names for the role's constraints, identifiers for the token metadata).
//
// All functions are thread-safe and leave the calling thread's OpenSSL
// error queue empty.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/x509.h>

#include "base/status.h"

namespace coffer::auth::cert {

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

// Larger PEM inputs are refused before parsing (a chain of a few
// certificates is a few kilobytes).
inline constexpr size_t kMaxPemSize = 1 << 20;

// ParsePemCertificates returns every CERTIFICATE block of `pem` in order,
// skipping other PEM blocks (as Vault's parsePEM does) and stopping at the
// first block that does not parse. Empty when there is none or `pem` is
// larger than kMaxPemSize.
std::vector<X509Ptr> ParsePemCertificates(std::string_view pem);

// IsCa tells whether `cert` may issue certificates (basicConstraints CA,
// or a v1 self-signed root), as OpenSSL's X509_check_ca decides.
bool IsCa(X509* cert);

// HasClientAuthUsage is true unless `cert` has an extended key usage that
// names neither TLS client authentication nor anyExtendedKeyUsage.
bool HasClientAuthUsage(X509* cert);

// VerifyChain checks that `chain[0]` (the leaf) chains, through the other
// certificates of `chain` used as untrusted intermediates, to one of
// `anchors`, with every certificate valid at `at` and the chain fit for TLS
// client authentication (an extended key usage, where present, must allow
// it). Any certificate of `anchors` is a trust anchor, a non-self-signed CA
// or the exact leaf too (Go's CertPool semantics, which Vault has). Ok on
// success; PermissionDenied carrying OpenSSL's reason otherwise (for the
// server log, not the client); Internal if OpenSSL cannot allocate.
// `chain` must not be empty.
Status VerifyChain(const std::vector<X509Ptr>& anchors, const std::vector<X509Ptr>& chain,
                   std::chrono::system_clock::time_point at);

// What a login reads from the client's leaf certificate.
struct LeafInfo {
  std::string common_name;  // the subject's (last) CN, "" without one
  std::vector<std::string> dns_sans;
  std::vector<std::string> email_sans;
  std::vector<std::string> uri_sans;
  std::string serial_number;     // decimal, as Go's big.Int prints it
  std::string subject_key_id;    // "aa:bb:..." lower-case hex, "" without one
  std::string authority_key_id;  // likewise
};

// ReadLeafInfo extracts the above; Internal only if OpenSSL cannot
// allocate.
Result<LeafInfo> ReadLeafInfo(X509* leaf);

}  // namespace coffer::auth::cert
