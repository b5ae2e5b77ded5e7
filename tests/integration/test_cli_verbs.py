"""The coffer CLI's vault verbs against a real server: login, token, policy,
secrets, kv (v1 and v2), read/write/list/delete and unwrap.

Each test starts from an initialized, unsealed server (the `unsealed`
fixture) and drives the binary the way scripts drive `vault`: VAULT_ADDR
and VAULT_TOKEN in the environment, HOME pointing at the test's own
directory so the token helper file ~/.vault-token is the test's. The
assertions are Vault's documented behaviour: output tables, -field values
(printed without a trailing newline when stdout is not a terminal),
-format=json bodies, and exit codes (0 ok, 1 API error, 2 usage error or
no value found).
"""
import json
import os
import stat
import subprocess

import requests

from harness import COFFER_BIN


def run(server, *args, token=None, stdin=None, extra_env=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("VAULT_")}
    env["VAULT_ADDR"] = server.url
    env["HOME"] = server.workdir
    if token:
        env["VAULT_TOKEN"] = token
    env.update(extra_env or {})
    return subprocess.run([COFFER_BIN, *args], capture_output=True, text=True, env=env,
                          input=stdin, timeout=60)


def ok(server, *args, **kwargs):
    r = run(server, *args, **kwargs)
    assert r.returncode == 0, f"{args}: rc={r.returncode}\nstdout={r.stdout}\nstderr={r.stderr}"
    return r


GROUPS = {"token", "policy", "secrets", "kv", "audit"}


def ok_json(server, *args, **kwargs):
    """ok() with -format=json, which must come before the positional
    arguments, right after the command words ("kv metadata get")."""
    words = 1
    if args[0] in GROUPS:
        words = 3 if args[:2] == ("kv", "metadata") else 2
    args = (*args[:words], "-format=json", *args[words:])
    return json.loads(ok(server, *args, **kwargs).stdout)


def table(text):
    """Parses a Key/Value table into a dict (columns split on 4+ spaces)."""
    rows = {}
    for line in text.splitlines():
        parts = [p for p in line.split("    ") if p.strip()]
        if len(parts) >= 2 and parts[0] not in ("Key", "---"):
            rows[parts[0].strip()] = parts[-1].strip()
    return rows


# ---------------------------------------------------------------- login


def test_login_stores_the_token_in_the_helper_file(unsealed):
    server, _, init = unsealed
    root = init["root_token"]
    helper = os.path.join(server.workdir, ".vault-token")

    r = ok(server, "login", root)
    assert "Success! You are now authenticated" in r.stdout
    rows = table(r.stdout)
    assert rows["token"] == root
    assert rows["token_policies"] == '["root"]'
    assert rows["token_duration"] == "\u221e"
    with open(helper) as f:
        assert f.read().strip() == root
    assert stat.S_IMODE(os.stat(helper).st_mode) == 0o600

    # Later commands use the stored token without VAULT_TOKEN.
    lookup = ok_json(server, "token", "lookup")
    assert lookup["data"]["id"] == root

    # -no-store leaves the helper file alone; "-" reads the token from stdin.
    child = ok(server, "token", "create", "-field=token", "-policy=default").stdout
    r = ok(server, "login", "-no-store", "-", stdin=child + "\n")
    assert table(r.stdout)["token"] == child
    with open(helper) as f:
        assert f.read().strip() == root
    # Without an argument the token is read as a line from stdin.
    ok(server, "login", stdin=child + "\n")
    with open(helper) as f:
        assert f.read().strip() == child

    # -field prints only the value, with no newline on a pipe.
    assert ok(server, "login", "-no-store", "-field=token", root).stdout == root


def test_login_with_a_bad_token_fails_and_stores_nothing(unsealed):
    server, _, _ = unsealed
    r = run(server, "login", "not-a-real-token")
    assert r.returncode == 1
    assert "permission denied" in r.stderr
    assert not os.path.exists(os.path.join(server.workdir, ".vault-token"))


# ---------------------------------------------------------------- token


