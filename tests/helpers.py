"""Assertions shared by the API tests."""
import re

CJK = re.compile(r"[\u4e00-\u9fff]")


def assert_error(response, status, code):
    """API.md's one error shape, with a Chinese message."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert CJK.search(body["error"]["message"]), body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    return body["error"]


def bearer(token):
    return {"Authorization": f"Bearer {token}"}
