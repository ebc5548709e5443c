# homolog: same shape as production, smaller. Network and database ids come from the outputs of
# infra-kubernetes and infra-postgres for the same environment (README "Terraform": a
# *.auto.tfvars.json next to this file, or -var flags); the values below are the rest.
auth_issuer                      = "https://api.homolog.oficina.example"
auth_reserved_concurrency        = 10
notify_reserved_concurrency      = 2
ses_identity                     = "no-reply@homolog.oficina.example"
email_source                     = "Oficina (homolog) <no-reply@homolog.oficina.example>"
deletion_protection              = false
log_retention_days               = 365
signing_key_recovery_window_days = 7

datadog_python_layer_arn    = "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Python311:107"
datadog_extension_layer_arn = "arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension:72"
