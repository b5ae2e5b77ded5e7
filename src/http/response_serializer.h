// The bytes of one HTTP/1.x response: status line, headers and body in one
// contiguous buffer, so a connection sends a response with a single write
// and, once its buffer has grown, without allocating.
//
// Guarantee: the output is byte for byte what Beast's serializer produced
// for the response<string_body> the connection built before this file
// existed (tests/unit/http/response_serializer_test.cc compares the two):
//   HTTP/<major>.<minor> <status> <reason>\r\n
//   Content-Type: <content_type>\r\n         (not for 204)
//   Cache-Control: no-store\r\n
//   Connection: close\r\n                    (HTTP/1.1, not keeping alive)
//   Connection: keep-alive\r\n               (HTTP/1.0, keeping alive)
//   Content-Length: <body size>\r\n          (always; 0 for 204 and 304)
//   \r\n
//   <body>                                   (not for HEAD)
// The reason phrase is Beast's (obsolete_reason), "<unknown-status>" for a
// code it does not know. No other header is ever sent.
#pragma once

#include <string>

#include "http/wire.h"

namespace coffer::http {

// What the framing of a response depends on besides the response itself.
struct ResponseFraming {
  unsigned version = 11;    // the request's: 10 or 11
  bool keep_alive = false;  // false: the connection closes after this response
  bool head = false;        // a HEAD request: headers only, with the GET's length
};

// SerializeResponse replaces the contents of `out` with the bytes of
// `response` framed by `framing`, reusing the capacity of `out`. It never
// fails. The response status must be 200..599 (Dispatch guarantees it) and
// a 204 or 304 must have an empty body (EncodeResponse guarantees it).
void SerializeResponse(const WireResponse& response, const ResponseFraming& framing,
                       std::string& out);

// SerializeContinue replaces the contents of `out` with the interim
// "100 Continue" answer (no headers) to a request of `version` that sent
// "Expect: 100-continue".
void SerializeContinue(unsigned version, std::string& out);

}  // namespace coffer::http
