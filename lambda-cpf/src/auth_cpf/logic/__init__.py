"""Business rules, free of HTTP and of the database driver."""
