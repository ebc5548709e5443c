"""Oficina: the workshop service-order API."""
