#include "core/router.h"

#include <algorithm>
#include <mutex>

namespace coffer::core {

std::optional<Router::Match> Router::Route(std::string_view path) const {
  std::shared_lock lock(mu_);
  // Try every prefix that ends in '/', longest first, plus the whole path
  // with a '/' appended (a request for the mount point itself).
  std::string candidate(path);
  if (!candidate.ends_with('/')) {
    candidate.push_back('/');
    if (auto it = mounts_.find(candidate); it != mounts_.end()) {
      return Match{it->second, ""};
    }
    candidate.pop_back();
  }
  size_t end = candidate.size();
  while (end > 0) {
    size_t slash = candidate.rfind('/', end - 1);
    if (slash == std::string::npos) {
      break;
    }
    auto it = mounts_.find(candidate.substr(0, slash + 1));
    if (it != mounts_.end()) {
      return Match{it->second, std::string(path.substr(std::min(path.size(), slash + 1)))};
    }
    end = slash;
  }
  return std::nullopt;
}

Status Router::CheckConflicts(const std::string& path, const std::string& except) const {
  for (const auto& [existing, _] : mounts_) {
    if (existing == except) {
      continue;
    }
    if (existing == path) {
      return Status::InvalidArgument("path is already in use at " + existing);
    }
    if (path.starts_with(existing)) {
      return Status::InvalidArgument("cannot mount under existing mount \"" + existing + "\"");
    }
    if (existing.starts_with(path)) {
      return Status::InvalidArgument("cannot mount \"" + path + "\" over existing mount \"" +
                                     existing + "\"");
    }
  }
  return Status::Ok();
}

Status Router::Add(std::shared_ptr<MountedEngine> mount) {
  std::unique_lock lock(mu_);
  const std::string path = mount->entry.path;
  COFFER_RETURN_IF_ERROR(CheckConflicts(path));
  mounts_.emplace(path, std::move(mount));
  return Status::Ok();
}

std::shared_ptr<MountedEngine> Router::Remove(const std::string& path) {
  std::unique_lock lock(mu_);
  auto it = mounts_.find(path);
  if (it == mounts_.end()) {
    return nullptr;
  }
  auto mount = std::move(it->second);
  mounts_.erase(it);
  return mount;
}

Status Router::Replace(const std::string& old_path,
                       std::shared_ptr<MountedEngine> replacement) {
  std::unique_lock lock(mu_);
  if (mounts_.find(old_path) == mounts_.end()) {
    return Status::InvalidArgument("no mount at \"" + old_path + "\"");
  }
  const std::string path = replacement->entry.path;
  COFFER_RETURN_IF_ERROR(CheckConflicts(path, old_path));
  mounts_.erase(old_path);
  mounts_[path] = std::move(replacement);
  return Status::Ok();
}

std::shared_ptr<MountedEngine> Router::Find(const std::string& path) const {
  std::shared_lock lock(mu_);
  auto it = mounts_.find(path);
  return it == mounts_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<MountedEngine>> Router::All() const {
  std::shared_lock lock(mu_);
  std::vector<std::shared_ptr<MountedEngine>> out;
  out.reserve(mounts_.size());
  for (const auto& [_, m] : mounts_) {
    out.push_back(m);
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a->entry.path < b->entry.path; });
  return out;
}

void Router::Clear() {
  std::unique_lock lock(mu_);
  mounts_.clear();
}

}  // namespace coffer::core
