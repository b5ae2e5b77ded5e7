"""The database test harness itself: servers start, authenticate, survive a
restart and stop."""
import psycopg2
import pymysql
import pytest


def test_postgres_admin_login_and_wrong_password(postgres):
    assert postgres.can_login(postgres.admin_user, postgres.admin_password)
    assert not postgres.can_login(postgres.admin_user, "wrong-" + postgres.admin_password)
    with pytest.raises(psycopg2.OperationalError):
        postgres.connect(postgres.admin_user, "wrong")
    assert postgres.role_exists("coffer_admin")
    assert not postgres.role_exists("nobody")
    url = postgres.connection_url()
    assert url == (f"postgresql://{{{{username}}}}:{{{{password}}}}@127.0.0.1:{postgres.port}"
                   "/postgres?sslmode=disable")


def test_postgres_stop_start_keeps_data(postgres):
    postgres.admin_query("CREATE ROLE harness_probe LOGIN PASSWORD 'probe-pw'")
    assert postgres.can_login("harness_probe", "probe-pw")
    postgres.stop()
    assert not postgres.can_login("harness_probe", "probe-pw")
    postgres.start()
    assert postgres.role_exists("harness_probe")
    assert postgres.can_login("harness_probe", "probe-pw")
    assert postgres.can_login(postgres.admin_user, postgres.admin_password)


def test_mariadb_admin_login_and_wrong_password(mariadb):
    assert mariadb.can_login(mariadb.admin_user, mariadb.admin_password)
    assert mariadb.cli_login(mariadb.admin_user, mariadb.admin_password)
    assert not mariadb.can_login(mariadb.admin_user, "wrong")
    assert not mariadb.cli_login(mariadb.admin_user, "wrong")
    with pytest.raises(pymysql.err.OperationalError):
        mariadb.connect(mariadb.admin_user, "wrong")
    assert mariadb.user_exists("coffer_admin")
    assert not mariadb.user_exists("nobody")
    grants = mariadb.admin_query("SHOW GRANTS FOR 'coffer_admin'@'%'")
    assert "WITH GRANT OPTION" in grants[0][0]
    assert mariadb.connection_url() == f"{{{{username}}}}:{{{{password}}}}@tcp(127.0.0.1:{mariadb.port})/"


def test_mariadb_stop_start_keeps_data(mariadb):
    mariadb.admin_query("CREATE USER 'harness_probe'@'%' IDENTIFIED BY 'probe-pw'")
    assert mariadb.can_login("harness_probe", "probe-pw")
    mariadb.stop()
    assert not mariadb.can_login("harness_probe", "probe-pw")
    mariadb.start()
    assert mariadb.user_exists("harness_probe")
    assert mariadb.cli_login("harness_probe", "probe-pw")
    assert mariadb.can_login(mariadb.admin_user, mariadb.admin_password)