def test_token_create_lookup_renew_and_revoke(unsealed):
    server, client, init = unsealed
    root = init["root_token"]
    client.sys.create_or_update_policy("dev", 'path "secret/*" { capabilities = ["read"] }')

    created = ok_json(server, "token", "create", "-policy=dev", "-policy=default", "-ttl=1h",
                      "-metadata=team=ops", "-metadata", "env=test", "-display-name=ci",
                      token=root)
    auth = created["auth"]
    token = auth["client_token"]
    assert sorted(auth["policies"]) == ["default", "dev"]
    assert auth["renewable"] is True
    assert 0 < auth["lease_duration"] <= 3600
    assert auth["metadata"] == {"team": "ops", "env": "test"}

    # The table prints auth as vault does.
    r = ok(server, "token", "create", "-policy=dev", "-ttl=30m", token=root)
    rows = table(r.stdout)
    assert rows["token_duration"] == "30m"
    assert rows["token_renewable"] == "true"
    assert rows["token_policies"] == '["default" "dev"]'
    assert rows["identity_policies"] == "[]"

    # -field=token is auth.client_token, raw.
    raw = ok(server, "token", "create", "-field=token", token=root).stdout
    assert raw and "\n" not in raw

    looked = ok_json(server, "token", "lookup", token, token=root)["data"]
    assert looked["id"] == token
    assert sorted(looked["policies"]) == ["default", "dev"]
    assert looked["meta"] == {"team": "ops", "env": "test"}
    assert looked["display_name"] == "token-ci"
    assert 0 < looked["ttl"] <= 3600
    rows = table(ok(server, "token", "lookup", token, token=root).stdout)
    assert rows["id"] == token
    assert rows["policies"] == "[default dev]"
    assert ok(server, "token", "lookup", "-field=display_name", token, token=root).stdout \
        == "token-ci"
    by_accessor = ok_json(server, "token", "lookup", "-accessor", auth["accessor"], token=root)
    assert by_accessor["data"]["accessor"] == auth["accessor"]
    # Without an argument: the current token.
    assert ok_json(server, "token", "lookup", token=token)["data"]["id"] == token

    renewed = ok_json(server, "token", "renew", "-increment=2h", token, token=root)
    assert renewed["auth"]["client_token"] == token
    assert renewed["auth"]["lease_duration"] > 0
    assert ok_json(server, "token", "renew", token=token)["auth"]["client_token"] == token

    assert ok(server, "token", "capabilities", token, "secret/foo", token=root).stdout \
        == "read\n"
    assert ok(server, "token", "capabilities", "secret/foo", token=token).stdout == "read\n"
    assert ok(server, "token", "capabilities", "sys/mounts", token=root).stdout == "root\n"
    caps = ok_json(server, "token", "capabilities", "secret/foo", token=token)
    assert caps == ["read"]

    r = ok(server, "token", "revoke", token, token=root)
    assert r.stdout == "Success! Revoked token (if it existed)\n"
    r = run(server, "token", "lookup", token, token=root)
    assert r.returncode == 1
    r = run(server, "token", "lookup", token=token)
    assert r.returncode == 1 and "permission denied" in r.stderr


def test_token_create_flags_reach_the_token(unsealed):
    server, _, init = unsealed
    root = init["root_token"]
    token = ok(server, "token", "create", "-field=token", "-no-default-policy",
               "-policy=dev", "-use-limit=3", "-renewable=false", "-period=30m",
               "-explicit-max-ttl=2h", token=root).stdout
    data = ok_json(server, "token", "lookup", token, token=root)["data"]
    assert data["policies"] == ["dev"]
    assert data["num_uses"] == 3
    assert data["renewable"] is False
    assert data["period"] == 1800
    assert data["explicit_max_ttl"] == 7200

    orphan = ok(server, "token", "create", "-field=token", "-orphan", token=root).stdout
    assert ok_json(server, "token", "lookup", orphan, token=root)["data"]["orphan"] is True


