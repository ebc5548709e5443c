"""Key loading (PEM files, AWS Secrets Manager through moto), kid and JWKS."""

from __future__ import annotations

import base64
import os
import stat

import boto3
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from moto import mock_aws

from auth_cpf import keys_cli
from auth_cpf.bootstrap import load_keys
from auth_cpf.logic import keys
from auth_cpf.models.config import Settings
from auth_cpf.models.errors import KeyLoadError

# RFC 7638 section 3.1: this key's thumbprint is NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs.
RFC7638_N = (
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECP"
    "ebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY"
    "368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0f"
    "M4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
)


def _b64int(value: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")


def test_kid_is_the_rfc7638_thumbprint():
    public = rsa.RSAPublicNumbers(e=65537, n=_b64int(RFC7638_N)).public_key()
    jwk = keys.public_jwk(public)
    assert jwk["kid"] == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    assert jwk["n"] == RFC7638_N and jwk["e"] == "AQAB"


def test_load_from_files_with_previous_public_key(tmp_path):
    current, previous = keys.generate_private_key_pem(), keys.generate_private_key_pem()
    (tmp_path / "cur.pem").write_bytes(current)
    prev_public = (
        serialization.load_pem_private_key(previous, None)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    (tmp_path / "prev.pem").write_bytes(prev_public)
    ring = keys.load_from_files(str(tmp_path / "cur.pem"), str(tmp_path / "prev.pem"))
    assert len(ring.jwks()["keys"]) == 2
    same = keys.load_from_files(str(tmp_path / "cur.pem"), str(tmp_path / "cur.pem"))
    assert len(same.jwks()["keys"]) == 1  # previous == current is listed once


def _pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a key", "not a readable"),
        (b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "not a readable"),
        ("ec", "needs an RSA key"),
        ("small", "need >= 2048"),
        ("public", "a private key is needed"),
    ],
)
def test_unacceptable_keys_are_refused(tmp_path, content, message):
    if content == "ec":
        content = _pem(ec.generate_private_key(ec.SECP256R1()))
    elif content == "small":
        content = _pem(rsa.generate_private_key(public_exponent=65537, key_size=1024))
    elif content == "public":
        content = (
            rsa.generate_private_key(public_exponent=65537, key_size=2048)
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    (tmp_path / "k.pem").write_bytes(content)
    with pytest.raises(KeyLoadError, match=message):
        keys.load_from_files(str(tmp_path / "k.pem"))


def test_missing_file_is_a_key_error(tmp_path):
    with pytest.raises(KeyLoadError, match="cannot read"):
        keys.load_from_files(str(tmp_path / "absent.pem"))


@pytest.fixture
def aws(monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield boto3.client("secretsmanager", region_name="us-east-1")


def test_secrets_manager_current_and_previous_after_rotation(aws):
    first, second = keys.generate_private_key_pem(), keys.generate_private_key_pem()
    arn = aws.create_secret(Name="oficina/auth/signing-key", SecretString=first.decode())["ARN"]
    ring = keys.load_from_secrets_manager(arn)  # its own boto3 client, as in Lambda
    assert len(ring.jwks()["keys"]) == 1
    first_kid = ring.kid

    aws.put_secret_value(SecretId=arn, SecretString=second.decode())  # the rotation
    rotated = keys.load_from_secrets_manager("oficina/auth/signing-key", client=aws)
    assert rotated.kid != first_kid
    assert [k["kid"] for k in rotated.jwks()["keys"]] == [rotated.kid, first_kid]


def test_secrets_manager_through_settings(aws):
    aws.create_secret(Name="sk", SecretString=keys.generate_private_key_pem().decode())
    settings = Settings.from_env(
        {
            "DATABASE_URL": "postgresql://x@127.0.0.1/x",
            "AUTH_ISSUER": "https://api.example",
            "AUTH_SIGNING_KEY_SECRET_ID": "sk",
        }
    )
    assert load_keys(settings, aws).kid


def test_secrets_manager_binary_secret(aws):
    aws.create_secret(Name="bin", SecretBinary=keys.generate_private_key_pem())
    assert keys.load_from_secrets_manager("bin", client=aws).kid


def test_secrets_manager_missing_secret(aws):
    with pytest.raises(KeyLoadError, match="ResourceNotFoundException"):
        keys.load_from_secrets_manager("does-not-exist", client=aws)


def test_secrets_manager_unreachable(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    # A loopback port with nothing listening: botocore fails to connect, never leaves the host.
    client = boto3.client(
        "secretsmanager",
        region_name="us-east-1",
        endpoint_url="http://127.0.0.1:1",
        config=__import__("botocore.config").config.Config(
            retries={"max_attempts": 1}, connect_timeout=1
        ),
    )
    with pytest.raises(KeyLoadError, match="unreachable"):
        keys.load_from_secrets_manager("sk", client=client)


def test_write_dev_key_is_private_and_kept(tmp_path):
    path = keys.write_dev_key(tmp_path / "dev" / "k.pem")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    before = path.read_bytes()
    keys.write_dev_key(path)
    assert path.read_bytes() == before


def test_keys_cli(tmp_path, capsys):
    assert keys_cli.main(["generate", str(tmp_path / "a.pem")]) == 0
    assert keys_cli.main(["generate", str(tmp_path / "a.pem")]) == 0
    assert "kept existing" in capsys.readouterr().out
    assert keys_cli.main(["generate", str(tmp_path / "b.pem")]) == 0
    capsys.readouterr()
    assert keys_cli.main(["jwks", str(tmp_path / "a.pem"), str(tmp_path / "b.pem")]) == 0
    assert capsys.readouterr().out.count('"kid"') == 2
    assert keys_cli.main(["jwks", str(tmp_path / "absent.pem")]) == 1
