#include "base/clock.h"

namespace coffer {

namespace {
class RealClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
};
}  // namespace

const Clock& Clock::Real() {
  static const RealClock kClock;
  return kClock;
}

}  // namespace coffer
