"""Business rules that need no database or web framework."""
