// Request ids: a random (version 4) UUID per request, for the envelope's
// request_id and for matching server log lines to a client's report.
#pragma once

#include <string>

namespace coffer::http {

// NewRequestId returns a fresh random UUID in canonical form. It never
// fails: if the CSPRNG does, the id comes from a weaker source, which is
// acceptable because request ids are correlation tags, not secrets.
std::string NewRequestId();

}  // namespace coffer::http
