# production. Network and database ids come from the outputs of infra-kubernetes and
# infra-postgres for the same environment (README "Terraform").
auth_issuer                      = "https://api.oficina.example"
auth_reserved_concurrency        = 50
notify_reserved_concurrency      = 5
ses_identity                     = "oficina.example"
email_source                     = "Oficina <no-reply@oficina.example>"
deletion_protection              = true
log_retention_days               = 731
signing_key_recovery_window_days = 30

datadog_python_layer_arn    = "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Python311:107"
datadog_extension_layer_arn = "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension:72"
