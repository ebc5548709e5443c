"""Data access: a small repository over psycopg2."""
