"""The API base: an OpenAPI 3 document, interactive docs, one JSON error shape."""

from __future__ import annotations

from openapi_spec_validator import validate


def test_openapi_document_is_openapi_3(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Tierlight API"
    assert "/api/v1/jobs" in document["paths"]
    assert "bearerAuth" in document["components"]["securitySchemes"]


def test_openapi_document_is_valid_for_openapi_tools(client):
    """Client generators and API testers refuse an invalid document (a decimal's bounds were
    once written as strings)."""
    validate(client.get("/api/v1/openapi.json").get_json())


def test_decimals_are_documented_as_they_travel(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    answered = schemas["PartView"]["properties"]["mass_kg"]
    assert (answered["type"], answered["format"]) == ("string", "decimal")
    sent = schemas["BomLine"]["properties"]["quantity"]
    assert sent["type"] == "number"
    assert isinstance(sent["maximum"], int)


def test_interactive_docs_are_served_from_vendored_assets(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_unauthenticated_api_call_gets_the_json_error_shape(client):
    response = client.get("/api/v1/jobs")
    assert response.status_code == 401
    assert response.get_json() == {
        "code": "unauthorized",
        "message": "Please sign in first.",
        "errors": {},
    }


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["code"] == "not_found"


def test_unknown_page_is_html_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_wrong_method_keeps_the_allow_header(client):
    response = client.delete("/api/v1/openapi.json")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_an_id_too_large_for_the_database_is_404_not_500(client):
    response = client.get(f"/api/v1/jobs/{2**70}")
    assert response.status_code == 404


def test_a_body_that_is_not_json_keeps_the_error_shape_in_the_users_language(client, session):
    from tests.helpers import bearer
    from tests.web.network.builders import supplier

    _org, admin = supplier(session, 61)
    headers = {**bearer(session, admin.email), "Accept-Language": "zh-CN"}
    response = client.post(
        "/api/v1/invitations", data="not json", content_type="application/json", headers=headers
    )
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "bad_request"
    assert body["errors"] == {"json": ["请求正文不是有效的 JSON。"]}
