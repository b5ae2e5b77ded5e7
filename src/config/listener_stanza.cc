#include <charconv>
#include <system_error>
#include <utility>

#include "config/section.h"
#include "config/stanzas.h"

namespace coffer::config::internal {

namespace {

// ValidAddress checks the "host:port" shape: a port of 0..65535 after the
// last ':', and IPv6 hosts in brackets. Whether the host resolves is for
// the server to find out when it binds.
bool ValidAddress(std::string_view address) {
  size_t colon = address.rfind(':');
  if (colon == std::string_view::npos) {
    return false;
  }
  std::string_view host = address.substr(0, colon);
  std::string_view port = address.substr(colon + 1);
  if (port.empty() || port.size() > 5) {
    return false;
  }
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || ptr != port.data() + port.size() || value > 65535) {
    return false;
  }
  bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  return bracketed || host.find_first_of(":[]") == std::string_view::npos;
}

// SetListenerKey applies one attribute; false in *known when the key is not
// a listener key.
Status SetListenerKey(const Section& section, const hcl::Item& item, ListenerConfig* l,
                      bool* known) {
  const std::string& key = item.key();
  *known = true;
  if (key == "address") {
    COFFER_ASSIGN_OR_RETURN(const hcl::Attribute* a, section.AttributeOf(item));
    COFFER_ASSIGN_OR_RETURN(l->address, section.String(*a));
    if (!ValidAddress(l->address)) {
      return section.Error(a->value.pos(), section.Where("address") +
                                               " must be host:port, as in \"127.0.0.1:8200\", got " +
                                               hcl::Quote(l->address));
    }
  } else if (key == "tls_disable") {
    COFFER_ASSIGN_OR_RETURN(const hcl::Attribute* a, section.AttributeOf(item));
    COFFER_ASSIGN_OR_RETURN(l->tls_disable, section.Bool(*a));
  } else if (key == "tls_cert_file") {
    COFFER_ASSIGN_OR_RETURN(const hcl::Attribute* a, section.AttributeOf(item));
    COFFER_ASSIGN_OR_RETURN(l->tls_cert_file, section.String(*a));
  } else if (key == "tls_key_file") {
    COFFER_ASSIGN_OR_RETURN(const hcl::Attribute* a, section.AttributeOf(item));
    COFFER_ASSIGN_OR_RETURN(l->tls_key_file, section.String(*a));
  } else if (key == "tls_client_ca_file") {
    COFFER_ASSIGN_OR_RETURN(const hcl::Attribute* a, section.AttributeOf(item));
    COFFER_ASSIGN_OR_RETURN(l->tls_client_ca_file, section.String(*a));
  } else if (key == "tls_min_version") {
    COFFER_ASSIGN_OR_RETURN(const hcl::Attribute* a, section.AttributeOf(item));
    COFFER_ASSIGN_OR_RETURN(l->tls_min_version, section.String(*a));
    if (l->tls_min_version != "tls12" && l->tls_min_version != "tls13") {
      return section.Error(a->value.pos(), section.Where("tls_min_version") +
                                               " must be \"tls12\" or \"tls13\", got " +
                                               hcl::Quote(l->tls_min_version));
    }
  } else if (key == "tls_require_and_verify_client_cert") {
    COFFER_ASSIGN_OR_RETURN(const hcl::Attribute* a, section.AttributeOf(item));
    COFFER_ASSIGN_OR_RETURN(l->tls_require_and_verify_client_cert, section.Bool(*a));
  } else if (key == "max_request_size") {
    COFFER_ASSIGN_OR_RETURN(const hcl::Attribute* a, section.AttributeOf(item));
    COFFER_ASSIGN_OR_RETURN(int64_t size, section.Int(*a));
    // As in Vault, zero or less means "use the default".
    if (size > 0) {
      l->max_request_size = static_cast<uint64_t>(size);
    }
  } else {
    *known = false;
  }
  return Status::Ok();
}

}  // namespace

Result<ListenerConfig> ParseListener(const hcl::Block& block, std::string_view filename) {
  Section top(filename, "");
  if (block.labels.size() != 1) {
    return top.Error(block.pos,
                     "listener needs exactly one label, the listener type, as in "
                     "listener \"tcp\" { address = \"127.0.0.1:8200\" }");
  }
  const hcl::Label& type = block.labels[0];
  if (type.value != "tcp") {
    return top.Error(type.pos, "unsupported listener type " + hcl::Quote(type.value) +
                                   ": coffer supports \"tcp\"");
  }
  ListenerConfig listener;
  listener.type = type.value;
  Section section(filename, "listener " + hcl::Quote(type.value));
  for (const hcl::Item& item : block.body.items) {
    bool known = false;
    COFFER_RETURN_IF_ERROR(SetListenerKey(section, item, &listener, &known));
    if (!known) {
      return section.UnknownKey(item);
    }
  }

  // Fail closed: serving secrets over plain HTTP must be asked for.
  if (!listener.tls_disable && (listener.tls_cert_file.empty() || listener.tls_key_file.empty())) {
    return top.Error(block.pos,
                     "listener \"tcp\" needs tls_cert_file and tls_key_file, "
                     "or tls_disable = true to serve plain HTTP");
  }
  if (listener.tls_require_and_verify_client_cert) {
    if (listener.tls_disable) {
      return top.Error(block.pos,
                       "tls_require_and_verify_client_cert in listener \"tcp\" needs TLS, "
                       "but tls_disable is true");
    }
    if (listener.tls_client_ca_file.empty()) {
      return top.Error(block.pos,
                       "tls_require_and_verify_client_cert in listener \"tcp\" needs "
                       "tls_client_ca_file, the CA that signs client certificates");
    }
  }
  return listener;
}

}  // namespace coffer::config::internal
