// Request ids come from a per-thread pool of CSPRNG bytes: every id must
// still be a canonical version 4 UUID, and no two alike, within one pool,
// across refills and across threads.
#include "http/request_id.h"

#include <gtest/gtest.h>

#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace coffer::http {
namespace {

TEST(RequestId, IsCanonicalVersion4) {
  const std::regex kV4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  for (int i = 0; i < 300; ++i) {  // several pool refills
    const std::string id = NewRequestId();
    EXPECT_TRUE(std::regex_match(id, kV4)) << id;
  }
}

TEST(RequestId, UniqueAcrossRefillsAndThreads) {
  std::mutex mu;
  std::set<std::string> seen;
  size_t made = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      std::vector<std::string> mine;
      for (int i = 0; i < 1000; ++i) {
        mine.push_back(NewRequestId());
      }
      std::lock_guard lock(mu);
      made += mine.size();
      seen.insert(mine.begin(), mine.end());
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_EQ(made, 4000u);
  EXPECT_EQ(seen.size(), made);
}

}  // namespace
}  // namespace coffer::http
