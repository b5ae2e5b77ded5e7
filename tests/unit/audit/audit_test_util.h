// Helpers shared by the audit device and broker tests.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/device.h"
#include "audit/entry_pair.h"
#include "base/clock.h"

namespace coffer::audit {

// TempDir makes a fresh directory under /tmp, removed with its contents
// when the test program exits (a device may still hold a file open in it
// until the end of the test).
inline std::string TempDir() {
  struct Made {
    std::vector<std::string> dirs;
    ~Made() {
      for (const std::string& dir : dirs) {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
      }
    }
  };
  static Made made;
  std::string tmpl = "/tmp/coffer-audit-test-XXXXXX";
  EXPECT_NE(mkdtemp(tmpl.data()), nullptr);
  made.dirs.push_back(tmpl);
  return tmpl;
}

// ReadLines parses every line of an audit file.
inline std::vector<nlohmann::json> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<nlohmann::json> out;
  std::string line;
  while (std::getline(in, line)) {
    out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

// OpenFile opens a file device at `path` (salt "salt", a fixed checkpoint
// key), with `extra` options.
inline Result<std::unique_ptr<Device>> OpenFile(const std::string& path, bool strict,
                                                std::map<std::string, std::string> extra = {}) {
  DeviceSpec spec;
  spec.path = "file/";
  spec.type = "file";
  spec.options = std::move(extra);
  spec.options["file_path"] = path;
  return Device::Open(std::move(spec), crypto::SecureBuffer::FromBytes("salt"),
                      crypto::SecureBuffer::FromBytes("checkpoint-key"), Clock::Real(), strict);
}

// ExpectPreparedAsEntriesApart checks that what `device` prepares for
// `pair` (written straight from the borrowed members) is, for every part,
// byte for byte what it prepares for the pair's entries built as documents.
inline void ExpectPreparedAsEntriesApart(const Device& device, const EntryPair& pair) {
  const std::vector<std::string> together = device.PreparePair(pair);
  ASSERT_EQ(together.size(), 2u);
  EXPECT_EQ(together[0], device.Prepare(pair.RequestEntry()));
  EXPECT_EQ(together[1], device.Prepare(pair.ResponseEntry()));
  EXPECT_EQ(device.PreparePair(pair, PairPart::kRequest), std::vector<std::string>{together[0]});
  EXPECT_EQ(device.PreparePair(pair, PairPart::kResponse), std::vector<std::string>{together[1]});
}

}  // namespace coffer::audit
