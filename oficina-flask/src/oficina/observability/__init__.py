"""Logs, request correlation and metrics: the names follow docs/observability.md."""
