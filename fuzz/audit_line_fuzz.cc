// libFuzzer target for the audit line formats: ParseLine on arbitrary bytes
// must return a line or nullopt, never crash or read out of bounds; and any
// JSON object formatted as json or jsonx and chained must parse back to the
// same chain link (run under ASan/UBSan).
//
//   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
//         -DCMAKE_C_COMPILER=clang -DCOFFER_BUILD_FUZZ=ON -DCOFFER_BUILD_TESTS=OFF
//   cmake --build build-fuzz --target audit_line_fuzz
//   ./build-fuzz/fuzz/audit_line_fuzz -max_total_time=60 fuzz/corpus/audit_line
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "audit/line_format.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)coffer::audit::ParseLine(input);

  nlohmann::json entry = nlohmann::json::parse(input, nullptr, /*allow_exceptions=*/false);
  if (!entry.is_object() || entry.contains("chain")) {
    return 0;
  }
  const coffer::audit::ChainLink link{42, std::string(64, 'a')};
  for (auto format : {coffer::audit::Format::kJson, coffer::audit::Format::kJsonx}) {
    const std::string body = coffer::audit::FormatEntry(entry, format);
    const std::string line = coffer::audit::WithChain(body, format, link, "pfx:");
    if (line.find('\n') != std::string::npos) {
      std::abort();  // an entry must stay on one line
    }
    auto parsed = coffer::audit::ParseLine(line);
    if (!parsed || parsed->link.seq != link.seq || parsed->link.prev != link.prev) {
      std::abort();
    }
  }
  return 0;
}
