"""Key rotation through the JWKS, and readiness when the database is away."""

import json

from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from oficina.app import create_app
from oficina.extensions.auth import KeySet
from tests.conftest import app_config


def test_rotation_new_key_is_picked_up_and_old_still_verifies(
    database_url, signer, world, tmp_path, monkeypatch
):
    # The procedure publishes the new key before signing with it; here the cache interval is
    # zero so the test need not wait for it.
    monkeypatch.setattr(KeySet, "REFRESH_AFTER_SUCCESS", 0.0)
    jwks = tmp_path / "jwks.json"
    jwks.write_text(signer.jwks_path.read_text())
    app = create_app(app_config(database_url, jwks))
    member = world.staff["manager"]
    claims = {"sub": member.id, "role": "manager", "unit_id": member.unit_id}
    client = app.test_client()

    new_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    new_jwk = json.loads(RSAAlgorithm.to_jwk(new_key.public_key()))
    new_jwk.update({"kid": "test-key-2", "use": "sig", "alg": "RS256"})
    document = json.loads(jwks.read_text())
    document["keys"].append(new_jwk)
    jwks.write_text(json.dumps(document))

    new_token = signer.token(key=new_key, headers={"kid": "test-key-2"}, **claims)
    old_token = signer.token(**claims)
    for token in (new_token, old_token):
        response = client.get("/customers", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200


def test_ready_is_503_when_the_database_is_away(signer):
    config = app_config("postgresql+psycopg2://nobody@127.0.0.1:1/none", signer.jwks_path)
    app = create_app(config)
    client = app.test_client()
    assert client.get("/health/live").status_code == 200
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json["message"] == "database unreachable"
