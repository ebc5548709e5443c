"""Deterministic data generator for the Oficina application schema (see generate.py)."""
