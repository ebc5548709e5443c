# One secret per login role of bootstrap/roles.sql. Terraform generates the password with the
# ephemeral aws_secretsmanager_random_password and writes it write-only (secret_string_wo): the
# value never enters the plan or the state. bootstrap/set_role_passwords.py then sets the same
# password (as a SCRAM verifier) in PostgreSQL. Rotate: bump role_password_version, apply, rerun.

ephemeral "aws_secretsmanager_random_password" "role" {
  for_each = toset(var.database_roles)

  password_length     = 40
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "role" {
  #checkov:skip=CKV2_AWS_57:Rotation is a versioned step, not a Lambda: bump role_password_version, apply, run bootstrap/apply_roles.py (the PostgreSQL password must change with the secret, and Learner Lab cannot create a rotation function's role). The master secret is rotated by RDS itself.
  for_each = toset(var.database_roles)

  name_prefix             = "${var.name}/db/${each.key}-"
  description             = "PostgreSQL login of role ${each.key} on ${var.name}"
  kms_key_id              = local.kms_key_arn
  recovery_window_in_days = var.secret_recovery_window_in_days
  tags                    = merge(local.tags, { "oficina:db-role" = each.key })
}

resource "aws_secretsmanager_secret_version" "role" {
  for_each = toset(var.database_roles)

  secret_id = aws_secretsmanager_secret.role[each.key].id
  secret_string_wo = jsonencode({
    engine   = "postgres"
    host     = aws_db_instance.this.address
    port     = var.port
    dbname   = var.db_name
    username = each.key
    password = ephemeral.aws_secretsmanager_random_password.role[each.key].random_password
  })
  secret_string_wo_version = var.role_password_version
}