def test_token_revoke_modes(unsealed):
    server, _, init = unsealed
    root = init["root_token"]

    def create(parent, *flags):
        return ok(server, "token", "create", "-field=token", *flags, token=parent).stdout

    def alive(t):
        return run(server, "token", "lookup", t, token=root).returncode == 0

    # Default: the token and its children.
    parent = create(root)
    child = create(parent)
    ok(server, "token", "revoke", parent, token=root)
    assert not alive(parent) and not alive(child)

    # -mode=orphan: the children survive.
    parent = create(root)
    child = create(parent)
    ok(server, "token", "revoke", "-mode=orphan", parent, token=root)
    assert not alive(parent) and alive(child)

    # -accessor.
    t = ok_json(server, "token", "create", token=root)["auth"]
    ok(server, "token", "revoke", "-accessor", t["accessor"], token=root)
    assert not alive(t["client_token"])

    # -self.
    t = create(root)
    r = ok(server, "token", "revoke", "-self", token=t)
    assert "Success! Revoked token" in r.stdout
    assert not alive(t)

    # Usage errors.
    assert run(server, "token", "revoke", token=root).returncode == 2
    assert run(server, "token", "revoke", "-self", "x", token=root).returncode == 2
    assert run(server, "token", "revoke", "-mode=bogus", "x", token=root).returncode == 2
    assert run(server, "token", "revoke", "-accessor", "-mode=path", "x",
               token=root).returncode == 2


# ---------------------------------------------------------------- policy

POLICY = 'path "secret/data/app/*" {\n  capabilities = ["read", "list"]\n}\n'


def test_policy_write_read_list_delete(unsealed):
    server, client, init = unsealed
    root = init["root_token"]
    path = os.path.join(server.workdir, "app.hcl")
    with open(path, "w") as f:
        f.write(POLICY)

    r = ok(server, "policy", "write", "App-Read", path, token=root)
    assert r.stdout == "Success! Uploaded policy: app-read\n"
    stored = requests.get(server.url + "/v1/sys/policies/acl/app-read",
                          headers={"X-Vault-Token": root}).json()
    assert stored["data"]["policy"] == POLICY

    assert ok(server, "policy", "read", "app-read", token=root).stdout == POLICY
    assert ok_json(server, "policy", "read", "app-read", token=root) == {"policy": POLICY}

    r = ok(server, "policy", "write", "from-stdin", "-", token=root, stdin=POLICY)
    assert "Uploaded policy: from-stdin" in r.stdout

    names = ok(server, "policy", "list", token=root).stdout.split()
    assert {"app-read", "from-stdin", "default", "root"} <= set(names)
    assert "app-read" in ok_json(server, "policy", "list", token=root)

    r = ok(server, "policy", "delete", "app-read", token=root)
    assert r.stdout == "Success! Deleted policy: app-read\n"
    r = run(server, "policy", "read", "app-read", token=root)
    assert r.returncode == 2 and "No policy named: app-read" in r.stderr

    # A policy that does not parse is refused by the server.
    r = run(server, "policy", "write", "bad", "-", token=root, stdin='path "x" { nope = 1 }')
    assert r.returncode == 1
    r = run(server, "policy", "write", "x", "/nonexistent/policy.hcl", token=root)
    assert r.returncode == 1


def test_policy_fmt_rewrites_the_file(unsealed):
    server, _, _ = unsealed
    path = os.path.join(server.workdir, "messy.hcl")
    with open(path, "w") as f:
        f.write('# keep me\npath "secret/*" {capabilities=["read","list"]\n'
                '  max_wrapping_ttl="1h"}\npath "sys/*" {\ncapabilities = ["deny"]\n}\n')
    r = ok(server, "policy", "fmt", path)
    assert r.stdout == f"Success! Formatted policy: {path}\n"
    with open(path) as f:
        assert f.read() == ('# keep me\n'
                            'path "secret/*" {\n'
                            '  capabilities     = ["read", "list"]\n'
                            '  max_wrapping_ttl = "1h"\n'
                            '}\n'
                            '\n'
                            'path "sys/*" {\n'
                            '  capabilities = ["deny"]\n'
                            '}\n')

    bad = os.path.join(server.workdir, "bad.hcl")
    with open(bad, "w") as f:
        f.write('path "x" { capabilities = ["fly"] }\n')
    r = run(server, "policy", "fmt", bad)
    assert r.returncode == 1
    with open(bad) as f:
        assert f.read() == 'path "x" { capabilities = ["fly"] }\n'


# ---------------------------------------------------------------- secrets


