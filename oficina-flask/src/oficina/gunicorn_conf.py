"""gunicorn settings for the container (``--config python:oficina.gunicorn_conf``)."""

from __future__ import annotations

import math
import os
from pathlib import Path


def _cpu_limit() -> float:
    """CPUs granted by the cgroup (Kubernetes limit), else the machine's count."""
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()
        if quota != "max":
            return int(quota) / int(period)
    except (OSError, ValueError):
        pass
    return float(os.cpu_count() or 1)


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS") or max(2, math.ceil(_cpu_limit()) * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "25"))
keepalive = 5
# Recycling a worker bounds a slow leak, but a restart costs ~1 s of CPU (imports, pool,
# prepared statements): at 5,000 requests the workers of a busy pod restarted every few
# seconds and the benchmark's throughput fell by half (docs/performance.md).
max_requests = 200_000
max_requests_jitter = 20_000
accesslog = None  # the app logs each request itself, as JSON
control_socket_disable = True
