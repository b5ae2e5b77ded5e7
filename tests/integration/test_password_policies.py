"""sys/policies/password against the real binary. hvac 0.11.2 has no
password-policy methods, so the generic read/write/list/delete are used."""
import base64
import string

import hvac
import pytest
import requests

from conftest import client_for

POLICY = """
length = 24
rule "charset" {
  charset   = "abcdefghijklmnopqrstuvwxyz"
  min-chars = 2
}
rule "charset" {
  charset   = "0123456789"
  min-chars = 4
}
rule "charset" {
  charset   = "!@#"
  min-chars = 1
}
"""
UNION = set(string.ascii_lowercase + string.digits + "!@#")


def test_crud(unsealed):
    _, client, _ = unsealed
    assert client.list("sys/policies/password") is None  # nothing yet: 404
    resp = client.write("sys/policies/password/mine", policy=POLICY)
    assert resp.status_code == 204
    client.write("sys/policies/password/other", policy=POLICY)

    assert client.read("sys/policies/password/mine")["data"] == {"policy": POLICY}
    assert sorted(client.list("sys/policies/password")["data"]["keys"]) == ["mine", "other"]

    resp = client.adapter.delete("/v1/sys/policies/password/mine")
    assert resp.status_code == 204
    assert client.read("sys/policies/password/mine") is None
    assert client.list("sys/policies/password")["data"]["keys"] == ["other"]


def test_put_method_and_base64_policy(unsealed):
    _, client, _ = unsealed
    encoded = base64.b64encode(POLICY.encode()).decode()
    resp = client.adapter.put("/v1/sys/policies/password/b64", json={"policy": encoded})
    assert resp.status_code == 204
    # Stored decoded, as Vault does.
    assert client.read("sys/policies/password/b64")["data"]["policy"] == POLICY


def test_generate_honours_the_policy(unsealed):
    _, client, _ = unsealed
    client.write("sys/policies/password/mine", policy=POLICY)
    seen = set()
    for _ in range(50):
        pw = client.read("sys/policies/password/mine/generate")["data"]["password"]
        assert len(pw) == 24
        assert set(pw) <= UNION
        assert sum(c in string.ascii_lowercase for c in pw) >= 2
        assert sum(c in string.digits for c in pw) >= 4
        assert sum(c in "!@#" for c in pw) >= 1
        seen.add(pw)
    assert len(seen) == 50


def test_json_policy(unsealed):
    _, client, _ = unsealed
    doc = '{"length": 8, "rule": {"charset": {"charset": "xyz", "min-chars": 1}}}'
    client.write("sys/policies/password/j", policy=doc)
    pw = client.read("sys/policies/password/j/generate")["data"]["password"]
    assert len(pw) == 8 and set(pw) <= set("xyz")


@pytest.mark.parametrize("bad, message", [
    ('length = 3\nrule "charset" { charset = "abc" }', "between 4 and 100"),
    ('length = 20\nrule "charsets" { charset = "abc" }', "unrecognized rule type"),
    ('length = 20\nrule "charset" { charset = "" }', "charset"),
    ('length = 4\nrule "charset" {\ncharset = "ab"\nmin-chars = 5\n}', "at least 5"),
    ('length = 20', "rule"),
    ('length = 20\nrule "charset" {', "invalid password policy"),
    ("", "missing policy"),
])
def test_bad_policy_is_400_and_nothing_stored(unsealed, bad, message):
    _, client, _ = unsealed
    with pytest.raises(hvac.exceptions.InvalidRequest) as e:
        client.write("sys/policies/password/bad", policy=bad)
    assert any(message in err for err in e.value.errors), e.value.errors
    assert client.read("sys/policies/password/bad") is None
    assert client.list("sys/policies/password") is None


def test_generate_for_a_missing_policy_is_404(unsealed):
    server, client, _ = unsealed
    r = requests.get(server.url + "/v1/sys/policies/password/nope/generate",
                     headers={"X-Vault-Token": client.token})
    assert r.status_code == 404
    assert r.json()["errors"] == ["policy does not exist"]


def test_bad_name_is_400(unsealed):
    _, client, _ = unsealed
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.write("sys/policies/password/a b", policy=POLICY)


def test_tokens_need_a_policy_granting_the_paths(unsealed):
    server, client, _ = unsealed
    client.write("sys/policies/password/mine", policy=POLICY)
    plain = client_for(server, token=client.auth.token.create(policies=["default"])["auth"]
                       ["client_token"])
    with pytest.raises(hvac.exceptions.Forbidden):
        plain.read("sys/policies/password/mine/generate")
    with pytest.raises(hvac.exceptions.Forbidden):
        plain.read("sys/policies/password/mine")
    with pytest.raises(hvac.exceptions.Forbidden):
        plain.write("sys/policies/password/mine", policy=POLICY)

    client.sys.create_or_update_policy(
        "gen", 'path "sys/policies/password/mine/generate" { capabilities = ["read"] }')
    gen = client_for(server, token=client.auth.token.create(policies=["gen"])["auth"]
                     ["client_token"])
    assert len(gen.read("sys/policies/password/mine/generate")["data"]["password"]) == 24
    with pytest.raises(hvac.exceptions.Forbidden):
        gen.read("sys/policies/password/mine")
    with pytest.raises(hvac.exceptions.Forbidden):
        gen.adapter.delete("/v1/sys/policies/password/mine")
