// audit::Broker: the enabled audit devices and the write-ahead rule of
// DESIGN.md's request flow. Log hands an entry to every device and returns
// OK once one of them has made it durable; when none can (all failed or
// timed out), the caller must fail the request without performing it.
//
// Thread-safe. Log takes no lock while devices write: the device set is an
// immutable snapshot replaced on enable/disable.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/device.h"
#include "audit/entry_pair.h"
#include "audit/ticket_deadlines.h"
#include "base/status.h"

namespace coffer::audit {

class Broker {
 public:
  // Enable adds an opened device; InvalidArgument if its path is taken.
  Status Enable(std::unique_ptr<Device> device);
  // Disable removes and closes the device at `path` (its writer finishes
  // the queued entries and a final checkpoint); NotFound if none.
  Status Disable(const std::string& path);
  // DisableAll closes every device (sealing).
  void DisableAll();

  // enabled is one atomic load: the request path asks it on every request.
  bool enabled() const { return count_.load(std::memory_order_acquire) > 0; }
  std::vector<DeviceSpec> Specs() const;

  // Log records one raw (unhashed) entry on every device. OK when at least
  // one device made it durable; Unavailable when there are devices and none
  // did. With no device enabled it does nothing and returns OK.
  Status Log(const nlohmann::json& entry);
  // Log of the entries of `pair` that `part` names, in order, as one
  // write (the pipeline's entries; devices reuse what they derived from a
  // shared auth member).
  Status Log(const EntryPair& pair, PairPart part);

  // LogAsync records the request and response entries of `pair` (in that
  // order, written together) on every device without waiting: `done` runs
  // exactly once, with OK when one device made both durable and
  // Unavailable when none did within the devices' timeout. It may run on a
  // device's writer thread, on the deadline thread, or before LogAsync
  // returns (no device, or every device refused at once), so it must be
  // quick and must not call back into the broker.
  using Completion = std::function<void(Status)>;
  void LogAsync(EntryPair pair, Completion done) {
    LogAsync(std::move(pair), PairPart::kBoth, std::move(done));
  }
  // LogAsync of the entries of `pair` that `part` names (the response
  // entry alone when the request entry was written ahead).
  void LogAsync(EntryPair pair, PairPart part, Completion done);

  // Hash is sys/audit-hash/<path>; NotFound for an unknown device.
  Result<std::string> Hash(const std::string& path, std::string_view input) const;

  // Reopen asks every device to reopen its destination (SIGHUP).
  void Reopen();

 private:
  using DeviceList = std::vector<std::shared_ptr<Device>>;
  std::shared_ptr<const DeviceList> Snapshot() const;

  void Publish(std::shared_ptr<const DeviceList> next);  // mu_ held
  // LogPrepared submits what `prepare` makes for each device and waits
  // until one made it durable or every device's timeout passed.
  Status LogPrepared(const std::function<std::vector<std::string>(const Device&)>& prepare);

  mutable std::mutex mu_;
  std::atomic<size_t> count_{0};
  std::shared_ptr<const DeviceList> devices_ = std::make_shared<DeviceList>();  // guarded by mu_
  TicketDeadlines deadlines_;
};

}  // namespace coffer::audit
