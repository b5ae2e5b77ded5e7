// sys/tools/random and sys/tools/hash, and sys/wrapping/wrap (whose
// wrapping the request pipeline does).
#include "base/encoding.h"
#include "core/sys/sys_paths.h"
#include "crypto/random.h"

#include <openssl/evp.h>

namespace coffer::core::sys {

namespace {

using framework::FieldData;
using framework::FieldType;
using nlohmann::json;

constexpr int64_t kMaxRandomBytes = 128 * 1024;

Result<std::string> Encode(const std::string& bytes, const std::string& format) {
  if (format == "base64" || format.empty()) {
    return Base64Encode(bytes);
  }
  if (format == "hex") {
    return HexEncode(bytes);
  }
  return Status::InvalidArgument("unsupported encoding format \"" + format +
                                 "\"; must be \"hex\" or \"base64\"");
}

const EVP_MD* Digest(const std::string& name) {
  if (name == "sha2-224") return EVP_sha224();
  if (name == "sha2-256") return EVP_sha256();
  if (name == "sha2-384") return EVP_sha384();
  if (name == "sha2-512") return EVP_sha512();
  if (name == "sha3-224") return EVP_sha3_224();
  if (name == "sha3-256") return EVP_sha3_256();
  if (name == "sha3-384") return EVP_sha3_384();
  if (name == "sha3-512") return EVP_sha3_512();
  return nullptr;
}

framework::PathSpec RandomPath() {
  framework::PathSpec p;
  p.pattern = "tools/random(/(?P<source>platform|seal|all))?(/(?P<urlbytes>[^/]+))?";
  p.fields = {{"source", {FieldType::kString, json("platform"), false, "platform, seal or all"}},
              {"urlbytes", {FieldType::kString, json(""), false, "Bytes, in the URL."}},
              {"bytes", {FieldType::kInt, json(32), false, "How many random bytes."}},
              {"format", {FieldType::kString, json("base64"), false, "hex or base64"}}};
  auto handler = [](const EngineRequest&, const FieldData& d) -> Result<Response> {
    int64_t bytes = d.GetInt("bytes");
    const std::string url_bytes = d.GetString("urlbytes");
    if (!url_bytes.empty()) {
      // The URL may carry the format instead ("tools/random/hex").
      if (url_bytes == "hex" || url_bytes == "base64") {
        return Status::InvalidArgument("put the format in the body, not the URL");
      }
      try {
        size_t used = 0;
        bytes = std::stoll(url_bytes, &used);
        if (used != url_bytes.size()) {
          throw std::invalid_argument("trailing");
        }
      } catch (const std::exception&) {
        return Status::InvalidArgument("error parsing URL-set byte count \"" + url_bytes + "\"");
      }
    }
    if (bytes < 1 || bytes > kMaxRandomBytes) {
      return Status::InvalidArgument("\"bytes\" must be between 1 and " +
                                     std::to_string(kMaxRandomBytes));
    }
    COFFER_ASSIGN_OR_RETURN(std::string random, crypto::RandomString(static_cast<size_t>(bytes)));
    COFFER_ASSIGN_OR_RETURN(std::string encoded, Encode(random, d.GetString("format")));
    return Response::Data({{"random_bytes", encoded}});
  };
  p.operations[Operation::kUpdate] = handler;
  p.operations[Operation::kRead] = handler;
  return p;
}

framework::PathSpec HashPath() {
  framework::PathSpec p;
  p.pattern = "tools/hash(/(?P<urlalgorithm>[^/]+))?";
  p.fields = {{"urlalgorithm", {FieldType::kString, json(""), false, "Algorithm, in the URL."}},
              {"algorithm", {FieldType::kString, json("sha2-256"), false, "Hash algorithm."}},
              {"input", {FieldType::kString, json(), true, "Base64 input."}},
              {"format", {FieldType::kString, json("hex"), false, "hex or base64"}}};
  p.operations[Operation::kUpdate] = [](const EngineRequest&,
                                        const FieldData& d) -> Result<Response> {
    std::string algorithm = d.GetString("urlalgorithm");
    if (algorithm.empty()) {
      algorithm = d.GetString("algorithm");
    }
    const EVP_MD* md = Digest(algorithm);
    if (md == nullptr) {
      return Status::InvalidArgument("unsupported algorithm \"" + algorithm + "\"");
    }
    auto input = Base64Decode(d.GetString("input"));
    if (!input) {
      return Status::InvalidArgument("unable to decode input as base64");
    }
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(input->data(), input->size(), out, &len, md, nullptr) != 1) {
      return Status::Internal("EVP_Digest failed");
    }
    COFFER_ASSIGN_OR_RETURN(std::string sum,
                            Encode(std::string(reinterpret_cast<char*>(out), len),
                                   d.GetString("format")));
    return Response::Data({{"sum", sum}});
  };
  return p;
}

}  // namespace

std::vector<framework::PathSpec> ToolPaths() { return {RandomPath(), HashPath()}; }

std::vector<framework::PathSpec> WrappingPaths() {
  framework::PathSpec wrap;
  wrap.pattern = "wrapping/wrap";
  wrap.takes_arbitrary_input = true;
  wrap.operations[Operation::kUpdate] = [](const EngineRequest& req,
                                           const FieldData&) -> Result<Response> {
    if (!req.data.is_object() || req.data.empty()) {
      return Status::InvalidArgument("empty request body");
    }
    return Response::Data(req.data);
  };
  wrap.help_synopsis = "Wrap the request body in a single-use token (needs X-Vault-Wrap-TTL).";
  return {wrap};
}

}  // namespace coffer::core::sys
