"""Framework glue owned in one place: the database session, the API base classes, JWT."""
