storage "lmdb" {
  path = "/var/lib/coffer"
}
listener "tcp" {
  address = "127.0.0.1:8200"
  tls_disable = true
}
default_lease_ttl = "1h30m"
