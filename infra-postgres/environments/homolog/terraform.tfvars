# homolog: same shape as production, smaller and cheaper. Network ids are not here: they come
# from infra-kubernetes (scripts/network-from-kubernetes.sh homolog -> network.auto.tfvars.json).
engine_version        = "16"
instance_class        = "db.t4g.small"
allocated_storage     = 20
max_allocated_storage = 50

multi_az                = false
deletion_protection     = false
skip_final_snapshot     = true
backup_retention_period = 7

performance_insights_retention_period = 7
log_min_duration_statement_ms         = 250
cloudwatch_log_retention_days         = 365
secret_recovery_window_in_days        = 7