def test_secrets_enable_list_tune_move_disable(unsealed):
    server, client, init = unsealed
    root = init["root_token"]

    r = ok(server, "secrets", "enable", "-path=team", "-description=Team secrets",
           "-version=2", "kv", token=root)
    assert r.stdout == "Success! Enabled the kv secrets engine at: team/\n"
    r = run(server, "secrets", "enable", "-path=team", "kv", token=root)
    assert r.returncode == 1 and "team/" in r.stderr

    r = ok(server, "secrets", "list", token=root)
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["Path", "Type", "Accessor", "Description"]
    team = next(line for line in lines if line.startswith("team/"))
    assert team.split()[1] == "kv" and team.endswith("Team secrets")
    mounts = ok_json(server, "secrets", "list", token=root)
    assert mounts["team/"]["type"] == "kv"
    assert mounts["team/"]["options"]["version"] == "2"
    assert "sys/" in mounts and "cubbyhole/" in mounts
    detailed = ok(server, "secrets", "list", "-detailed", token=root).stdout
    assert "Default TTL" in detailed.splitlines()[0]
    assert "map[version:2]" in detailed

    r = ok(server, "secrets", "tune", "-default-lease-ttl=1h", "-max-lease-ttl=24h",
           "-description=Tuned", "team", token=root)
    assert r.stdout == "Success! Tuned the secrets engine at: team/\n"
    tune = client.sys.read_mount_configuration("team")
    tune = tune.get("data", tune)
    assert tune["default_lease_ttl"] == 3600
    assert tune["max_lease_ttl"] == 86400
    assert ok_json(server, "secrets", "list", token=root)["team/"]["description"] == "Tuned"

    ok(server, "kv", "put", "team/app", "k=v", token=root)
    r = ok(server, "secrets", "move", "team", "squad", token=root)
    assert "squad/" in r.stdout.splitlines()[-1] and "Success!" in r.stdout
    mounts = ok_json(server, "secrets", "list", token=root)
    assert "team/" not in mounts and "squad/" in mounts
    assert ok(server, "kv", "get", "-field=k", "squad/app", token=root).stdout == "v"

    r = ok(server, "secrets", "disable", "squad", token=root)
    assert r.stdout == "Success! Disabled the secrets engine (if it existed) at: squad/\n"
    assert "squad/" not in ok_json(server, "secrets", "list", token=root)

    assert run(server, "secrets", "enable", token=root).returncode == 2
    assert run(server, "secrets", "list", token="bogus").returncode == 1


# ---------------------------------------------------------------- kv v2


