"""Hello-world Lambda handler on the same framework (powertools' APIGatewayHttpResolver)."""

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

app = APIGatewayHttpResolver()


@app.get("/.well-known/jwks.json")
@app.post("/auth/token")
def hello():
    return {"hello": "world"}


def lambda_handler(event, context):
    return app.resolve(event, context)
