"""Typed configuration, records and exceptions shared by the layers."""