def test_kv_v2_put_get_patch_and_versions(unsealed):
    server, _, init = unsealed
    root = init["root_token"]
    ok(server, "secrets", "enable", "-path=secret", "-version=2", "kv", token=root)
    pw = os.path.join(server.workdir, "pw.txt")
    with open(pw, "w") as f:
        f.write("from-a-file")

    r = ok(server, "kv", "put", "secret/app", "user=alice", f"pass=@{pw}", token=root)
    # vault centres the title over the path's width.
    assert r.stdout.startswith("= Secret Path =\nsecret/data/app\n\n")
    assert "Metadata" in r.stdout
    assert table(r.stdout)["version"] == "1"

    r = ok(server, "kv", "get", "secret/app", token=root)
    assert "secret/data/app" in r.stdout
    assert "======= Metadata =======" in r.stdout
    assert "==== Data ====" in r.stdout
    rows = table(r.stdout)
    assert rows["user"] == "alice" and rows["pass"] == "from-a-file"
    assert rows["version"] == "1" and rows["destroyed"] == "false"
    assert rows["deletion_time"] == "n/a"
    assert rows["custom_metadata"] == "<nil>"

    assert ok(server, "kv", "get", "-field=user", "secret/app", token=root).stdout == "alice"
    full = ok_json(server, "kv", "get", "secret/app", token=root)
    assert full["data"]["data"] == {"user": "alice", "pass": "from-a-file"}
    assert full["data"]["metadata"]["version"] == 1

    # -mount syntax, and check-and-set.
    ok(server, "kv", "put", "-mount=secret", "-cas=1", "app", "user=bob", "pass=x", token=root)
    r = run(server, "kv", "put", "-mount=secret", "-cas=1", "app", "user=carol", token=root)
    assert r.returncode == 1 and "check-and-set" in r.stderr
    assert ok(server, "kv", "get", "-mount=secret", "-field=user", "app",
              token=root).stdout == "bob"

    # patch keeps the other keys.
    r = ok(server, "kv", "patch", "secret/app", "pass=patched", token=root)
    assert table(r.stdout)["version"] == "3"
    data = ok_json(server, "kv", "get", "secret/app", token=root)["data"]["data"]
    assert data == {"user": "bob", "pass": "patched"}
    ok(server, "kv", "patch", "-method=rw", "secret/app", "extra=1", token=root)
    assert ok_json(server, "kv", "get", "secret/app", token=root)["data"]["data"]["extra"] == "1"

    # Older versions.
    assert ok(server, "kv", "get", "-version=1", "-field=user", "secret/app",
              token=root).stdout == "alice"

    # Soft delete, undelete, destroy.
    r = ok(server, "kv", "delete", "secret/app", token=root)
    assert r.stdout == "Success! Data deleted (if it existed) at: secret/data/app\n"
    deleted = ok(server, "kv", "get", "secret/app", token=root)
    assert table(deleted.stdout)["deletion_time"] != "n/a"
    assert "== Data ==" not in deleted.stdout
    r = ok(server, "kv", "undelete", "-versions=4", "secret/app", token=root)
    assert r.stdout == "Success! Data written to: secret/undelete/app\n"
    assert ok(server, "kv", "get", "-field=extra", "secret/app", token=root).stdout == "1"
    ok(server, "kv", "delete", "-versions=2", "secret/app", token=root)
    r = ok(server, "kv", "destroy", "-versions=1,2", "secret/app", token=root)
    assert r.stdout == "Success! Data written to: secret/destroy/app\n"
    versions = ok_json(server, "kv", "metadata", "get", "secret/app",
                       token=root)["data"]["versions"]
    assert versions["1"]["destroyed"] is True and versions["2"]["destroyed"] is True
    assert versions["3"]["destroyed"] is False
    r = run(server, "kv", "get", "-version=1", "secret/app", token=root)
    assert "Data ==" not in r.stdout

    assert run(server, "kv", "undelete", "secret/app", token=root).returncode == 2
    assert run(server, "kv", "get", token=root).returncode == 2


def test_kv_v2_list_and_metadata(unsealed):
    server, _, init = unsealed
    root = init["root_token"]
    ok(server, "secrets", "enable", "-path=secret", "-version=2", "kv", token=root)
    for path in ("secret/app/db", "secret/app/api", "secret/top"):
        ok(server, "kv", "put", path, "k=v", token=root)

    r = ok(server, "kv", "list", "secret/", token=root)
    assert r.stdout == "Keys\n----\napp/\ntop\n"
    assert ok_json(server, "kv", "list", "secret/app", token=root) == ["api", "db"]
    assert ok(server, "kv", "list", "-mount=secret", "app", token=root).stdout \
        == "Keys\n----\napi\ndb\n"
    r = run(server, "kv", "list", "secret/nothing", token=root)
    assert r.returncode == 2 and "No value found at secret/metadata/nothing" in r.stderr

    r = ok(server, "kv", "metadata", "put", "-max-versions=5", "-cas-required",
           "-delete-version-after=1h", "-custom-metadata=owner=ops",
           "-custom-metadata=tier=1", "secret/top", token=root)
    assert r.stdout == "Success! Data written to: secret/metadata/top\n"
    meta = ok_json(server, "kv", "metadata", "get", "secret/top", token=root)["data"]
    assert meta["max_versions"] == 5
    assert meta["cas_required"] is True
    assert meta["delete_version_after"] == "1h0m0s"
    assert meta["custom_metadata"] == {"owner": "ops", "tier": "1"}
    r = ok(server, "kv", "metadata", "get", "secret/top", token=root)
    assert "secret/metadata/top" in r.stdout
    assert "Version 1" in r.stdout
    assert table(r.stdout)["max_versions"] == "5"

    r = ok(server, "kv", "metadata", "delete", "secret/top", token=root)
    assert r.stdout == "Success! Data deleted (if it existed) at: secret/metadata/top\n"
    r = run(server, "kv", "get", "secret/top", token=root)
    assert r.returncode == 2 and "No value found at secret/data/top" in r.stderr


# ---------------------------------------------------------------- kv v1


