#include "cli/server_command.h"

#include <csignal>
#include <cstdio>
#include <iostream>

#include <spdlog/spdlog.h>

#include "base/encoding.h"
#include "cli/flags.h"
#include "config/server_config.h"
#include "core/core.h"
#include "crypto/process_hardening.h"
#include "http/server.h"
#include "storage/backend.h"

namespace coffer::cli {

namespace {

const std::vector<FlagSpec> kServerFlags = {
    {"config", false, "Path to the server configuration file (HCL or JSON)."},
    {"dev", true, "Run an in-memory, initialized and unsealed server for development."},
    {"dev-root-token-id", false, "Root token to create in dev mode (default: random)."},
    {"dev-listen-address", false, "Address to listen on in dev mode (default 127.0.0.1:8200)."},
    {"log-level", false, "Log level: trace, debug, info, warn, error (overrides the config)."},
};

int Fail(const std::string& message) {
  std::fprintf(stderr, "Error: %s\n", message.c_str());
  return 1;
}

void SetLogLevel(const std::string& level) {
  if (level == "trace") {
    spdlog::set_level(spdlog::level::trace);
  } else if (level == "debug") {
    spdlog::set_level(spdlog::level::debug);
  } else if (level == "warn" || level == "warning") {
    spdlog::set_level(spdlog::level::warn);
  } else if (level == "error") {
    spdlog::set_level(spdlog::level::err);
  } else {
    spdlog::set_level(spdlog::level::info);
  }
}

config::ServerConfig DevConfig(const ParsedFlags& flags) {
  config::ServerConfig c;
  c.storage.type = "inmem";
  config::ListenerConfig l;
  l.address = flags.Get("dev-listen-address", "127.0.0.1:8200");
  l.tls_disable = true;
  c.listeners.push_back(l);
  // As vault's dev mode: nothing here is worth locking, and a developer's
  // shell rarely may lock memory.
  c.disable_mlock = true;
  return c;
}

// WaitForShutdown blocks until SIGINT or SIGTERM. The signals are blocked in
// every thread (set before any thread starts) and taken here with sigwait.
// SIGHUP reopens the audit devices' files (logrotate's postrotate).
void WaitForShutdown(const sigset_t& set, core::Core& core) {
  int sig = 0;
  while (sigwait(&set, &sig) == 0) {
    if (sig == SIGINT || sig == SIGTERM) {
      spdlog::info("received signal {}, shutting down", sig);
      return;
    }
    if (sig == SIGHUP) {
      spdlog::info("received SIGHUP, reopening audit devices");
      core.ReopenAudit();
    }
  }
}

int DevInitialize(core::Core& core, const ParsedFlags& flags, const std::string& address) {
  core::SealConfig seal;
  seal.secret_shares = 1;
  seal.secret_threshold = 1;
  auto init = core.Initialize(seal, flags.Get("dev-root-token-id"));
  if (!init.ok()) {
    return Fail("dev mode init failed: " + init.status().message());
  }
  auto share = HexDecode(init->keys_hex[0]);
  Status unsealed = core.SubmitUnsealKey(crypto::SecureBuffer::FromBytes(share.value_or("")));
  if (!unsealed.ok() || core.sealed()) {
    return Fail("dev mode unseal failed: " + unsealed.message());
  }
  core::MountEntry kv;
  kv.path = "secret/";
  kv.type = "kv";
  kv.description = "key/value secret storage";
  kv.options["version"] = "2";
  if (Status mounted = core.Mount(kv); !mounted.ok()) {
    return Fail("dev mode could not mount secret/: " + mounted.message());
  }
  std::printf(
      "WARNING! dev mode is enabled! In this mode, coffer runs entirely in-memory\n"
      "and starts unsealed with a single unseal key. Never use it in production.\n\n"
      "You may need to set the following environment variables:\n\n"
      "    $ export VAULT_ADDR='http://%s'\n\n"
      "The unseal key and root token are displayed below in case you want to\n"
      "seal/unseal the server or re-authenticate.\n\n"
      "Unseal Key: %s\nRoot Token: %s\n\n",
      address.c_str(), init->keys_base64[0].c_str(), init->root_token.c_str());
  std::fflush(stdout);
  return 0;
}

}  // namespace

int RunServer(const std::vector<std::string>& args) {
  auto flags = ParseFlags(args, kServerFlags);
  if (!flags.ok()) {
    return Fail(flags.status().message() + "\n\nUsage: coffer server [options]\n" +
                Usage(kServerFlags));
  }
  const bool dev = flags->GetBool("dev");
  config::ServerConfig cfg;
  if (dev) {
    cfg = DevConfig(*flags);
  } else {
    if (!flags->Has("config")) {
      return Fail("a configuration file must be given with -config=FILE (or use -dev)");
    }
    auto loaded = config::LoadServerConfig(flags->Get("config"));
    if (!loaded.ok()) {
      return Fail(loaded.status().message());
    }
    cfg = std::move(loaded).value();
  }
  SetLogLevel(flags->Get("log-level", cfg.log_level));

  // Block the shutdown signals before any thread exists, so all threads
  // inherit the mask and only WaitForShutdown receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  if (Status st = crypto::DisableCoreDumps(); !st.ok()) {
    spdlog::warn("could not disable core dumps: {}", st.message());
  }
  if (!cfg.disable_mlock) {
    if (Status st = crypto::LockProcessMemory(); !st.ok()) {
      return Fail(st.message());
    }
  }
  if (auto limit = crypto::RaiseFileLimit(); limit.ok()) {
    spdlog::debug("open file limit: {}", *limit);
  }

  auto physical = storage::OpenBackend(cfg.storage.type, cfg.storage.params);
  if (!physical.ok()) {
    return Fail("storage \"" + cfg.storage.type + "\": " + physical.status().message());
  }
  core::Core::Options options;
  options.storage_type = cfg.storage.type;
  auto core = core::Core::Open(**physical, options);
  if (!core.ok()) {
    return Fail("could not open the core: " + core.status().message());
  }
  if (dev) {
    if (int rc = DevInitialize(**core, *flags, cfg.listeners[0].address); rc != 0) {
      return rc;
    }
  }

  http::Server server(cfg.listeners, **core);
  if (Status st = server.Start(); !st.ok()) {
    return Fail(st.message());
  }
  std::printf("==> coffer server started! Log data will stream in below:\n\n");
  std::printf("             Storage: %s\n", cfg.storage.type.c_str());
  for (size_t i = 0; i < cfg.listeners.size(); ++i) {
    const auto& l = cfg.listeners[i];
    std::printf("            Listener: %s (port %u, tls: %s)\n", l.address.c_str(),
                server.BoundPort(i), l.tls_disable ? "disabled" : "enabled");
  }
  std::printf("             Version: coffer v%s\n\n", std::string(core::kVersion).c_str());
  if (!dev && !(*core)->initialized()) {
    std::printf(
        "The server is not initialized. In another terminal:\n"
        "    $ export VAULT_ADDR='%s://%s'\n"
        "    $ coffer operator init          # prints the unseal keys and root token\n"
        "    $ coffer operator unseal        # repeat with threshold-many keys\n\n",
        cfg.listeners[0].tls_disable ? "http" : "https", cfg.listeners[0].address.c_str());
  } else if (!dev) {
    std::printf("The server is sealed: unseal it with `coffer operator unseal`.\n\n");
  }
  std::fflush(stdout);

  WaitForShutdown(signals, **core);
  server.Stop();
  (*core)->Seal();
  return 0;
}

}  // namespace coffer::cli
