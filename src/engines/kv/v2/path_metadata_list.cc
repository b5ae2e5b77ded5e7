// LIST metadata/<folder>/: the keys of a folder, as Vault lists them, plus
// coffer's "after"/"limit" pagination and "recursive" subtree scan.
#include "core/framework/response_util.h"
#include "engines/kv/v2/key_listing.h"
#include "engines/kv/v2/paths.h"

namespace coffer::engines::kv {

namespace {

using core::EngineRequest;
using core::Response;
using core::framework::FieldData;

Result<Response> ListMetadata(const EngineRequest& request, const FieldData& fields) {
  std::string folder = fields.GetString("path");
  if (!folder.empty() && folder.back() != '/') {
    folder.push_back('/');
  }
  int64_t limit = fields.GetInt("limit");
  if (limit < 0) {
    return Status::InvalidArgument("limit must not be negative");
  }
  ListOptions options;
  options.after = fields.GetString("after");
  options.limit = static_cast<size_t>(limit);
  options.recursive = fields.GetBool("recursive");
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> keys,
                          ListKeys(*request.storage, kMetadataPrefix + folder, options));
  return core::framework::ListResponse(std::move(keys));
}

}  // namespace

core::framework::Handler MetadataListHandler() { return ListMetadata; }

}  // namespace coffer::engines::kv
