import pytest

from oficina.config import ConfigError, from_env


def test_config_requires_database_and_keys(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        from_env()
    monkeypatch.setenv("DATABASE_URL", "postgresql://x/y")
    monkeypatch.delenv("JWT_JWKS_URL", raising=False)
    monkeypatch.delenv("JWT_JWKS_FILE", raising=False)
    with pytest.raises(ConfigError, match="JWKS"):
        from_env()


def test_config_reads_and_validates_numbers(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://x/y")
    monkeypatch.setenv("JWT_JWKS_URL", "http://auth/.well-known/jwks.json")
    monkeypatch.setenv("DB_POOL_SIZE", "7")
    monkeypatch.setenv("JWT_AUDIENCE", "oficina-api")
    config = from_env()
    assert config["DB_POOL_SIZE"] == 7
    assert config["JWT_AUDIENCE"] == "oficina-api"
    monkeypatch.setenv("DB_POOL_SIZE", "many")
    with pytest.raises(ConfigError, match="DB_POOL_SIZE must be an integer"):
        from_env()
