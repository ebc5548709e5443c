"""Events, rendered messages, settings and typed exceptions of the notification function."""
