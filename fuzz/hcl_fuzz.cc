// libFuzzer target for the HCL parser, the JSON reader and the server config
// loader: arbitrary bytes must yield a tree or an InvalidArgument, never a
// crash, a hang, or a read out of bounds (run under ASan/UBSan).
//
//   cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
//         -DCMAKE_C_COMPILER=clang -DCOFFER_BUILD_FUZZ=ON -DCOFFER_BUILD_TESTS=OFF
//   cmake --build build-fuzz --target hcl_fuzz
//   ./build-fuzz/fuzz/hcl_fuzz -max_total_time=60 fuzz/corpus/hcl
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "config/server_config.h"
#include "hcl/json_to_hcl.h"
#include "hcl/parser.h"

namespace {

void CheckError(const coffer::Status& status) {
  // Every failure on input must be InvalidArgument; anything else is a bug.
  if (!status.ok() && !status.IsInvalidArgument()) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static const coffer::hcl::BlockSchema kSchema{{"storage", 1}, {"listener", 1}, {"path", 1}};

  CheckError(coffer::hcl::ParseHcl(text, "fuzz.hcl").status());
  CheckError(coffer::hcl::ParseJsonValue(text, "fuzz.json").status());
  CheckError(coffer::hcl::ParseJson(text, "fuzz.json", kSchema).status());
  CheckError(coffer::config::ParseServerConfig(std::string(text), "fuzz.hcl").status());
  return 0;
}
