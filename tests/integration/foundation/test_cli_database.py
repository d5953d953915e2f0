"""The operator's database commands on a fresh machine and with bad input: one-line errors."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import func, select

from models.accounts.entities import User
from models.db import Database
from models.orgs.entities import Organisation
from tests.services import temporary_database
from webapp.cli import main

ANCHOR = [
    "create-anchor",
    "--name-zh",
    "测试汽车",
    "--credit-code",
    "91110000600037341L",
    "--admin-name",
    "Admin",
    "--admin-password",
    "a-long-enough-secret",
]


def run(tmp_path, *args, database_url=None):
    env = {"TIERLIGHT_INSTANCE": str(tmp_path / "instance"), "DATABASE_URL": database_url}
    return CliRunner().invoke(main, list(args), env=env)


def counts(url):
    database = Database.from_url(url)
    try:
        with database.unit_of_work() as session:
            return (
                session.scalar(select(func.count()).select_from(Organisation)),
                session.scalar(select(func.count()).select_from(User)),
            )
    finally:
        database.dispose()


def test_db_upgrade_creates_the_default_instance_folder(tmp_path):
    result = run(tmp_path, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "instance" / "tierlight.sqlite").exists()
    assert run(tmp_path, "db", "check").output.strip() == "up to date"


def test_an_unknown_revision_is_one_line(tmp_path):
    result = run(tmp_path, "db", "upgrade", "nonsense")
    assert result.exit_code == 1
    assert result.output.startswith("Error: REVISION nonsense: Can't locate revision")
    assert len(result.output.strip().splitlines()) == 1, result.output


def test_an_unreachable_database_is_one_line_naming_the_variable(tmp_path):
    url = "postgresql://postgres@127.0.0.1:1/nowhere"
    for args in (["db", "upgrade"], ["db", "check"], ["seed"]):
        result = run(tmp_path, *args, database_url=url)
        assert result.exit_code == 1, args
        assert "Traceback" not in result.output
        assert result.output.startswith("Error: DATABASE_URL"), result.output
        assert len(result.output.strip().splitlines()) == 1, result.output


def test_commands_on_an_unmigrated_database_say_to_upgrade_it(tmp_path):
    with temporary_database(tmp_path) as url:
        anchor = [*ANCHOR, "--admin-email", "a@example.com"]
        for args in (["seed"], anchor, ["trace", "LOT-1", "--direction", "up"]):
            result = run(tmp_path, *args, database_url=url)
            assert result.exit_code == 1, result.output
            assert "tierlight db upgrade" in result.output, result.output
            assert "Traceback" not in result.output


def test_seed_refuses_a_database_that_holds_organisations(fresh_db_url, tmp_path):
    created = run(tmp_path, *ANCHOR, "--admin-email", "a@example.com", database_url=fresh_db_url)
    assert created.exit_code == 0, created.output
    result = run(tmp_path, "seed", database_url=fresh_db_url)
    assert result.exit_code == 1
    assert "empty" in result.output and "Traceback" not in result.output
    assert counts(fresh_db_url) == (1, 1)


def test_create_anchor_refuses_a_malformed_admin_email(fresh_db_url, tmp_path):
    result = run(tmp_path, *ANCHOR, "--admin-email", "not an email", database_url=fresh_db_url)
    assert result.exit_code == 1
    assert result.output.startswith("Error: --admin-email: "), result.output
    assert counts(fresh_db_url) == (0, 0)


def test_create_anchor_names_the_options_of_every_bad_value(fresh_db_url, tmp_path):
    args = [*ANCHOR, "--admin-email", "a@example.com"]
    args[args.index("91110000600037341L")] = "91110000600037341X"
    args[args.index("Admin")] = " "
    result = run(tmp_path, *args, database_url=fresh_db_url)
    assert result.exit_code == 1
    assert "--credit-code: The check character" in result.output, result.output
    assert "--admin-name: " in result.output, result.output


def test_create_anchor_refuses_a_short_password_and_writes_nothing(fresh_db_url, tmp_path):
    args = [*ANCHOR[:-1], "short", "--admin-email", "a@example.com"]
    result = run(tmp_path, *args, database_url=fresh_db_url)
    assert result.exit_code == 1 and "password" in result.output
    assert counts(fresh_db_url) == (0, 0)
