# coffer for local use: LMDB under ./data, plain HTTP on 127.0.0.1:8200.
# Production wants TLS (tls_cert_file/tls_key_file) and mlock enabled; see
# docs/configuration.md.
storage "lmdb" {
  path = "./data"
}

listener "tcp" {
  address     = "127.0.0.1:8200"
  tls_disable = true
}

api_addr = "http://127.0.0.1:8200"

# mlock needs CAP_IPC_LOCK or root; a developer's shell usually has neither.
disable_mlock = true
