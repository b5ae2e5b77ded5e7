// Encoding of handler results into Vault's wire format: the response
// envelope, 204 for empty responses, raw responses, and {"errors": [...]}
// with the status code of each error Code.
#pragma once

#include <string_view>

#include "base/status.h"
#include "core/request.h"
#include "http/wire.h"

namespace coffer::http {

// HttpStatusFor returns the status code Vault uses for `code` (400, 403, 404,
// 405, 413, 429, 500, 501, 503); 200 for kOk.
int HttpStatusFor(Code code);

// IsInternalError is true for the codes whose messages hold server detail
// (Internal, IOError, Corruption): the client only sees "internal error".
bool IsInternalError(Code code);

// EncodeError builds {"errors": [message]} with the status of the error's
// code; internal errors get the generic message. `status` must not be OK.
WireResponse EncodeError(const Status& status);

// EncodeResponse builds the envelope for `response`, tagged with
// `request_id`. A raw response is sent verbatim: a JSON string as its text
// (text/plain), any other JSON value serialised; a raw 204 has no body.
// A non-raw response with null data and no auth, wrap_info or warnings is a
// 204 with an empty body.
WireResponse EncodeResponse(const core::Response& response, std::string_view request_id);

}  // namespace coffer::http
