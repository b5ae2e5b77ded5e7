#include "auth/cert/x509_chain.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <climits>

namespace coffer::auth::cert {

namespace {

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct StoreDeleter {
  void operator()(X509_STORE* s) const { X509_STORE_free(s); }
};
struct StoreCtxDeleter {
  void operator()(X509_STORE_CTX* c) const { X509_STORE_CTX_free(c); }
};
// The stack does not own its certificates: the caller's X509Ptrs do.
struct StackDeleter {
  void operator()(STACK_OF(X509) * s) const { sk_X509_free(s); }
};
struct GeneralNamesDeleter {
  void operator()(GENERAL_NAMES* n) const { GENERAL_NAMES_free(n); }
};
struct BignumDeleter {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct OpenSslStringDeleter {
  void operator()(char* s) const { OPENSSL_free(s); }
};

// ErrorQueueGuard empties the thread's OpenSSL error queue when it goes
// out of scope, so failures here leave nothing behind for other code.
struct ErrorQueueGuard {
  ~ErrorQueueGuard() { ERR_clear_error(); }
};

std::string Ia5String(const ASN1_STRING* s) {
  if (s == nullptr) {
    return "";
  }
  const unsigned char* data = ASN1_STRING_get0_data(s);
  const int len = ASN1_STRING_length(s);
  if (data == nullptr || len <= 0) {
    return "";
  }
  return std::string(reinterpret_cast<const char*>(data), static_cast<size_t>(len));
}

std::string HexWithColons(const ASN1_OCTET_STRING* s) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  if (s == nullptr) {
    return out;
  }
  const unsigned char* data = ASN1_STRING_get0_data(s);
  const int len = ASN1_STRING_length(s);
  for (int i = 0; data != nullptr && i < len; ++i) {
    if (!out.empty()) {
      out.push_back(':');
    }
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0xf]);
  }
  return out;
}

// CommonName is the subject's last CN entry, as Go's pkix.Name keeps it.
std::string CommonName(X509* cert) {
  const X509_NAME* subject = X509_get_subject_name(cert);
  if (subject == nullptr) {
    return "";
  }
  int last = -1;
  for (int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(subject, NID_commonName, i)) {
    last = i;
  }
  if (last < 0) {
    return "";
  }
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, last));
  if (value == nullptr) {
    return "";
  }
  unsigned char* utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, value);
  std::unique_ptr<char, OpenSslStringDeleter> owned(reinterpret_cast<char*>(utf8));
  if (len <= 0 || utf8 == nullptr) {
    return "";
  }
  return std::string(owned.get(), static_cast<size_t>(len));
}

}  // namespace

std::vector<X509Ptr> ParsePemCertificates(std::string_view pem) {
  ErrorQueueGuard clear_errors;
  std::vector<X509Ptr> certs;
  if (pem.empty() || pem.size() > kMaxPemSize || pem.size() > static_cast<size_t>(INT_MAX)) {
    return certs;
  }
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) {
    return certs;
  }
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.emplace_back(cert);
  }
  return certs;
}

bool IsCa(X509* cert) {
  ErrorQueueGuard clear_errors;
  return X509_check_ca(cert) != 0;
}

bool HasClientAuthUsage(X509* cert) {
  ErrorQueueGuard clear_errors;
  if ((X509_get_extension_flags(cert) & EXFLAG_XKUSAGE) == 0) {
    return true;
  }
  return (X509_get_extended_key_usage(cert) & (XKU_SSL_CLIENT | XKU_ANYEKU)) != 0;
}

Status VerifyChain(const std::vector<X509Ptr>& anchors, const std::vector<X509Ptr>& chain,
                   std::chrono::system_clock::time_point at) {
  ErrorQueueGuard clear_errors;
  if (chain.empty()) {
    return Status::PermissionDenied("no client certificate");
  }
  std::unique_ptr<X509_STORE, StoreDeleter> store(X509_STORE_new());
  std::unique_ptr<STACK_OF(X509), StackDeleter> untrusted(sk_X509_new_null());
  std::unique_ptr<X509_STORE_CTX, StoreCtxDeleter> ctx(X509_STORE_CTX_new());
  if (!store || !untrusted || !ctx) {
    return Status::Internal("OpenSSL could not allocate a certificate store");
  }
  for (const X509Ptr& anchor : anchors) {
    // X509_STORE_add_cert takes its own reference.
    if (X509_STORE_add_cert(store.get(), anchor.get()) != 1) {
      return Status::Internal("X509_STORE_add_cert failed");
    }
  }
  for (size_t i = 1; i < chain.size(); ++i) {
    if (sk_X509_push(untrusted.get(), chain[i].get()) <= 0) {
      return Status::Internal("sk_X509_push failed");
    }
  }
  if (X509_STORE_CTX_init(ctx.get(), store.get(), chain[0].get(), untrusted.get()) != 1) {
    return Status::Internal("X509_STORE_CTX_init failed");
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  // Any anchor ends a chain, whether or not it is self-signed, as with Go's
  // x509.CertPool roots.
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  X509_VERIFY_PARAM_set_time(param, std::chrono::system_clock::to_time_t(at));
  if (X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT) != 1) {
    return Status::Internal("X509_STORE_CTX_set_purpose failed");
  }
  if (X509_verify_cert(ctx.get()) == 1) {
    return Status::Ok();
  }
  const int error = X509_STORE_CTX_get_error(ctx.get());
  return Status::PermissionDenied(std::string("certificate verification failed: ") +
                                  X509_verify_cert_error_string(error));
}

Result<LeafInfo> ReadLeafInfo(X509* leaf) {
  ErrorQueueGuard clear_errors;
  LeafInfo info;
  info.common_name = CommonName(leaf);

  int critical = 0;
  std::unique_ptr<GENERAL_NAMES, GeneralNamesDeleter> sans(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(leaf, NID_subject_alt_name, &critical, nullptr)));
  for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans.get(), i);
    switch (name->type) {
      case GEN_DNS:
        info.dns_sans.push_back(Ia5String(name->d.dNSName));
        break;
      case GEN_EMAIL:
        info.email_sans.push_back(Ia5String(name->d.rfc822Name));
        break;
      case GEN_URI:
        info.uri_sans.push_back(Ia5String(name->d.uniformResourceIdentifier));
        break;
      default:
        break;
    }
  }

  std::unique_ptr<BIGNUM, BignumDeleter> serial(
      ASN1_INTEGER_to_BN(X509_get0_serialNumber(leaf), nullptr));
  if (!serial) {
    return Status::Internal("ASN1_INTEGER_to_BN failed");
  }
  std::unique_ptr<char, OpenSslStringDeleter> decimal(BN_bn2dec(serial.get()));
  if (!decimal) {
    return Status::Internal("BN_bn2dec failed");
  }
  info.serial_number = decimal.get();
  info.subject_key_id = HexWithColons(X509_get0_subject_key_id(leaf));
  info.authority_key_id = HexWithColons(X509_get0_authority_key_id(leaf));
  return info;
}

}  // namespace coffer::auth::cert
