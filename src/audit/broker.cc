#include "audit/broker.h"

#include <algorithm>
#include <chrono>

namespace coffer::audit {

namespace {

Status NotRecorded() {
  return Status::Unavailable("no audit device could record the request; refusing to serve it");
}

}  // namespace

std::shared_ptr<const Broker::DeviceList> Broker::Snapshot() const {
  std::lock_guard lock(mu_);
  return devices_;
}

Status Broker::Enable(std::unique_ptr<Device> device) {
  std::lock_guard lock(mu_);
  for (const auto& d : *devices_) {
    if (d->spec().path == device->spec().path) {
      return Status::InvalidArgument("path \"" + device->spec().path + "\" is already in use");
    }
  }
  auto next = std::make_shared<DeviceList>(*devices_);
  next->push_back(std::shared_ptr<Device>(std::move(device)));
  Publish(std::move(next));
  return Status::Ok();
}

Status Broker::Disable(const std::string& path) {
  std::shared_ptr<Device> removed;
  {
    std::lock_guard lock(mu_);
    auto next = std::make_shared<DeviceList>();
    for (const auto& d : *devices_) {
      if (d->spec().path == path) {
        removed = d;
      } else {
        next->push_back(d);
      }
    }
    if (removed == nullptr) {
      return Status::NotFound("no audit device at \"" + path + "\"");
    }
    Publish(std::move(next));
  }
  // The device closes when the last request holding a snapshot lets go.
  return Status::Ok();
}

void Broker::DisableAll() {
  // Closing a device waits for its writer; that happens after the lock is
  // released, when `old` goes.
  std::shared_ptr<const DeviceList> old;
  std::lock_guard lock(mu_);
  old = devices_;
  Publish(std::make_shared<DeviceList>());
}

void Broker::Publish(std::shared_ptr<const DeviceList> next) {
  count_.store(next->size(), std::memory_order_release);
  devices_ = std::move(next);
}

std::vector<DeviceSpec> Broker::Specs() const {
  std::vector<DeviceSpec> specs;
  for (const auto& d : *Snapshot()) {
    specs.push_back(d->spec());
  }
  return specs;
}

Status Broker::Log(const nlohmann::json& entry) {
  return LogPrepared([&](const Device& device) {
    std::vector<std::string> bodies;
    bodies.push_back(device.Prepare(entry));
    return bodies;
  });
}

Status Broker::Log(const EntryPair& pair, PairPart part) {
  return LogPrepared(
      [&](const Device& device) { return device.PreparePair(pair, part); });
}

Status Broker::LogPrepared(
    const std::function<std::vector<std::string>(const Device&)>& prepare) {
  auto devices = Snapshot();
  if (devices->empty()) {
    return Status::Ok();
  }
  // Every device's lines are made before any is submitted: a pair's
  // borrowed data is only read until then.
  std::vector<std::vector<std::string>> bodies;
  bodies.reserve(devices->size());
  std::chrono::milliseconds wait{0};
  for (const auto& device : *devices) {
    bodies.push_back(prepare(*device));
    wait = std::max(wait, device->timeout());
  }
  auto ticket = std::make_shared<Ticket>(static_cast<int>(devices->size()));
  for (size_t d = 0; d < devices->size(); ++d) {
    (*devices)[d]->Submit(ticket, std::move(bodies[d]));
  }
  if (ticket->WaitAny(std::chrono::steady_clock::now() + wait)) {
    return Status::Ok();
  }
  return NotRecorded();
}

void Broker::LogAsync(EntryPair pair, PairPart part, Completion done) {
  auto devices = Snapshot();
  if (devices->empty()) {
    done(Status::Ok());
    return;
  }
  auto ticket = std::make_shared<Ticket>(
      static_cast<int>(devices->size()),
      [done = std::move(done)](bool durable) { done(durable ? Status::Ok() : NotRecorded()); });
  // Every device's lines are made before the ticket is watched or
  // submitted: from then on `done` may run (and release the response whose
  // data the pair borrows) on a writer or the deadline thread.
  std::vector<std::vector<std::string>> bodies;
  bodies.reserve(devices->size());
  std::chrono::milliseconds wait{0};
  for (size_t d = 0; d < devices->size(); ++d) {
    bodies.push_back((*devices)[d]->PreparePair(pair, part));
    wait = std::max(wait, (*devices)[d]->timeout());
  }
  // Watched before it is submitted: a device may settle it at once.
  deadlines_.Watch(ticket, std::chrono::steady_clock::now() + wait);
  for (size_t d = 0; d < devices->size(); ++d) {
    (*devices)[d]->Submit(ticket, std::move(bodies[d]));
  }
}

Result<std::string> Broker::Hash(const std::string& path, std::string_view input) const {
  for (const auto& d : *Snapshot()) {
    if (d->spec().path == path) {
      return d->Hash(input);
    }
  }
  return Status::NotFound("no audit device at \"" + path + "\"");
}

void Broker::Reopen() {
  for (const auto& d : *Snapshot()) {
    d->RequestReopen();
  }
}

}  // namespace coffer::audit
