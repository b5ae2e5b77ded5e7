// A bare OpenSSL client that only performs a handshake, so tests can pin the
// protocol versions a client offers and see what the server negotiates.
#pragma once

#include <cstdint>
#include <string>

namespace coffer::http::testing {

// NegotiatedTlsVersion connects to 127.0.0.1:port offering versions
// [min_version, max_version] (TLS1_2_VERSION, TLS1_3_VERSION), without
// verifying the server, and returns SSL_get_version() ("TLSv1.3"), or ""
// when the handshake fails.
std::string NegotiatedTlsVersion(uint16_t port, int min_version, int max_version);

}  // namespace coffer::http::testing
