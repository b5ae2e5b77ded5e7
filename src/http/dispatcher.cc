#include "http/dispatcher.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <memory>

#include "http/request_decoder.h"
#include "http/request_id.h"
#include "http/response_encoder.h"

namespace coffer::http {

namespace {

// What the log says about a request: never its body, token or headers.
struct RequestLabel {
  std::string id;
  std::string method;
  std::string path;
};

WireResponse EncodeResult(const Result<core::Response>& result, const RequestLabel& label) {
  if (result.ok()) {
    const core::Response& response = result.value();
    if (response.raw && (response.http_status < 200 || response.http_status > 599)) {
      spdlog::error("request {} ({} {}): handler returned raw status {}", label.id, label.method,
                    label.path, response.http_status);
      return EncodeError(Status::Internal("bad raw status"));
    }
    return EncodeResponse(response, label.id);
  }
  const Status& status = result.status();
  if (IsInternalError(status.code())) {
    spdlog::error("request {} ({} {}) failed: {}", label.id, label.method, label.path,
                  status.ToString());
  }
  return EncodeError(status);
}

// Guarded runs `serve`, turning anything it throws into a logged 500.
template <typename Serve>
void Guarded(const RequestLabel& label, const Reply& reply, Serve&& serve) {
  try {
    serve();
    return;
  } catch (const std::exception& e) {
    spdlog::error("request {} ({} {}) threw: {}", label.id, label.method, label.path, e.what());
  } catch (...) {
    spdlog::error("request {} ({} {}) threw a non-standard exception", label.id, label.method,
                  label.path);
  }
  reply(EncodeError(Status::Internal("handler exception")));
}

}  // namespace

void Dispatch(core::RequestHandler& handler, WireRequest wire, const Reply& reply,
              const Offload& offload) {
  Result<core::Request> decoded = DecodeRequest(wire);
  if (!decoded.ok()) {
    reply(EncodeError(decoded.status()));
    return;
  }
  auto request = std::make_shared<core::Request>(std::move(decoded.value()));
  request->id = NewRequestId();
  auto label = std::make_shared<RequestLabel>(
      RequestLabel{request->id, request->http_method, request->path});

  const core::RequestHandler::Completion answer = [reply, label](Result<core::Response> result) {
    reply(EncodeResult(result, *label));
  };
  Guarded(*label, reply, [&] {
    if (!handler.HandleWithoutBlocking(*request, answer)) {
      const WaitsFor waits =
          handler.BlocksOnlyOnStorage(*request) ? WaitsFor::kStorage : WaitsFor::kAnything;
      offload(waits, [&handler, request, label, reply, answer] {
        Guarded(*label, reply, [&] { handler.HandleAsync(*request, answer); });
      });
    }
  });
}

}  // namespace coffer::http
