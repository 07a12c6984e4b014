from pathlib import Path

import pytest

from synergy_app.config import ConfigError, load_config


def test_default_database_is_sqlite_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = load_config(tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'synergy.sqlite3'}"


@pytest.mark.parametrize("url", ["postgres://u@h/db", "postgresql://u@h/db"])
def test_postgres_urls_use_the_psycopg_driver(tmp_path, monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_secret_key_is_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("SYNERGY_ENV", raising=False)
    first = load_config(tmp_path)["SECRET_KEY"]
    second = load_config(tmp_path)["SECRET_KEY"]
    assert first == second and len(first) >= 64
    key_file = Path(tmp_path) / "secret_key"
    assert key_file.read_text() == first
    assert key_file.stat().st_mode & 0o077 == 0, "the key file must not be readable by others"


def test_production_requires_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SYNERGY_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(tmp_path)
    assert not (tmp_path / "secret_key").exists()


def test_production_cookies_are_secure(tmp_path, monkeypatch):
    monkeypatch.setenv("SYNERGY_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    config = load_config(tmp_path)
    assert config["SESSION_COOKIE_SECURE"] and config["SESSION_COOKIE_HTTPONLY"]
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_redis_url_is_optional(tmp_path, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    assert load_config(tmp_path)["REDIS_URL"] is None
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert load_config(tmp_path)["REDIS_URL"] == "redis://127.0.0.1:6379/0"
