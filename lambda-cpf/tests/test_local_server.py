"""The local adapter: real HTTP -> payload-2.0 event -> the same handler -> real HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer

import pytest
from tests.conftest import CUSTOMER_CPF, ISSUER, ROOT

from auth_cpf.local_server import build_event, make_handler_class


def _request(url, data=None, headers=None):
    req = urllib.request.Request(
        url, data=data, headers=headers or {}, method="POST" if data is not None else "GET"
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), json.loads(err.read())


def test_build_event_is_payload_v2():
    event = build_event(
        "post",
        "/auth/token?a=1&a=2&b=",
        [
            ("Host", "127.0.0.1:8000"),
            ("X-Request-ID", "r1"),
            ("Cookie", "c=1; d=2"),
            ("Accept", "a"),
            ("Accept", "b"),
        ],
        b'{"cpf":"1"}',
    )
    assert event["version"] == "2.0" and event["routeKey"] == "$default"
    assert event["rawPath"] == "/auth/token" and event["rawQueryString"] == "a=1&a=2&b="
    assert event["queryStringParameters"] == {"a": "1,2", "b": ""}
    assert event["headers"]["x-request-id"] == "r1" and event["headers"]["accept"] == "a,b"
    assert event["cookies"] == ["c=1", "d=2"]
    assert event["requestContext"]["http"]["method"] == "POST"
    assert event["body"] == '{"cpf":"1"}' and event["isBase64Encoded"] is False
    binary = build_event("POST", "/x", [], b"\xff\xfe")
    assert binary["isBase64Encoded"] is True and binary["body"] == "//4="
    assert "body" not in build_event("GET", "/x", [], b"")


@pytest.fixture
def server(app, context):
    httpd = ThreadingHTTPServer(
        ("127.0.0.1", 0), make_handler_class(lambda e, c: app.resolve(e, c))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_token_over_real_http(server, seed, capsys):
    status, headers, body = _request(
        server + "/auth/token",
        json.dumps({"cpf": CUSTOMER_CPF}).encode(),
        {"Content-Type": "application/json", "X-Request-ID": "h-1"},
    )
    assert status == 200 and body["token_type"] == "Bearer"
    assert headers["X-Request-ID"] == "h-1"
    status, _, body = _request(server + "/auth/token", b"{}")
    assert status == 400
    status, _, body = _request(server + "/.well-known/jwks.json")
    assert status == 200 and len(body["keys"]) == 2
    status, _, _ = _request(server + "/nowhere")
    assert status == 404
    # Attempts handled on the server's threads are logged like in Lambda.
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    attempts = [e for e in lines if e.get("event") == "auth.attempt"]
    assert [e["status"] for e in attempts] == [200, 400]
    assert all(e["service"] == "auth-cpf" for e in attempts)
    assert attempts[0]["request_id"] == "h-1"


def test_module_entry_point_prints_its_port_and_serves(database, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": database.auth_dsn,
        "AUTH_ISSUER": ISSUER,
        "PYTHONPATH": str(ROOT / "src"),
    }
    env.pop("AUTH_SIGNING_KEY_FILE", None)
    env.pop("AUTH_SIGNING_KEY_SECRET_ID", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "auth_cpf.local_server", "--port", "0"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert "listening on http://127.0.0.1:" in line
        url = line.strip().rsplit(" ", 1)[1]
        status, _, body = _request(url + "/.well-known/openid-configuration")
        assert status == 200 and body["issuer"] == ISSUER
        assert (tmp_path / ".dev" / "signing-key.pem").exists()  # dev key made at run time
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_module_entry_point_reports_bad_config(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUTH_", "DATABASE_"))}
    env["PYTHONPATH"] = str(ROOT / "src")
    done = subprocess.run(
        [sys.executable, "-m", "auth_cpf.local_server", "--port", "0"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 2
    assert "DATABASE_URL is required" in done.stderr
