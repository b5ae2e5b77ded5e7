#include "http/response_serializer.h"

#include <cassert>
#include <charconv>
#include <ostream>  // Beast's string_view needs it and does not include it

// Only Beast's status table, cheap to compile: the reason phrases must stay
// the ones Beast's serializer sent.
#include <boost/beast/http/status.hpp>

namespace coffer::http {

namespace {

namespace bhttp = boost::beast::http;

char Digit(unsigned n) { return static_cast<char>('0' + n % 10); }

// AppendStatusLine writes the line as Beast did: one digit each for the
// major and minor version, and Beast's reason phrase.
void AppendStatusLine(unsigned version, int status, std::string& out) {
  assert(status >= 100 && status <= 999);
  const auto code = static_cast<unsigned>(status);
  out.append("HTTP/");
  out.push_back(Digit(version / 10));
  out.push_back('.');
  out.push_back(Digit(version));
  out.push_back(' ');
  out.push_back(Digit(code / 100));
  out.push_back(Digit(code / 10));
  out.push_back(Digit(code));
  out.push_back(' ');
  const auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(code));
  out.append(reason.data(), reason.size());
  out.append("\r\n");
}

}  // namespace

void SerializeResponse(const WireResponse& response, const ResponseFraming& framing,
                       std::string& out) {
  assert((response.status != 204 && response.status != 304) || response.body.empty());
  out.clear();
  AppendStatusLine(framing.version, response.status, out);
  if (response.status != 204) {
    out.append("Content-Type: ");
    out.append(response.content_type);
    out.append("\r\n");
  }
  out.append("Cache-Control: no-store\r\n");
  // HTTP/1.1 keeps alive unless told otherwise, HTTP/1.0 the reverse.
  if (framing.version >= 11 && !framing.keep_alive) {
    out.append("Connection: close\r\n");
  } else if (framing.version < 11 && framing.keep_alive) {
    out.append("Connection: keep-alive\r\n");
  }
  // Beast's prepare_payload sent a length on every response, 204 and 304
  // included ("Content-Length: 0"); clients are used to that.
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), response.body.size());
  assert(ec == std::errc());
  out.append("Content-Length: ");
  out.append(digits, static_cast<size_t>(end - digits));
  out.append("\r\n");
  out.append("\r\n");
  // A HEAD answer keeps the Content-Length of the body a GET would get.
  if (!framing.head) {
    out.append(response.body);
  }
}

void SerializeContinue(unsigned version, std::string& out) {
  out.clear();
  AppendStatusLine(version, 100, out);
  out.append("\r\n");
}

}  // namespace coffer::http
