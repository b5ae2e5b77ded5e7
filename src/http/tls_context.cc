#include "http/tls_context.h"

#include <openssl/err.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace coffer::http {

namespace {

// OpenSslError drains OpenSSL's thread-local error queue into one line.
std::string OpenSslError() {
  std::string out;
  while (unsigned long err = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(err, buf, sizeof(buf));
    if (!out.empty()) {
      out += "; ";
    }
    out += buf;
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

// CheckReadable gives "No such file" / "Permission denied" instead of
// OpenSSL's less direct "system library" errors.
Status CheckReadable(const char* key, const std::string& path) {
  if (path.empty()) {
    return Status::InvalidArgument(std::string(key) + " is required when TLS is enabled");
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return Status::IOError(std::string(key) + " \"" + path + "\": " + std::strerror(errno));
  }
  std::fclose(f);
  return Status::Ok();
}

Status FileError(const char* key, const std::string& path) {
  return Status::IOError(std::string(key) + " \"" + path + "\": " + OpenSslError());
}

// AcceptAnyClientCertificate lets a client present any certificate when
// the listener does not require one: like Vault's listener, coffer asks for
// a certificate but leaves judging it to cert auth.
int AcceptAnyClientCertificate(int /*preverify_ok*/, X509_STORE_CTX* /*ctx*/) { return 1; }

Status ConfigureClientVerification(SSL_CTX* ctx, const config::ListenerConfig& listener) {
  const std::string& ca = listener.tls_client_ca_file;
  static const unsigned char kSessionContext[] = "coffer";
  if (!listener.tls_require_and_verify_client_cert) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, AcceptAnyClientCertificate);
    SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof(kSessionContext) - 1);
    if (!ca.empty()) {
      // Still name the CAs we know, so clients pick a matching certificate.
      COFFER_RETURN_IF_ERROR(CheckReadable("tls_client_ca_file", ca));
      if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(ca.c_str())) {
        SSL_CTX_set_client_CA_list(ctx, names);
      }
    }
    return Status::Ok();
  }
  if (!ca.empty()) {
    COFFER_RETURN_IF_ERROR(CheckReadable("tls_client_ca_file", ca));
    if (SSL_CTX_load_verify_locations(ctx, ca.c_str(), nullptr) != 1) {
      return FileError("tls_client_ca_file", ca);
    }
    // Tell clients which CAs we accept, so they pick the right certificate.
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(ca.c_str());
    if (names == nullptr) {
      return FileError("tls_client_ca_file", ca);
    }
    SSL_CTX_set_client_CA_list(ctx, names);
  } else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
    return Status::IOError("loading the system CA store: " + OpenSslError());
  }
  int mode = SSL_VERIFY_PEER;
  if (listener.tls_require_and_verify_client_cert) {
    mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  }
  SSL_CTX_set_verify(ctx, mode, nullptr);
  // Session resumption with client verification needs an id context.
  SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof(kSessionContext) - 1);
  return Status::Ok();
}

}  // namespace

Result<SslCtxPtr> MakeServerTlsContext(const config::ListenerConfig& listener) {
  int min_version = 0;
  if (listener.tls_min_version.empty() || listener.tls_min_version == "tls13") {
    min_version = TLS1_3_VERSION;
  } else if (listener.tls_min_version == "tls12") {
    min_version = TLS1_2_VERSION;
  } else {
    return Status::InvalidArgument("unsupported tls_min_version \"" + listener.tls_min_version +
                                   "\" (use tls12 or tls13)");
  }
  COFFER_RETURN_IF_ERROR(CheckReadable("tls_cert_file", listener.tls_cert_file));
  COFFER_RETURN_IF_ERROR(CheckReadable("tls_key_file", listener.tls_key_file));

  ERR_clear_error();
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) {
    return Status::Internal("SSL_CTX_new: " + OpenSslError());
  }
  if (SSL_CTX_set_min_proto_version(ctx.get(), min_version) != 1) {
    return Status::Internal("setting the minimum TLS version: " + OpenSslError());
  }
  SSL_CTX_set_options(
      ctx.get(), SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), listener.tls_cert_file.c_str()) != 1) {
    return FileError("tls_cert_file", listener.tls_cert_file);
  }
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), listener.tls_key_file.c_str(), SSL_FILETYPE_PEM) !=
      1) {
    return FileError("tls_key_file", listener.tls_key_file);
  }
  if (SSL_CTX_check_private_key(ctx.get()) != 1) {
    return Status::InvalidArgument("tls_key_file \"" + listener.tls_key_file +
                                   "\" does not match tls_cert_file \"" + listener.tls_cert_file +
                                   "\"");
  }
  COFFER_RETURN_IF_ERROR(ConfigureClientVerification(ctx.get(), listener));
  return ctx;
}

}  // namespace coffer::http
