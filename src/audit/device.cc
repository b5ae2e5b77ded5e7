#include "audit/device.h"

#include "audit/entry_writer.h"
#include "audit/options.h"
#include "base/compact_json.h"
#include "base/time_format.h"

namespace coffer::audit {

namespace {

// A destination that stops accepting entries must not make the queue grow
// without bound; past this many waiting entries the device refuses, and
// the gap is recorded in the chain once it writes again.
constexpr size_t kMaxQueued = 65536;
// Derived "auth" members kept per device: one per active token and
// remaining-TTL second, a few hundred bytes to a few KB each.
constexpr size_t kMaxCachedAuth = 4096;
// {"chain":{"seq":N,"prev":"<64 hex>"}, and a '\n' (JSONx's is longer;
// the reservation only has to be close).
constexpr size_t kChainMemberBytes = 128;

}  // namespace

Device::Device(DeviceSpec spec, std::unique_ptr<Sink> sink, crypto::SecureBuffer salt,
               const Clock& clock, Chain chain)
    : spec_(std::move(spec)), sink_(std::move(sink)), salt_(std::move(salt)), clock_(clock),
      chain_(std::move(chain)) {}

Result<std::unique_ptr<Device>> Device::Open(DeviceSpec spec, crypto::SecureBuffer salt,
                                             crypto::SecureBuffer checkpoint_key,
                                             const Clock& clock, bool strict) {
  const Options& o = spec.options;
  COFFER_ASSIGN_OR_RETURN(Format format, ParseFormat(OptionString(o, "format", "json")));
  COFFER_ASSIGN_OR_RETURN(bool log_raw, OptionBool(o, "log_raw", false));
  COFFER_ASSIGN_OR_RETURN(bool hmac_accessor, OptionBool(o, "hmac_accessor", true));
  COFFER_ASSIGN_OR_RETURN(uint64_t checkpoint_every, OptionCount(o, "checkpoint_every", 1000));
  COFFER_ASSIGN_OR_RETURN(std::chrono::milliseconds timeout,
                          OptionDuration(o, "write_timeout", std::chrono::seconds(2)));
  COFFER_ASSIGN_OR_RETURN(std::unique_ptr<Sink> sink, CreateSink(spec.type, o));
  const std::string prefix = OptionString(o, "prefix", "");

  std::unique_ptr<Device> device(new Device(std::move(spec), std::move(sink), std::move(salt),
                                            clock,
                                            Chain(format, prefix, std::move(checkpoint_key))));
  device->format_ = format;
  device->log_raw_ = log_raw;
  device->hmac_accessor_ = hmac_accessor;
  device->checkpoint_every_ = checkpoint_every;
  device->timeout_ = timeout;
  COFFER_RETURN_IF_ERROR(device->Start(strict));
  return device;
}

Status Device::Start(bool strict) {
  Status opened = sink_->Open();
  if (!opened.ok() && strict) {
    return opened;
  }
  sink_open_ = opened.ok();
  std::optional<std::string> last = sink_open_ ? sink_->LastLine() : std::nullopt;
  if (last && chain_.Resume(*last)) {
    last_written_ = *last;
  } else if (sink_open_) {
    COFFER_ASSIGN_OR_RETURN(std::string genesis, chain_.Start(spec_.path, NowNanos()));
    Status written = sink_->Write(genesis + "\n");
    if (!written.ok()) {
      if (strict) {
        return written;
      }
      need_genesis_ = true;
    } else {
      last_written_ = std::move(genesis);
    }
  } else {
    need_genesis_ = true;
  }
  writer_ = std::thread([this] { Run(); });
  return Status::Ok();
}

Device::~Device() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) {
    writer_.join();
  }
}

int64_t Device::NowNanos() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             clock_.Now().time_since_epoch())
      .count();
}

std::string Device::Prepare(nlohmann::json entry) const {
  if (!log_raw_) {
    HashEntry(entry, salt_, hmac_accessor_);
  }
  return FormatEntry(entry, format_);
}

std::shared_ptr<const Device::DerivedAuth> Device::Derive(const EntryPair& pair) const {
  if (pair.auth_shared && pair.auth) {
    std::lock_guard lock(auth_mu_);
    auto it = auth_cache_.find(pair.auth.get());
    if (it != auth_cache_.end()) {
      return it->second.derived;
    }
  }
  auto derived = std::make_shared<DerivedAuth>();
  AppendAuthMember(&derived->json, pair.Auth(),
                   MemberHashing{log_raw_ ? nullptr : &salt_, hmac_accessor_, nullptr},
                   &derived->hashes);
  if (pair.auth_shared && pair.auth) {
    std::lock_guard lock(auth_mu_);
    if (auth_cache_.size() >= kMaxCachedAuth) {
      auth_cache_.clear();  // a new second of TTL replaces every entry anyway
    }
    auth_cache_.emplace(pair.auth.get(), CachedAuth{pair.auth, derived});
  }
  return derived;
}

