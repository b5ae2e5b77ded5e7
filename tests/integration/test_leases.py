"""Leases of dynamic database credentials against real PostgreSQL and MariaDB
servers the harness starts: renew, revoke, expiry (also across a coffer
restart), revocation with the owning token, retries while the database is
down, revoke-prefix / revoke-force, and static-role rotation on schedule."""
import time

import hvac
import pytest

from conftest import client_for

PG_CREATE = ['CREATE ROLE "{{name}}" WITH LOGIN PASSWORD \'{{password}}\';'
             'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";']
MYSQL_CREATE = ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}';"
                "GRANT SELECT ON *.* TO '{{name}}'@'%';"]


def configure_postgres(client, pg, ttl="1h", max_ttl="24h", mount="database"):
    client.sys.enable_secrets_engine("database", path=mount)
    client.secrets.database.configure(
        name="pg", plugin_name="postgresql-database-plugin", allowed_roles=["ro"],
        connection_url=pg.connection_url(), username=pg.admin_user,
        password=pg.admin_password, mount_point=mount)
    client.secrets.database.create_role(
        name="ro", db_name="pg", creation_statements=PG_CREATE, default_ttl=ttl,
        max_ttl=max_ttl, mount_point=mount)


def configure_mariadb(client, db, ttl="1h", max_ttl="24h"):
    client.sys.enable_secrets_engine("database")
    client.secrets.database.configure(
        name="maria", plugin_name="mysql-database-plugin", allowed_roles=["ro"],
        connection_url=db.connection_url(), username=db.admin_user,
        password=db.admin_password)
    client.secrets.database.create_role(
        name="ro", db_name="maria", creation_statements=MYSQL_CREATE, default_ttl=ttl,
        max_ttl=max_ttl)


def creds(client, mount="database"):
    return client.secrets.database.generate_credentials("ro", mount_point=mount)