def test_kv_v1_verbs(unsealed):
    server, _, init = unsealed
    root = init["root_token"]
    ok(server, "secrets", "enable", "-path=kv1", "kv", token=root)

    r = ok(server, "kv", "put", "kv1/foo", "a=b", "c=d", token=root)
    assert r.stdout == "Success! Data written to: kv1/foo\n"
    r = ok(server, "kv", "get", "kv1/foo", token=root)
    assert "Secret Path" not in r.stdout
    assert r.stdout.startswith("== Data ==\n")
    assert table(r.stdout) == {"a": "b", "c": "d"}
    assert ok(server, "kv", "get", "-field=c", "kv1/foo", token=root).stdout == "d"
    assert ok_json(server, "kv", "get", "kv1/foo", token=root)["data"] == {"a": "b", "c": "d"}
    ok(server, "kv", "put", "-mount=kv1", "bar", "x=y", token=root)
    assert ok_json(server, "kv", "list", "kv1", token=root) == ["bar", "foo"]

    r = ok(server, "kv", "delete", "kv1/foo", token=root)
    assert r.stdout == "Success! Data deleted (if it existed) at: kv1/foo\n"
    r = run(server, "kv", "get", "kv1/foo", token=root)
    assert r.returncode == 2 and "No value found at kv1/foo" in r.stderr

    r = run(server, "kv", "metadata", "get", "kv1/bar", token=root)
    assert r.returncode == 2 and "not supported on KV Version 1" in r.stderr
    r = run(server, "kv", "patch", "kv1/bar", "x=z", token=root)
    assert r.returncode == 2 and "version 2" in r.stderr


# ---------------------------------------------------------------- generic


def test_read_write_list_delete(unsealed):
    server, _, init = unsealed
    root = init["root_token"]
    ok(server, "secrets", "enable", "-path=generic", "kv", token=root)
    cert = os.path.join(server.workdir, "cert.pem")
    with open(cert, "w") as f:
        f.write("-----BEGIN X-----\nabc\n-----END X-----\n")

    r = ok(server, "write", "generic/app", "user=alice", f"cert=@{cert}", "pin=-",
           token=root, stdin="1234\n")
    assert r.stdout == "Success! Data written to: generic/app\n"
    data = ok_json(server, "read", "generic/app", token=root)["data"]
    assert data == {"user": "alice", "cert": "-----BEGIN X-----\nabc\n-----END X-----\n",
                    "pin": "1234\n"}
    assert ok(server, "read", "-field=user", "generic/app", token=root).stdout == "alice"
    rows = table(ok(server, "read", "generic/app", token=root).stdout)
    assert rows["user"] == "alice"
    r = run(server, "read", "-field=nope", "generic/app", token=root)
    assert r.returncode == 1 and 'Field "nope" not present in secret' in r.stderr

    # A lone "-" merges a JSON object from stdin; repeated keys make lists.
    ok(server, "write", "generic/json", "-", token=root,
       stdin='{"n": 3, "nested": {"x": true}}')
    assert ok_json(server, "read", "generic/json", token=root)["data"] == {
        "n": 3, "nested": {"x": True}}
    ok(server, "write", "generic/multi", "tag=a", "tag=b", token=root)
    assert ok_json(server, "read", "generic/multi", token=root)["data"]["tag"] == ["a", "b"]

    r = ok(server, "list", "generic", token=root)
    assert r.stdout == "Keys\n----\napp\njson\nmulti\n"
    assert ok_json(server, "list", "generic/", token=root) == ["app", "json", "multi"]

    r = ok(server, "delete", "generic/app", token=root)
    assert r.stdout == "Success! Data deleted (if it existed) at: generic/app\n"
    r = run(server, "read", "generic/app", token=root)
    assert r.returncode == 2 and r.stderr == "No value found at generic/app\n"
    r = run(server, "list", "generic/none", token=root)
    assert r.returncode == 2 and "No value found at generic/none" in r.stderr

    r = run(server, "write", "generic/x", token=root)
    assert r.returncode == 2 and "Must supply data or use -force" in r.stderr
    r = run(server, "write", "generic/x", "novalue", token=root)
    assert r.returncode == 2 and "Failed to parse K=V data" in r.stderr
    r = run(server, "read", "generic/app", token="bogus")
    assert r.returncode == 1 and "Code: 403" in r.stderr


