#include "audit/chain.h"

#include <cassert>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/encoding.h"
#include "base/time_format.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace coffer::audit {

namespace {

constexpr size_t kGenesisSize = 32;

}  // namespace

std::string CheckpointMessage(uint64_t seq, std::string_view prev_hex) {
  std::string message = "coffer-audit-checkpoint-v1\n";
  message += std::to_string(seq);
  message += '\n';
  message += prev_hex;
  return message;
}

Chain::Chain(Format format, std::string prefix, crypto::SecureBuffer checkpoint_key)
    : format_(format), prefix_(std::move(prefix)), checkpoint_key_(std::move(checkpoint_key)) {}

bool Chain::Resume(std::string_view last_line) {
  if (!last_line.empty() && last_line.back() == '\n') {
    last_line.remove_suffix(1);
  }
  auto parsed = ParseLine(last_line);
  if (!parsed) {
    return false;
  }
  next_seq_ = parsed->link.seq + 1;
  prev_hex_ = HexEncode(crypto::Sha256(last_line));
  started_ = true;
  return true;
}

Result<std::string> Chain::Start(std::string_view device_path, int64_t unix_nanos) {
  COFFER_ASSIGN_OR_RETURN(std::string genesis, crypto::RandomString(kGenesisSize));
  const std::string genesis_hex = HexEncode(genesis);
  const nlohmann::json entry = {{"type", "genesis"},
                                {"time", FormatRfc3339Nano(unix_nanos)},
                                {"device", std::string(device_path)},
                                {"genesis", genesis_hex}};
  next_seq_ = 0;
  prev_hex_ = genesis_hex;
  started_ = true;
  return Append(FormatEntry(entry, format_));
}

std::string Chain::Link(std::string_view body) { return Append(body); }

void Chain::LinkInto(std::string* out, std::string_view body) {
  assert(started_ && "Chain: Start or Resume before linking lines");
  const size_t begin = out->size();
  AppendWithChain(out, body, format_, ChainLink{next_seq_, prev_hex_}, prefix_);
  prev_hex_ = HexEncode(crypto::Sha256(std::string_view(*out).substr(begin)));
  ++next_seq_;
}

std::string Chain::Checkpoint(int64_t unix_nanos) {
  const std::string mac =
      crypto::HmacSha256(checkpoint_key_, CheckpointMessage(next_seq_, prev_hex_));
  const nlohmann::json entry = {
      {"type", "checkpoint"}, {"time", FormatRfc3339Nano(unix_nanos)}, {"hmac", HexEncode(mac)}};
  return Append(FormatEntry(entry, format_));
}

std::string Chain::Append(std::string_view body) {
  assert(started_ && "Chain: Start or Resume before linking lines");
  std::string line = WithChain(body, format_, ChainLink{next_seq_, prev_hex_}, prefix_);
  prev_hex_ = HexEncode(crypto::Sha256(line));
  ++next_seq_;
  return line;
}

}  // namespace coffer::audit
