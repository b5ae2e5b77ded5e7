// Client-side TLS settings, built with OpenSSL's C API (no Asio here).
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>

#include "api/client.h"
#include "base/status.h"

namespace coffer::api {

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;

// MakeClientTlsContext builds a context that requires TLS 1.2 or later and
// verifies the server against ca_cert_file / ca_path, or the system store
// when neither is set, unless tls_skip_verify. A client certificate is
// loaded when client_cert_file is set (client_key_file then required).
// IOError names a file that cannot be used.
Result<SslCtxPtr> MakeClientTlsContext(const ClientConfig& config);

// ConfigureServerIdentity sets SNI (for DNS names) and the name or IP
// address the server's certificate must match on one connection.
Status ConfigureServerIdentity(SSL* ssl, const std::string& host, const ClientConfig& config);

// TlsErrorString drains OpenSSL's error queue into one line ("" if empty).
std::string TlsErrorString();

}  // namespace coffer::api
