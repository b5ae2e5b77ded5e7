// Server-side TLS settings of a listener, built with OpenSSL's C API so that
// the checks (and their error messages) live apart from the Asio code.
#pragma once

#include <openssl/ssl.h>

#include <memory>

#include "base/status.h"
#include "config/server_config.h"

namespace coffer::http {

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;

// MakeServerTlsContext loads the listener's PEM certificate chain and key and
// applies its TLS options:
//   tls_min_version    "tls13" (default) or "tls12"; anything else fails
//   tls_client_ca_file client certificates are requested and, if sent,
//                      verified against this file
//   tls_require_and_verify_client_cert  a verified client certificate is
//                      required (against the CA file, or the system store
//                      when none is set)
// Fails with InvalidArgument for a bad option and IOError naming the file
// for an unreadable or unusable certificate, key or CA file.
Result<SslCtxPtr> MakeServerTlsContext(const config::ListenerConfig& listener);

}  // namespace coffer::http