def wait_until(predicate, timeout, step=0.1):
    """Polls until predicate() is true; returns the seconds it took, or None."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(step)
    return None


def test_postgres_credentials_renew_then_revoke_drops_the_user(unsealed, postgres):
    _, client, _ = unsealed
    configure_postgres(client, postgres, ttl="1h", max_ttl="2h")
    secret = creds(client)
    user, password = secret["data"]["username"], secret["data"]["password"]
    lease_id = secret["lease_id"]
    assert lease_id.startswith("database/creds/ro/")
    assert secret["lease_duration"] == 3600 and secret["renewable"] is True
    assert postgres.can_login(user, password)

    looked = client.sys.read_lease(lease_id)["data"]
    assert looked["id"] == lease_id and looked["renewable"] is True
    assert 3590 <= looked["ttl"] <= 3600
    listed = client.sys.list_leases("database/creds/ro/")["data"]["keys"]
    assert lease_id.rsplit("/", 1)[1] in listed
    assert "ro/" in client.sys.list_leases("database/creds/")["data"]["keys"]

    renewed = client.sys.renew_lease(lease_id, increment=5400)
    assert renewed["lease_id"] == lease_id
    assert 5390 <= renewed["lease_duration"] <= 5400
    # The role's max_ttl (2h from issue) caps a larger increment.
    capped = client.sys.renew_lease(lease_id, increment=86400)
    assert 7190 <= capped["lease_duration"] <= 7200

    client.sys.revoke_lease(lease_id)
    assert not postgres.can_login(user, password)
    assert not postgres.role_exists(user)
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.sys.read_lease(lease_id)


def test_postgres_credential_with_3s_ttl_is_dropped_within_2s_of_expiry(unsealed, postgres):
    _, client, _ = unsealed
    configure_postgres(client, postgres, ttl="3s")
    issued = time.monotonic()
    secret = creds(client)
    user, password = secret["data"]["username"], secret["data"]["password"]
    assert secret["lease_duration"] == 3
    assert postgres.can_login(user, password)
    took = wait_until(lambda: not postgres.role_exists(user), timeout=10)
    assert took is not None, "the expired user was never dropped"
    assert time.monotonic() - issued <= 3 + 2
    assert not postgres.can_login(user, password)


def test_lease_expiring_while_coffer_is_down_is_revoked_on_time_after_restart(unsealed, postgres):
    server, client, init = unsealed
    configure_postgres(client, postgres, ttl="6s")
    issued = time.monotonic()
    secret = creds(client)
    user = secret["data"]["username"]
    assert postgres.role_exists(user)
    server.restart()
    client = client_for(server, token=init["root_token"])
    client.sys.submit_unseal_keys(init["keys"][:3])
    assert postgres.role_exists(user), "dropped before its expiry"
    took = wait_until(lambda: not postgres.role_exists(user), timeout=15)
    assert took is not None, "the lease did not survive the restart"
    assert time.monotonic() - issued <= 6 + 2


def test_revoking_a_token_drops_the_credentials_it_obtained(unsealed, postgres):
    _, client, _ = unsealed
    configure_postgres(client, postgres)
    client.sys.create_or_update_policy(
        "db-ro", 'path "database/creds/ro" { capabilities = ["read"] }\n'
                 'path "auth/token/create" { capabilities = ["update"] }')
    parent = client.auth.token.create(policies=["db-ro"], ttl="1h")["auth"]["client_token"]
    child = client_for(client, token=parent).auth.token.create(
        policies=["db-ro"], ttl="1h")["auth"]["client_token"]
    users = [creds(client_for(client, token=t))["data"]["username"] for t in (parent, parent, child)]
    assert all(postgres.role_exists(u) for u in users)
    other = creds(client)["data"]["username"]  # root's, must survive

    client.auth.token.revoke(parent)
    assert [postgres.role_exists(u) for u in users] == [False, False, False]
    assert postgres.role_exists(other)
    # Only root's lease is left.
    assert len(client.sys.list_leases("database/creds/ro/")["data"]["keys"]) == 1


def test_an_expiring_token_takes_its_credentials_with_it(unsealed, postgres):
    _, client, _ = unsealed
    configure_postgres(client, postgres)
    client.sys.create_or_update_policy("db-ro", 'path "database/creds/ro" { capabilities = ["read"] }')
    token = client.auth.token.create(policies=["db-ro"], ttl="3s")["auth"]["client_token"]
    issued = time.monotonic()
    user = creds(client_for(client, token=token))["data"]["username"]
    assert postgres.role_exists(user)
    took = wait_until(lambda: not postgres.role_exists(user), timeout=10)
    assert took is not None and time.monotonic() - issued <= 3 + 2


def test_revocation_against_a_stopped_database_is_retried_until_it_succeeds(unsealed, postgres):
    _, client, _ = unsealed
    configure_postgres(client, postgres)
    secret = creds(client)
    user, lease_id = secret["data"]["username"], secret["lease_id"]
    postgres.stop()
    with pytest.raises(hvac.exceptions.VaultError) as failed:
        client.sys.revoke_lease(lease_id)
    assert "revoke" in str(failed.value)
    # The lease stays visible while the database cannot drop the user.
    assert client.sys.read_lease(lease_id)["data"]["id"] == lease_id
    time.sleep(1.5)
    assert client.sys.read_lease(lease_id)["data"]["id"] == lease_id
    postgres.start()
    assert postgres.role_exists(user)
    took = wait_until(lambda: not postgres.role_exists(user), timeout=40, step=0.25)
    assert took is not None, "the revocation was not retried"
    assert wait_until(lambda: _lease_gone(client, lease_id), timeout=5)


def _lease_gone(client, lease_id):
    try:
        client.sys.read_lease(lease_id)
        return False
    except hvac.exceptions.InvalidRequest:
        return True


def test_revoke_prefix_and_revoke_force(unsealed, postgres):
    _, client, _ = unsealed
    configure_postgres(client, postgres)
    first, second = creds(client), creds(client)
    client.sys.revoke_prefix("database/creds/ro")
    for s in (first, second):
        assert not postgres.role_exists(s["data"]["username"])
        assert _lease_gone(client, s["lease_id"])

    stuck = creds(client)
    postgres.stop()
    with pytest.raises(hvac.exceptions.VaultError):
        client.sys.revoke_prefix("database/creds/ro")
    assert client.sys.read_lease(stuck["lease_id"])["data"]["id"] == stuck["lease_id"]
    # revoke-force gives up on the database and removes the lease anyway.
    client.sys.revoke_force("database/creds/ro")
    assert _lease_gone(client, stuck["lease_id"])
    postgres.start()
    assert postgres.role_exists(stuck["data"]["username"])  # as documented: force skips the database


def test_lease_endpoints_refuse_bad_input(unsealed, postgres):
    _, client, _ = unsealed
    configure_postgres(client, postgres)
    with pytest.raises(hvac.exceptions.InvalidRequest, match="invalid lease"):
        client.sys.read_lease("database/creds/ro/nope")
    with pytest.raises(hvac.exceptions.InvalidRequest, match="invalid lease"):
        client.sys.renew_lease("database/creds/ro/nope")
    with pytest.raises(hvac.exceptions.InvalidRequest, match="missing lease"):
        client.adapter.put("/v1/sys/leases/renew", json={})
    tidy = client.adapter.put("/v1/sys/leases/tidy")
    assert "repaired" in tidy["warnings"][0]


def test_a_token_without_sudo_cannot_list_or_force_revoke(unsealed, postgres):
    _, client, _ = unsealed
    configure_postgres(client, postgres)
    secret = creds(client)
    client.sys.create_or_update_policy("db-ro", 'path "database/creds/ro" { capabilities = ["read"] }')
    limited = client_for(client, token=client.auth.token.create(
        policies=["db-ro"])["auth"]["client_token"])
    with pytest.raises(hvac.exceptions.Forbidden):
        limited.sys.list_leases("database/creds/ro/")
    with pytest.raises(hvac.exceptions.Forbidden):
        limited.sys.revoke_force("database/")
    assert postgres.role_exists(secret["data"]["username"])


def test_mariadb_credentials_log_in_and_are_dropped_on_revoke_and_expiry(unsealed, mariadb):
    _, client, _ = unsealed
    configure_mariadb(client, mariadb, ttl="3s")
    secret = creds(client)
    user, password = secret["data"]["username"], secret["data"]["password"]
    assert len(user) <= 32
    assert mariadb.cli_login(user, password)
    client.sys.revoke_lease(secret["lease_id"])
    assert not mariadb.cli_login(user, password)
    assert not mariadb.user_exists(user)

    issued = time.monotonic()
    expiring = creds(client)["data"]
    assert mariadb.can_login(expiring["username"], expiring["password"])
    took = wait_until(lambda: not mariadb.user_exists(expiring["username"]), timeout=10)
    assert took is not None and time.monotonic() - issued <= 3 + 2
    assert not mariadb.can_login(expiring["username"], expiring["password"])


def test_mariadb_token_revoke_drops_its_credentials(unsealed, mariadb):
    _, client, _ = unsealed
    configure_mariadb(client, mariadb)
    client.sys.create_or_update_policy("db-ro", 'path "database/creds/ro" { capabilities = ["read"] }')
    token = client.auth.token.create(policies=["db-ro"])["auth"]["client_token"]
    user = creds(client_for(client, token=token))["data"]["username"]
    assert mariadb.user_exists(user)
    client.auth.token.revoke(token)
    assert not mariadb.user_exists(user)


@pytest.mark.parametrize("engine", ["postgres", "mariadb"])
def test_static_role_password_rotates_on_schedule_and_the_old_one_stops_working(
        unsealed, request, engine):
    _, client, _ = unsealed
    db = request.getfixturevalue(engine)
    if engine == "postgres":
        db.admin_query("CREATE ROLE app WITH LOGIN PASSWORD 'initial-pw'")
        configure_postgres(client, db)
        db_name = "pg"
    else:
        db.admin_query("CREATE USER 'app'@'%' IDENTIFIED BY 'initial-pw'")
        configure_mariadb(client, db)
        db_name = "maria"
    client.secrets.database.configure(name=db_name, plugin_name=(
        "postgresql-database-plugin" if engine == "postgres" else "mysql-database-plugin"),
        allowed_roles=["ro", "app"])
    client.secrets.database.create_static_role(
        name="app", db_name=db_name, username="app", rotation_statements=[],
        rotation_period=5)
    # Created: rotated at once, so the password we set is no longer valid.
    assert not db.can_login("app", "initial-pw")
    first = client.secrets.database.get_static_credentials("app")["data"]
    assert first["username"] == "app" and first["rotation_period"] == 5
    assert 0 < first["ttl"] <= 5
    assert db.can_login("app", first["password"])

    def rotated():
        now = client.secrets.database.get_static_credentials("app")["data"]
        return now["last_vault_rotation"] != first["last_vault_rotation"]

    assert wait_until(rotated, timeout=5 + 3, step=0.25) is not None
    second = client.secrets.database.get_static_credentials("app")["data"]
    assert second["password"] != first["password"]
    assert not db.can_login("app", first["password"])
    assert db.can_login("app", second["password"])


def test_a_database_that_is_down_gives_a_clear_error_and_blocks_nothing_else(unsealed, postgres):
    import threading
    _, client, _ = unsealed
    configure_postgres(client, postgres)
    client.sys.enable_secrets_engine("kv", path="kv")
    postgres.stop()
    outcome = {}

    def ask_for_creds():
        start = time.monotonic()
        try:
            creds(client_for(client, token=client.token))
            outcome["error"] = None
        except hvac.exceptions.VaultError as e:
            outcome["error"] = str(e)
        outcome["seconds"] = time.monotonic() - start

    waiting = threading.Thread(target=ask_for_creds)
    waiting.start()
    # Other requests are served while the database engine is failing.
    for i in range(20):
        client.write(f"kv/item{i}", value=str(i))
        assert client.read(f"kv/item{i}")["data"]["value"] == str(i)
    waiting.join(timeout=30)
    assert not waiting.is_alive()
    assert outcome["error"] and "cannot connect" in outcome["error"]
    assert outcome["seconds"] < 10
    assert "password" not in outcome["error"].lower() or postgres.admin_password not in outcome["error"]
    postgres.start()
    assert postgres.can_login(*(lambda d: (d["username"], d["password"]))(creds(client)["data"]))


def test_database_passwords_follow_the_configured_password_policy(unsealed, postgres):
    _, client, _ = unsealed
    client.write("sys/policies/password/db-digits",
                 policy='length = 32\nrule "charset" {\n  charset = "0123456789abcdef"\n'
                        '  min-chars = 4\n}\n')
    configure_postgres(client, postgres)
    client.secrets.database.configure(name="pg", plugin_name="postgresql-database-plugin",
                                      password_policy="db-digits")
    for _ in range(3):
        data = creds(client)["data"]
        assert len(data["password"]) == 32
        assert set(data["password"]) <= set("0123456789abcdef")
        assert postgres.can_login(data["username"], data["password"])


def test_cli_lease_lookup_renew_and_revoke(unsealed, postgres):
    from test_cli_verbs import ok, run
    server, client, init = unsealed
    configure_postgres(client, postgres, ttl="1h", max_ttl="3h")
    secret = creds(client)
    lease_id, user = secret["lease_id"], secret["data"]["username"]
    token = init["root_token"]
    looked = ok(server, "lease", "lookup", "-format=json", lease_id, token=token)
    assert '"renewable": true' in looked.stdout and lease_id in looked.stdout
    renewed = ok(server, "lease", "renew", "-increment=2h", "-format=json", lease_id, token=token)
    assert '"lease_duration": 7200' in renewed.stdout
    assert run(server, "lease", "revoke", "-force", lease_id, token=token).returncode == 2
    revoked = ok(server, "lease", "revoke", lease_id, token=token)
    assert "Success! Revoked lease" in revoked.stdout
    assert not postgres.role_exists(user)
    other = creds(client)["data"]["username"]
    ok(server, "lease", "revoke", "-prefix", "database/creds/ro", token=token)
    assert not postgres.role_exists(other)


def test_revoking_a_postgres_credential_terminates_its_open_sessions(unsealed, postgres):
    import psycopg2
    _, client, _ = unsealed
    configure_postgres(client, postgres)
    secret = creds(client)
    user, password = secret["data"]["username"], secret["data"]["password"]
    session = postgres.connect(user, password)
    session.autocommit = True
    with session.cursor() as cur:
        cur.execute("SELECT 1")
        assert cur.fetchone() == (1,)
    assert postgres.sessions_of(user) == 1
    client.sys.revoke_lease(secret["lease_id"])
    assert postgres.sessions_of(user) == 0
    with pytest.raises(psycopg2.Error):
        with session.cursor() as cur:
            cur.execute("SELECT 1")
    session.close()
    assert not postgres.role_exists(user)
