"""CPF authentication function for Oficina: issues RS256 JWTs and publishes the JWKS."""

__version__ = "0.1.0"
