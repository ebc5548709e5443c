# Parameters are written as static blocks (not a dynamic block over a list) so that reviewers
# and scanners (checkov CKV2_AWS_69 reads rds.force_ssl) see exactly what is set.
resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.name}-pg${local.engine_major}-"
  family      = "postgres${local.engine_major}"
  description = "${var.name}: TLS only, pg_stat_statements, slow-query logging"

  # TLS only: plain-text connections are refused by the server.
  parameter {
    name         = "rds.force_ssl"
    value        = "1"
    apply_method = "immediate"
  }
  parameter {
    name         = "ssl_min_protocol_version"
    value        = "TLSv1.2"
    apply_method = "immediate"
  }
  parameter {
    name         = "password_encryption"
    value        = "scram-sha-256"
    apply_method = "immediate"
  }

  # Query statistics for Datadog Database Monitoring and Performance Insights.
  parameter {
    name         = "shared_preload_libraries"
    value        = "pg_stat_statements"
    apply_method = "pending-reboot"
  }
  parameter {
    name         = "pg_stat_statements.track"
    value        = "top"
    apply_method = "immediate"
  }
  parameter {
    name         = "track_activity_query_size"
    value        = "4096"
    apply_method = "pending-reboot"
  }
  parameter {
    name         = "track_io_timing"
    value        = "1"
    apply_method = "immediate"
  }

  # Slow-query log (duration and text of every statement slower than the threshold) and the
  # events worth a line in CloudWatch.
  parameter {
    name         = "log_min_duration_statement"
    value        = tostring(var.log_min_duration_statement_ms)
    apply_method = "immediate"
  }
  parameter {
    name         = "log_statement"
    value        = "ddl"
    apply_method = "immediate"
  }
  parameter {
    name         = "log_connections"
    value        = "1"
    apply_method = "immediate"
  }
  parameter {
    name         = "log_disconnections"
    value        = "1"
    apply_method = "immediate"
  }
  parameter {
    name         = "log_lock_waits"
    value        = "1"
    apply_method = "immediate"
  }
  parameter {
    name         = "log_temp_files"
    value        = "10240"
    apply_method = "immediate"
  }
  parameter {
    name         = "log_autovacuum_min_duration"
    value        = "1000"
    apply_method = "immediate"
  }

  # A forgotten open transaction must not hold locks and bloat tables forever.
  parameter {
    name         = "idle_in_transaction_session_timeout"
    value        = "60000"
    apply_method = "immediate"
  }

  tags = local.tags

  lifecycle {
    create_before_destroy = true
  }
}
