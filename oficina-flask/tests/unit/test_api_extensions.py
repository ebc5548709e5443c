"""The flask-smorest base classes: same behaviour as the library's, built once."""

import flask_smorest
import marshmallow as ma
import pytest
from flask import Flask
from werkzeug.exceptions import UnprocessableEntity

from oficina.extensions.api import Blueprint, SchemaReusingParser


@pytest.mark.parametrize("item_count", [0, 1, 19, 20, 21, 95])
@pytest.mark.parametrize("page", [1, 2, 5, 6])
@pytest.mark.parametrize("page_size", [1, 20])
def test_pagination_metadata_is_flask_smorests(page, page_size, item_count):
    ours = Blueprint._make_pagination_metadata(page, page_size, item_count)
    assert ours == flask_smorest.Blueprint._make_pagination_metadata(page, page_size, item_count)


def test_parser_builds_each_schema_class_once_and_still_validates():
    built = []

    class Query(ma.Schema):
        size = ma.fields.Int(validate=ma.validate.Range(min=1))

        def __init__(self, *args, **kwargs):
            built.append(self)
            super().__init__(*args, **kwargs)

    parser = SchemaReusingParser()
    app = Flask(__name__)
    with app.test_request_context("/?size=3"):
        assert parser.parse(Query, location="query") == {"size": 3}
        assert parser.parse(Query, location="query") == {"size": 3}
    assert len(built) == 1
    with app.test_request_context("/?size=0"), pytest.raises(UnprocessableEntity) as refused:
        parser.parse(Query, location="query")
    assert refused.value.data["messages"] == {
        "query": {"size": ["Must be greater than or equal to 1."]}
    }
    assert len(built) == 1
