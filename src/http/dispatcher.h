// One request's trip through the handler: decode the wire request, call
// core::RequestHandler, encode the answer. Runs on a worker thread.
#pragma once

#include "core/request.h"
#include "http/wire.h"

namespace coffer::http {

// Dispatch turns `wire` into the response to send. It never throws: a
// handler exception or an internal error becomes a 500 with a generic
// message, and the detail goes to the server log under the request id.
// Request bodies, tokens and header values are never logged.
WireResponse Dispatch(core::RequestHandler& handler, const WireRequest& wire);

}  // namespace coffer::http
