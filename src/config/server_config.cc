#include "config/server_config.h"

#include <cerrno>
#include <cstdio>
#include <optional>
#include <system_error>
#include <utility>

#include "config/section.h"
#include "config/stanzas.h"
#include "hcl/document.h"

namespace coffer::config {

namespace {

using internal::Section;

// A config file is a few kilobytes; anything this large is a mistake (or the
// wrong file) and is refused before it is read into memory.
constexpr size_t kMaxConfigBytes = 4 * 1024 * 1024;

// In JSON, these keys are blocks with one label (see hcl/json_to_hcl.h).
const hcl::BlockSchema& JsonSchema() {
  static const hcl::BlockSchema kSchema{{"storage", 1}, {"listener", 1}};
  return kSchema;
}

Result<std::string> NormalizeLogLevel(const Section& top, const hcl::Attribute& a) {
  COFFER_ASSIGN_OR_RETURN(std::string level, top.String(a));
  for (char& c : level) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  if (level == "warning") {
    level = "warn";
  }
  if (level != "trace" && level != "debug" && level != "info" && level != "warn" &&
      level != "error") {
    return top.Error(a.value.pos(),
                     "log_level must be one of trace, debug, info, warn, error; got " +
                         hcl::Quote(a.value.as_string()));
  }
  return level;
}

// TopLevel collects what the top-level keys say, then checks the whole.
class TopLevel {
 public:
  explicit TopLevel(std::string_view filename) : filename_(filename), top_(filename, "") {}

  Status Apply(const hcl::Item& item) {
    const std::string& key = item.key();
    if (key == "storage") {
      return ApplyStorage(item);
    }
    if (key == "listener") {
      const hcl::Block* block = item.block();
      if (block == nullptr) {
        return top_.Error(item.pos(), "listener must be a block, as in listener \"tcp\" { ... }");
      }
      COFFER_ASSIGN_OR_RETURN(ListenerConfig listener, internal::ParseListener(*block, filename_));
      config_.listeners.push_back(std::move(listener));
      return Status::Ok();
    }
    return ApplyAttribute(item);
  }

  Result<ServerConfig> Finish() && {
    if (!storage_pos_) {
      return Status::InvalidArgument(
          std::string(filename_) +
          ": missing storage stanza; add one, as in storage \"lmdb\" { path = \"/var/lib/coffer\" }");
    }
    if (config_.listeners.empty()) {
      return Status::InvalidArgument(
          std::string(filename_) +
          ": missing listener stanza; add one, as in listener \"tcp\" { address = \"127.0.0.1:8200\" ... }");
    }
    if (config_.default_lease_ttl > config_.max_lease_ttl) {
      hcl::Position pos = default_ttl_pos_ ? *default_ttl_pos_ : max_ttl_pos_.value_or(hcl::Position{});
      return top_.Error(pos, "default_lease_ttl (" + std::to_string(config_.default_lease_ttl) +
                                 "s) must not exceed max_lease_ttl (" +
                                 std::to_string(config_.max_lease_ttl) + "s)");
    }
    return std::move(config_);
  }

 private:
  Status ApplyStorage(const hcl::Item& item) {
    const hcl::Block* block = item.block();
    if (block == nullptr) {
      return top_.Error(item.pos(), "storage must be a block, as in storage \"lmdb\" { path = \"...\" }");
    }
    if (storage_pos_) {
      return top_.Error(block->pos, "more than one storage stanza (the first is on line " +
                                        std::to_string(storage_pos_->line) +
                                        "); coffer uses exactly one storage backend");
    }
    COFFER_ASSIGN_OR_RETURN(config_.storage, internal::ParseStorage(*block, filename_));
    storage_pos_ = block->pos;
    return Status::Ok();
  }

  Status ApplyAttribute(const hcl::Item& item) {
    const std::string& key = item.key();
    bool known = key == "api_addr" || key == "cluster_addr" || key == "cluster_name" ||
                 key == "ui" || key == "disable_mlock" || key == "default_lease_ttl" ||
                 key == "max_lease_ttl" || key == "log_level";
    if (!known) {
      return top_.UnknownKey(item);
    }
    COFFER_ASSIGN_OR_RETURN(const hcl::Attribute* a, top_.AttributeOf(item));
    if (key == "api_addr") {
      COFFER_ASSIGN_OR_RETURN(config_.api_addr, top_.String(*a));
    } else if (key == "cluster_addr" || key == "cluster_name") {
      // Accepted so Vault configs load; coffer's HA does not use them yet.
      COFFER_ASSIGN_OR_RETURN(std::string ignored, top_.String(*a));
      (void)ignored;
    } else if (key == "ui") {
      // coffer is API-only; the key is accepted so Vault configs load.
      COFFER_ASSIGN_OR_RETURN(bool ignored, top_.Bool(*a));
      (void)ignored;
    } else if (key == "disable_mlock") {
      COFFER_ASSIGN_OR_RETURN(config_.disable_mlock, top_.Bool(*a));
    } else if (key == "default_lease_ttl") {
      COFFER_ASSIGN_OR_RETURN(config_.default_lease_ttl, top_.Duration(*a));
      default_ttl_pos_ = a->pos;
    } else if (key == "max_lease_ttl") {
      COFFER_ASSIGN_OR_RETURN(config_.max_lease_ttl, top_.Duration(*a));
      max_ttl_pos_ = a->pos;
    } else if (key == "log_level") {
      COFFER_ASSIGN_OR_RETURN(config_.log_level, NormalizeLogLevel(top_, *a));
    }
    return Status::Ok();
  }

  std::string_view filename_;
  Section top_;
  ServerConfig config_;
  std::optional<hcl::Position> storage_pos_;
  std::optional<hcl::Position> default_ttl_pos_;
  std::optional<hcl::Position> max_ttl_pos_;
};

}  // namespace

Result<ServerConfig> ParseServerConfig(const std::string& text, const std::string& filename) {
  COFFER_ASSIGN_OR_RETURN(hcl::Body body, hcl::ParseDocument(text, filename, JsonSchema()));
  TopLevel top(filename);
  for (const hcl::Item& item : body.items) {
    COFFER_RETURN_IF_ERROR(top.Apply(item));
  }
  return std::move(top).Finish();
}

Result<ServerConfig> LoadServerConfig(const std::string& path) {
  auto cannot_read = [&](int err) {
    return Status::InvalidArgument("cannot read config file \"" + path + "\": " +
                                   std::generic_category().message(err));
  };
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return cannot_read(errno);
  }
  std::string text;
  char buf[8192];
  int err = 0;
  while (true) {
    size_t n = std::fread(buf, 1, sizeof(buf), f);
    text.append(buf, n);
    if (text.size() > kMaxConfigBytes) {
      std::fclose(f);
      return Status::InvalidArgument("config file \"" + path + "\" is larger than " +
                                     std::to_string(kMaxConfigBytes / (1024 * 1024)) + " MiB");
    }
    if (n < sizeof(buf)) {
      if (std::ferror(f) != 0) {
        err = errno != 0 ? errno : EIO;
      }
      break;
    }
  }
  std::fclose(f);
  if (err != 0) {
    return cannot_read(err);
  }
  return ParseServerConfig(text, path);
}

}  // namespace coffer::config
