"""The baseline: a hello-world Flask app served by the very same gunicorn configuration."""

from flask import Flask


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/hello")
    def hello():
        return {"status": "ok"}

    return app
