#include "api/client_tls.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace coffer::api {

namespace {

bool IsIpAddress(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

Status FileError(const char* what, const std::string& path) {
  std::string detail = TlsErrorString();
  return Status::IOError(std::string(what) + " \"" + path + "\"" +
                         (detail.empty() ? "" : ": " + detail));
}

}  // namespace

std::string TlsErrorString() {
  std::string out;
  while (unsigned long err = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(err, buf, sizeof(buf));
    if (!out.empty()) {
      out += "; ";
    }
    out += buf;
  }
  return out;
}

// AddPemCas trusts every certificate of a PEM bundle given inline (an auth
// method's jwks_ca_pem or kubernetes_ca_cert).
Status AddPemCas(SSL_CTX* ctx, const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) {
    return Status::Internal("BIO_new_mem_buf failed");
  }
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  int added = 0;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    const int ok = X509_STORE_add_cert(store, cert);
    X509_free(cert);
    if (ok != 1) {
      return Status::InvalidArgument("CA certificate could not be added: " + TlsErrorString());
    }
    ++added;
  }
  ERR_clear_error();  // the read that ended the loop
  if (added == 0) {
    return Status::InvalidArgument("no certificate found in the CA PEM bundle");
  }
  return Status::Ok();
}

Result<SslCtxPtr> MakeClientTlsContext(const ClientConfig& config) {
  ERR_clear_error();
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) {
    return Status::Internal("SSL_CTX_new: " + TlsErrorString());
  }
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  if (config.tls_skip_verify) {
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  } else {
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
    if (!config.ca_cert_pem.empty()) {
      COFFER_RETURN_IF_ERROR(AddPemCas(ctx.get(), config.ca_cert_pem));
    }
    if (config.ca_cert_file.empty() && config.ca_path.empty()) {
      if (!config.ca_cert_pem.empty()) {
        // An explicit PEM bundle replaces the system store.
      } else if (SSL_CTX_set_default_verify_paths(ctx.get()) != 1) {
        return Status::IOError("loading the system CA store: " + TlsErrorString());
      }
    } else {
      const char* file = config.ca_cert_file.empty() ? nullptr : config.ca_cert_file.c_str();
      const char* dir = config.ca_path.empty() ? nullptr : config.ca_path.c_str();
      if (SSL_CTX_load_verify_locations(ctx.get(), file, dir) != 1) {
        return FileError("loading CA certificates from",
                         file != nullptr ? config.ca_cert_file : config.ca_path);
      }
    }
  }
  if (!config.client_cert_file.empty() || !config.client_key_file.empty()) {
    if (config.client_cert_file.empty() || config.client_key_file.empty()) {
      return Status::InvalidArgument("a client certificate needs both a cert and a key file");
    }
    if (SSL_CTX_use_certificate_chain_file(ctx.get(), config.client_cert_file.c_str()) != 1) {
      return FileError("client certificate", config.client_cert_file);
    }
    if (SSL_CTX_use_PrivateKey_file(ctx.get(), config.client_key_file.c_str(), SSL_FILETYPE_PEM) !=
        1) {
      return FileError("client key", config.client_key_file);
    }
    if (SSL_CTX_check_private_key(ctx.get()) != 1) {
      return Status::InvalidArgument("client key does not match the client certificate");
    }
  }
  return ctx;
}

Status ConfigureServerIdentity(SSL* ssl, const std::string& host, const ClientConfig& config) {
  const std::string& name = config.tls_server_name.empty() ? host : config.tls_server_name;
  if (IsIpAddress(name)) {
    if (!config.tls_skip_verify &&
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name.c_str()) != 1) {
      return Status::Internal("setting the IP address to verify: " + TlsErrorString());
    }
    return Status::Ok();
  }
  if (SSL_set_tlsext_host_name(ssl, name.c_str()) != 1) {
    return Status::Internal("setting SNI: " + TlsErrorString());
  }
  if (!config.tls_skip_verify && SSL_set1_host(ssl, name.c_str()) != 1) {
    return Status::Internal("setting the host name to verify: " + TlsErrorString());
  }
  return Status::Ok();
}

}  // namespace coffer::api
