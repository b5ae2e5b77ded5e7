"""The database secrets engine against real PostgreSQL and MariaDB servers:
connections, dynamic creds that log in, static roles and their rotation,
and root rotation. (Lease renewal, revocation and expiry are covered in
their own tests.)"""
import json
import time

import hvac
import pytest

MOUNT = "database"

PG_CREATE = [
    "CREATE ROLE \"{{name}}\" WITH LOGIN PASSWORD '{{password}}' VALID UNTIL '{{expiration}}';",
    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \"{{name}}\";",
]
MYSQL_CREATE = [
    "CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}';",
    "GRANT SELECT ON *.* TO '{{name}}'@'%';",
]


def _enable(client):
    client.sys.enable_secrets_engine("database", path=MOUNT)


def _configure_postgres(client, postgres, name="pg", allowed_roles=("*",)):
    client.secrets.database.configure(
        name=name,
        plugin_name="postgresql-database-plugin",
        allowed_roles=list(allowed_roles),
        connection_url=postgres.connection_url(),
        username=postgres.admin_user,
        password=postgres.admin_password,
        mount_point=MOUNT,
    )


def _configure_mariadb(client, mariadb, name="my", allowed_roles=("*",)):
    client.secrets.database.configure(
        name=name,
        plugin_name="mysql-database-plugin",
        allowed_roles=list(allowed_roles),
        connection_url=mariadb.connection_url(),
        username=mariadb.admin_user,
        password=mariadb.admin_password,
        mount_point=MOUNT,
    )


def _rotate_role(client, name):
    client.adapter.post(f"/v1/{MOUNT}/rotate-role/{name}")


def test_config_read_never_shows_the_password(unsealed, postgres, mariadb):
    _, client, _ = unsealed
    _enable(client)
    _configure_postgres(client, postgres, allowed_roles=("readonly",))
    _configure_mariadb(client, mariadb)

    data = client.secrets.database.read_connection("pg", mount_point=MOUNT)["data"]
    assert data["plugin_name"] == "postgresql-database-plugin"
    assert data["connection_details"]["connection_url"] == postgres.connection_url()
    assert data["connection_details"]["username"] == postgres.admin_user
    assert data["allowed_roles"] == ["readonly"]
    assert data["verify_connection"] is True
    assert postgres.admin_password not in json.dumps(data)
    assert "password" not in data["connection_details"]

    data = client.secrets.database.read_connection("my", mount_point=MOUNT)["data"]
    assert data["plugin_name"] == "mysql-database-plugin"
    assert mariadb.admin_password not in json.dumps(data)

    keys = client.secrets.database.list_connections(mount_point=MOUNT)["data"]["keys"]
    assert sorted(keys) == ["my", "pg"]


def test_wrong_password_is_refused_and_not_stored(unsealed, postgres):
    _, client, _ = unsealed
    _enable(client)
    with pytest.raises(hvac.exceptions.InvalidRequest) as e:
        client.secrets.database.configure(
            name="pg", plugin_name="postgresql-database-plugin",
            connection_url=postgres.connection_url(), username=postgres.admin_user,
            password="wrong-password", mount_point=MOUNT)
    assert "wrong-password" not in str(e.value)
    with pytest.raises(hvac.exceptions.InvalidPath):
        client.secrets.database.read_connection("pg", mount_point=MOUNT)


def test_postgres_creds_log_in(unsealed, postgres):
    _, client, _ = unsealed
    _enable(client)
    _configure_postgres(client, postgres)
    client.secrets.database.create_role(
        name="readonly", db_name="pg", creation_statements=PG_CREATE,
        default_ttl="1h", max_ttl="24h", mount_point=MOUNT)

    resp = client.secrets.database.generate_credentials("readonly", mount_point=MOUNT)
    username, password = resp["data"]["username"], resp["data"]["password"]
    assert username.startswith("v-readonly-")
    assert postgres.role_exists(username)
    assert postgres.can_login(username, password)
    assert not postgres.can_login(username, password + "x")
    assert resp["lease_id"].startswith(f"{MOUNT}/creds/readonly/")
    assert resp["renewable"] is True
    assert 0 < resp["lease_duration"] <= 3600


def test_mariadb_creds_log_in(unsealed, mariadb):
    _, client, _ = unsealed
    _enable(client)
    _configure_mariadb(client, mariadb)
    client.secrets.database.create_role(
        name="readonly", db_name="my", creation_statements=MYSQL_CREATE,
        default_ttl="1h", mount_point=MOUNT)

    resp = client.secrets.database.generate_credentials("readonly", mount_point=MOUNT)
    username, password = resp["data"]["username"], resp["data"]["password"]
    assert len(username) <= 32
    assert mariadb.user_exists(username)
    assert mariadb.can_login(username, password)


def test_role_not_allowed_by_its_connection(unsealed, postgres):
    _, client, _ = unsealed
    _enable(client)
    _configure_postgres(client, postgres, allowed_roles=("other",))
    client.secrets.database.create_role(
        name="readonly", db_name="pg", creation_statements=PG_CREATE, mount_point=MOUNT)
    with pytest.raises(hvac.exceptions.InvalidRequest) as e:
        client.secrets.database.generate_credentials("readonly", mount_point=MOUNT)
    assert "is not an allowed role" in str(e.value)
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.secrets.database.generate_credentials("nope", mount_point=MOUNT)