def test_wrap_ttl_and_unwrap(unsealed):
    server, _, init = unsealed
    root = init["root_token"]
    ok(server, "secrets", "enable", "-path=generic", "kv", token=root)
    ok(server, "write", "generic/wrapped", "secret=42", token=root)

    wrapped = ok_json(server, "read", "-wrap-ttl=5m", "generic/wrapped", token=root)
    info = wrapped["wrap_info"]
    assert info["ttl"] == 300 and info["creation_path"] == "generic/wrapped"
    assert wrapped["data"] is None

    r = ok(server, "unwrap", info["token"], token=root)
    assert table(r.stdout)["secret"] == "42"
    r = run(server, "unwrap", info["token"], token=root)
    assert r.returncode == 1  # single use

    # Without TOKEN the current token is the wrapping token.
    tok = ok(server, "read", "-wrap-ttl=1m", "-field=wrapping_token", "generic/wrapped",
             token=root).stdout
    assert ok(server, "unwrap", "-field=secret", token=tok).stdout == "42"

    # A wrapped token create.
    r = ok(server, "token", "create", "-wrap-ttl=2m", "-policy=default", token=root)
    rows = table(r.stdout)
    assert rows["wrapping_token_ttl:"] == "2m"
    created = ok_json(server, "unwrap", rows["wrapping_token:"], token=root)
    assert created["auth"]["client_token"]
    assert "default" in created["auth"]["policies"]

    # A wrapped write.
    tok = ok(server, "write", "-wrap-ttl=1m", "-field=wrapping_token", "auth/token/create",
             "policies=default", token=root).stdout
    assert ok(server, "unwrap", "-field=token", tok, token=root).stdout


def test_usage_errors_exit_2(unsealed):
    server, _, init = unsealed
    root = init["root_token"]
    for args in (["kv"], ["kv", "get"], ["kv", "nope"], ["token", "create", "extra"],
                 ["policy", "write", "onlyname"], ["read"], ["list", "a", "b"],
                 ["secrets", "enable", "-no-such-flag", "kv"], ["token", "create", "-ttl=soon"],
                 ["read", "-format=yaml", "x"]):
        r = run(server, *args, token=root)
        assert r.returncode == 2, (args, r.stdout, r.stderr)


def test_help_prints_usage_and_exits_0(unsealed):
    server, _, _ = unsealed
    for args in (["kv", "get", "-h"], ["token", "create", "-help"], ["read", "--help"],
                 ["kv", "-h"], ["policy", "-h"]):
        r = run(server, *args)
        assert r.returncode == 0, (args, r.stderr)
        assert r.stdout.startswith("Usage: coffer "), (args, r.stdout)


def test_audit_enable_list_verify_disable(unsealed, tmp_path):
    server, client, _ = unsealed
    token = client.token
    log = tmp_path / "cli-audit.log"
    r = ok(server, "audit", "enable", "-path=trail", "-description=for the auditors", "file",
           f"file_path={log}", "format=json", token=token)
    assert "Enabled the file audit device at: trail/" in r.stdout
    listed = ok_json(server, "audit", "list", token=token)
    assert listed["trail/"]["type"] == "file"
    assert listed["trail/"]["options"]["file_path"] == str(log)
    r = ok(server, "audit", "list", "-detailed", token=token)
    assert "trail/" in r.stdout and "for the auditors" in r.stdout and f"file_path={log}" in r.stdout
    ok(server, "write", "cubbyhole/x", "v=1", token=token)
    r = ok(server, "audit", "verify", str(log))
    assert r.stdout.startswith("OK: ")
    r = ok(server, "audit", "verify", "-check-checkpoints", str(log), token=token)
    assert "(HMACs checked)" in r.stdout
    bad = run(server, "audit", "enable", "file", "file_path=/nonexistent/x/a.log", token=token)
    assert bad.returncode == 1
    assert "/nonexistent/x/a.log" in bad.stderr
    assert run(server, "audit", "enable", "file", "notkeyvalue", token=token).returncode == 2
    ok(server, "audit", "disable", "trail", token=token)
    r = ok(server, "audit", "list", token=token)
    assert "No audit devices are enabled." in r.stdout
    assert run(server, "audit", "verify").returncode == 2
    assert run(server, "audit", "verify", str(tmp_path / "missing.log")).returncode == 2
