// One request's trip through the handler: decode the wire request, call
// core::RequestHandler, encode the answer.
#pragma once

#include <functional>

#include "core/request.h"
#include "http/wire.h"

namespace coffer::http {

// Reply takes the response to send; Dispatch calls it exactly once.
using Reply = std::function<void(WireResponse)>;
// What an offloaded task may wait for (RequestHandler::BlocksOnlyOnStorage).
enum class WaitsFor { kStorage, kAnything };
// Offload runs a task on a thread that may block (a worker pool).
using Offload = std::function<void(WaitsFor, std::function<void()>)>;

// Dispatch answers `wire` through `reply`. A request the handler can serve
// without blocking (RequestHandler::HandleWithoutBlocking) is served on
// the calling thread, normally an IO thread, and `reply` may run later on
// whichever thread completes it (an audit device's writer); every other
// request is handed to `offload`, saying whether it waits only for
// storage, and answered from there. A malformed
// request is answered at once.
//
// It never throws: a handler exception or an internal error becomes a 500
// with a generic message, and the detail goes to the server log under the
// request id. Request bodies, tokens and header values are never logged.
void Dispatch(core::RequestHandler& handler, WireRequest wire, const Reply& reply,
              const Offload& offload);

}  // namespace coffer::http