def test_postgres_static_role_and_rotate_role(unsealed, postgres):
    _, client, _ = unsealed
    _enable(client)
    _configure_postgres(client, postgres)
    postgres.admin_query("CREATE ROLE app LOGIN PASSWORD 'initial-pw'")

    client.secrets.database.create_static_role(
        name="app", db_name="pg", username="app", rotation_statements=None,
        rotation_period=3600, mount_point=MOUNT)
    # Creating the role rotated the password: only coffer knows it now.
    assert not postgres.can_login("app", "initial-pw")
    creds = client.secrets.database.get_static_credentials("app", mount_point=MOUNT)["data"]
    assert creds["username"] == "app"
    assert postgres.can_login("app", creds["password"])
    assert 3590 <= creds["ttl"] <= 3600
    assert creds["rotation_period"] == 3600

    role = client.read(f"{MOUNT}/static-roles/app")["data"]
    assert role["username"] == "app" and role["db_name"] == "pg"
    assert "password" not in role
    assert role["last_vault_rotation"] == creds["last_vault_rotation"]

    _rotate_role(client, "app")
    new = client.secrets.database.get_static_credentials("app", mount_point=MOUNT)["data"]
    assert new["password"] != creds["password"]
    assert not postgres.can_login("app", creds["password"])
    assert postgres.can_login("app", new["password"])


def test_mariadb_static_role_and_rotate_role(unsealed, mariadb):
    _, client, _ = unsealed
    _enable(client)
    _configure_mariadb(client, mariadb)
    mariadb.admin_query("CREATE USER 'app'@'%' IDENTIFIED BY 'initial-pw'")

    client.secrets.database.create_static_role(
        name="app", db_name="my", username="app",
        rotation_statements=["ALTER USER '{{name}}'@'%' IDENTIFIED BY '{{password}}';"],
        rotation_period=3600, mount_point=MOUNT)
    assert not mariadb.can_login("app", "initial-pw")
    creds = client.secrets.database.get_static_credentials("app", mount_point=MOUNT)["data"]
    assert mariadb.can_login("app", creds["password"])

    _rotate_role(client, "app")
    new = client.secrets.database.get_static_credentials("app", mount_point=MOUNT)["data"]
    assert not mariadb.can_login("app", creds["password"])
    assert mariadb.can_login("app", new["password"])


def test_static_role_rotates_on_its_period(unsealed, postgres):
    _, client, _ = unsealed
    _enable(client)
    _configure_postgres(client, postgres)
    postgres.admin_query("CREATE ROLE app LOGIN PASSWORD 'initial-pw'")
    client.secrets.database.create_static_role(
        name="app", db_name="pg", username="app", rotation_statements=None,
        rotation_period=5, mount_point=MOUNT)
    first = client.secrets.database.get_static_credentials("app", mount_point=MOUNT)["data"]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        now = client.secrets.database.get_static_credentials("app", mount_point=MOUNT)["data"]
        if now["password"] != first["password"]:
            break
        time.sleep(0.5)
    assert now["password"] != first["password"], "no rotation within 20 s of a 5 s period"
    assert postgres.can_login("app", now["password"])
    assert not postgres.can_login("app", first["password"])


def test_static_role_validation(unsealed, postgres):
    _, client, _ = unsealed
    _enable(client)
    _configure_postgres(client, postgres)
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.secrets.database.create_static_role(
            name="app", db_name="pg", username="app", rotation_statements=None,
            rotation_period=4, mount_point=MOUNT)
    # A user the database does not have: the first rotation fails, nothing stored.
    with pytest.raises(hvac.exceptions.VaultError):
        client.secrets.database.create_static_role(
            name="ghost", db_name="pg", username="ghost", rotation_statements=None,
            rotation_period=60, mount_point=MOUNT)
    assert client.read(f"{MOUNT}/static-roles/ghost") is None


@pytest.mark.parametrize("flavour", ["postgres", "mariadb"])
def test_rotate_root(unsealed, request, flavour):
    _, client, _ = unsealed
    db = request.getfixturevalue(flavour)
    _enable(client)
    if flavour == "postgres":
        _configure_postgres(client, db, name="db")
        creation = PG_CREATE
    else:
        _configure_mariadb(client, db, name="db")
        creation = MYSQL_CREATE
    client.secrets.database.create_role(
        name="readonly", db_name="db", creation_statements=creation, mount_point=MOUNT)

    client.secrets.database.rotate_root_credentials("db", mount_point=MOUNT)
    assert not db.can_login(db.admin_user, db.admin_password)

    creds = client.secrets.database.generate_credentials("readonly", mount_point=MOUNT)["data"]
    assert db.can_login(creds["username"], creds["password"])
    # A reset pool reconnects with the rotated password too.
    client.secrets.database.reset_connection("db", mount_point=MOUNT)
    creds = client.secrets.database.generate_credentials("readonly", mount_point=MOUNT)["data"]
    assert db.can_login(creds["username"], creds["password"])
    config = client.secrets.database.read_connection("db", mount_point=MOUNT)["data"]
    assert db.admin_password not in json.dumps(config)