std::vector<std::string> Device::PreparePair(const EntryPair& pair, PairPart part) const {
  std::vector<std::string> bodies;
  const bool with_request = part != PairPart::kResponse;
  const bool with_response = part != PairPart::kRequest;
  if (format_ != Format::kJson) {
    if (with_request) {
      bodies.push_back(Prepare(pair.RequestEntry()));
    }
    if (with_response) {
      bodies.push_back(Prepare(pair.ResponseEntry()));
    }
    return bodies;
  }
  const std::shared_ptr<const DerivedAuth> auth = Derive(pair);
  // The token and accessor the request member repeats were hashed with
  // the auth member.
  const MemberHashing hashing{log_raw_ ? nullptr : &salt_, hmac_accessor_, &auth->hashes,
                              &hashed_members_};
  std::string request;
  request.reserve(512);
  AppendRequestMember(&request, pair.request, hashing);
  // Keys in the order nlohmann writes them (sorted): auth, error,
  // request, response, time, type.
  auto line = [&](const std::optional<std::string>& error, const ResponseMember* response,
                  const std::string& time, const char* type) {
    std::string out;
    out.reserve(auth->json.size() + request.size() + (response != nullptr ? 1024 : 256));
    out += "{\"auth\":";
    out += auth->json;
    if (error) {
      out += ",\"error\":";
      AppendJsonString(&out, *error);
    }
    out += ",\"request\":";
    out += request;
    if (response != nullptr) {
      out += ",\"response\":";
      AppendResponseMember(&out, *response, hashing);
    }
    out += ",\"time\":";
    AppendJsonString(&out, time);
    out += ",\"type\":\"";
    out += type;
    out += "\"}";
    return out;
  };
  bodies.reserve(2);
  if (with_request) {
    bodies.push_back(line(pair.request_error, nullptr, pair.request_time, "request"));
  }
  if (with_response) {
    bodies.push_back(line(pair.response_error, pair.response ? &*pair.response : nullptr,
                          pair.response_time, "response"));
  }
  return bodies;
}

void Device::Submit(std::shared_ptr<Ticket> ticket, std::vector<std::string> bodies) {
  {
    std::lock_guard lock(mu_);
    if (!stop_ && queued_bodies_ + bodies.size() <= kMaxQueued) {
      // The writer only sleeps on an empty queue; a submission that finds
      // entries queued joins the next batch without a wake-up.
      const bool wake = queue_.empty();
      queued_bodies_ += bodies.size();
      queue_.push_back(Pending{std::move(ticket), std::move(bodies)});
      if (wake) {
        cv_.notify_one();
      }
      return;
    }
    refused_ += bodies.size();
  }
  ticket->Done(false);
}

void Device::RequestReopen() {
  {
    std::lock_guard lock(mu_);
    reopen_ = true;
  }
  cv_.notify_all();
}

void Device::Run() {
  std::deque<Pending> batch;
  for (;;) {
    bool reopen = false;
    bool stop = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stop_ || reopen_ || !queue_.empty(); });
      batch.swap(queue_);
      queued_bodies_ = 0;
      missed_ += refused_;
      refused_ = 0;
      reopen = reopen_;
      reopen_ = false;
      stop = stop_;
    }
    if (reopen) {
      // Entries queued so far go to the new file: whoever rotated the log
      // expects what follows the signal there. A checkpoint closes the old
      // file, so a rotated file ends on a line only the server could write.
      WriteCheckpoint();
      sink_open_ = sink_->Reopen().ok();
    }
    if (!batch.empty()) {
      const bool durable = WriteBatch(batch);
      for (auto& pending : batch) {
        pending.ticket->Done(durable);
      }
      batch.clear();
    }
    if (stop) {
      WriteCheckpoint();
      return;
    }
  }
}

void Device::WriteCheckpoint() {
  if (sink_open_ && !need_genesis_ && since_checkpoint_ > 0) {
    (void)WriteBatch({});
  }
}

bool Device::WriteBatch(const std::deque<Pending>& batch) {
  size_t entries = 0;
  for (const auto& pending : batch) {
    entries += pending.bodies.size();
  }
  if (!sink_open_) {
    sink_open_ = sink_->Reopen().ok();
    if (!sink_open_) {
      missed_ += entries;
      return false;
    }
  }
  std::string lines;
  if (need_genesis_) {
    auto genesis = chain_.Start(spec_.path, NowNanos());
    if (!genesis.ok()) {
      missed_ += entries;
      return false;
    }
    lines += *genesis;
    lines += '\n';
  }
  if (missed_ > 0) {
    nlohmann::json gap = {{"type", "gap"}, {"time", FormatRfc3339Nano(NowNanos())},
                          {"missed", missed_}};
    lines += chain_.Link(FormatEntry(gap, format_));
    lines += '\n';
  }
  size_t body_bytes = 0;
  for (const auto& pending : batch) {
    for (const std::string& body : pending.bodies) {
      body_bytes += body.size();
    }
  }
  // Each line grows by about its chain member.
  lines.reserve(lines.size() + body_bytes + entries * kChainMemberBytes + 512);
  size_t last_begin = lines.size();
  for (const auto& pending : batch) {
    for (const std::string& body : pending.bodies) {
      last_begin = lines.size();
      chain_.LinkInto(&lines, body);
      lines += '\n';
    }
  }
  since_checkpoint_ += entries;
  const bool checkpoint =
      chain_.has_checkpoint_key() &&
      (batch.empty() || (checkpoint_every_ > 0 && since_checkpoint_ >= checkpoint_every_));
  if (checkpoint) {
    last_begin = lines.size();
    lines += chain_.Checkpoint(NowNanos());
    lines += '\n';
  }
  if (lines.empty()) {
    return true;
  }
  Status written = sink_->Write(lines);
  if (!written.ok()) {
    // Roll the chain back: the next batch links to what is really there.
    if (need_genesis_ || !chain_.Resume(last_written_)) {
      need_genesis_ = true;
    }
    missed_ += entries;
    since_checkpoint_ -= std::min<uint64_t>(since_checkpoint_, entries);
    sink_open_ = false;
    return false;
  }
  last_written_ = lines.substr(last_begin, lines.size() - last_begin - 1);
  need_genesis_ = false;
  missed_ = 0;
  if (checkpoint) {
    since_checkpoint_ = 0;
  }
  return true;
}

}  // namespace coffer::audit
