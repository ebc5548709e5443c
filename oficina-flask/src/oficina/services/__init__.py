"""The service layer: business operations over a SQLAlchemy session, raising domain errors."""
