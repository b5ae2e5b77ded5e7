# policy
path "secret/*" {
  capabilities = ["read", "list",]
  allowed_parameters = { "ttl" = [], "*": [1.5e3, -2, null] }
}
p = <<-EOT
    text \n
    EOT
/* c */ s = "\u00e9\ud83d\ude00"
