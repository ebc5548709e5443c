# production: Multi-AZ, deletion protection, a month of point-in-time recovery. Network ids
# come from infra-kubernetes (scripts/network-from-kubernetes.sh production).
engine_version        = "16"
instance_class        = "db.m7g.large"
allocated_storage     = 100
max_allocated_storage = 500

multi_az                = true
deletion_protection     = true
skip_final_snapshot     = false
backup_retention_period = 30

performance_insights_retention_period = 31
log_min_duration_statement_ms         = 500
cloudwatch_log_retention_days         = 365
secret_recovery_window_in_days        = 30
