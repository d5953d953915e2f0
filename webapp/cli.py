"""The `tierlight` command: demo, web, worker and beat; database and data management."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError

from models.config import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from models.db import Database


def _settings(mode: str | None = None) -> Settings:
    try:
        return load_settings(mode=mode)  # type: ignore[arg-type]
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


def config_errors_as_messages(command: Callable[..., Any]) -> Callable[..., Any]:
    """Report a bad setting, or a database that cannot be reached, as one line naming the
    variable, not as a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ConfigError as error:
            raise click.ClickException(str(error)) from None
        except (OperationalError, InterfaceError) as error:
            reason = str(error.orig or error).strip().splitlines()[0]
            url = _safe_url(_settings().database_url)
            raise click.ClickException(f"DATABASE_URL {url}: {reason}") from None

    return wrapper


def _migrated_database(settings: Settings) -> Database:
    """The configured database, refused with a one-line hint while migrations are pending."""
    from models.db import Database
    from models.migrate import pending_revisions

    if pending_revisions(settings.database_url):
        raise click.ClickException(
            f"DATABASE_URL {_safe_url(settings.database_url)}: the database is not migrated; "
            "run `tierlight db upgrade` first"
        )
    return Database.from_url(settings.database_url)


@click.group()
def main() -> None:
    """Tierlight (链透): supply-chain collaboration for anchors and their suppliers."""


@main.command()
@click.option("--port", default=5000, show_default=True, help="Port of the web app.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--reset", is_flag=True, help="Delete the demo database and start afresh.")
@config_errors_as_messages
def demo(port: int, host: str, reset: bool) -> None:
    """Run everything on this machine: SQLite, demo data, web app and a Celery worker."""
    from webapp.demo import run_demo

    run_demo(_settings("demo"), host, port, reset)


@main.command()
@config_errors_as_messages
def seed() -> None:
    """Load the deterministic demo supply chain into an empty database."""
    from sqlalchemy import select

    from models.demo import seed_demo
    from models.orgs.entities import Organisation

    database = _migrated_database(_settings())
    with database.unit_of_work() as session:
        if session.scalar(select(Organisation.id).limit(1)) is not None:
            raise click.ClickException(
                "seed loads the demo into an empty database; this one has organisations already"
            )
        logins = seed_demo(session)
    click.echo(json.dumps({"logins": logins}, ensure_ascii=False, indent=2))


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.argument("revision", default="heads")
@config_errors_as_messages
def db_upgrade(revision: str) -> None:
    """Create or upgrade the schema through the migrations."""
    from alembic.util import CommandError

    from models.migrate import upgrade

    settings = _settings()
    try:
        upgrade(settings.database_url, revision)
    except CommandError as error:
        raise click.ClickException(f"REVISION {revision}: {error}") from None
    click.echo(f"database at {revision}: {_safe_url(settings.database_url)}")


@db.command("check")
@config_errors_as_messages
def db_check() -> None:
    """Exit 1 when migrations are pending."""
    from models.migrate import pending_revisions

    pending = pending_revisions(_settings().database_url)
    if pending:
        raise click.ClickException(f"pending migrations: {', '.join(sorted(pending))}")
    click.echo("up to date")


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


@main.command()
@click.option("--concurrency", "-c", type=int, default=None, help="Worker processes.")
@click.option("--beat", "with_beat", is_flag=True, help="Also run the beat scheduler.")
@click.option("--loglevel", default="INFO", show_default=True)
@config_errors_as_messages
def worker(concurrency: int | None, with_beat: bool, loglevel: str) -> None:
    """Start a Celery worker with this configuration."""
    from worker.main import start_worker

    start_worker(_settings(), concurrency, with_beat, loglevel)


@main.command()
@click.option("--loglevel", default="INFO", show_default=True)
@config_errors_as_messages
def beat(loglevel: str) -> None:
    """Start the Celery beat scheduler with this configuration."""
    from worker.main import start_beat

    start_beat(_settings(), loglevel)


@main.command("create-anchor")
@click.option("--name-zh", required=True)
@click.option("--name-en", default="")
@click.option("--credit-code", required=True)
@click.option("--admin-email", required=True)
@click.option("--admin-name", required=True)
@click.password_option("--admin-password")
@config_errors_as_messages
def create_anchor(
    name_zh: str,
    name_en: str,
    credit_code: str,
    admin_email: str,
    admin_name: str,
    admin_password: str,
) -> None:
    """Register an anchor manufacturer and its first admin."""
    from models.errors import DomainError
    from models.orgs.bootstrap import create_anchor as create

    database = _migrated_database(_settings())
    try:
        with database.unit_of_work() as session:
            org, user = create(
                session,
                {"name_zh": name_zh, "name_en": name_en, "credit_code": credit_code},
                {"email": admin_email, "name": admin_name, "password": admin_password},
            )
    except DomainError as error:
        details = getattr(error, "errors", {})
        raise click.ClickException(
            "; ".join(
                f"{ANCHOR_OPTIONS.get(field, field)}: {' '.join(messages)}"
                for field, messages in details.items()
            )
            or str(error.message)
        ) from None
    click.echo(f"anchor {org.id} created; admin {user.email}")


#: The option of ``create-anchor`` that holds each field its errors name.
ANCHOR_OPTIONS = {
    "name_zh": "--name-zh",
    "name_en": "--name-en",
    "credit_code": "--credit-code",
    "email": "--admin-email",
    "name": "--admin-name",
    "password": "--admin-password",
}


@main.group()
def edi() -> None:
    """EDI files (X12 and EDIFACT)."""


@edi.command("parse")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def edi_parse(file: str) -> None:
    """Read an EDI file without a database and print its records and errors as JSON.

    Exit status 0 when the file read without errors, 1 when it has errors.
    """
    from pathlib import Path

    from edi import has_errors, parse_to_dict

    result = parse_to_dict(Path(file).read_bytes())
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    sys.exit(1 if has_errors(result) else 0)


@edi.command("ingest")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--org",
    "credit_code",
    default=None,
    help="Credit code of the sending organisation (default: the organisation whose EDI "
    "identity the file's first interchange names as sender).",
)
@config_errors_as_messages
def edi_ingest(file: str, credit_code: str | None) -> None:
    """Store an EDI file for its sender, process it now and print the document as JSON.

    The JSON has the document's id, status (accepted, partially_accepted, rejected),
    messages, errors (file-level first, then per message: interchange, message,
    segment_position, segment_tag, element or field, code, text) and acknowledgements;
    ``duplicate`` is true when the same bytes were stored before. Exit status 0 when the
    document is accepted, 1 otherwise.
    """
    from pathlib import Path

    from worker.edi_exchange.files import ingest_file

    path = Path(file)
    database = _migrated_database(_settings())
    try:
        report = ingest_file(database, path.read_bytes(), path.name, credit_code)
    finally:
        database.dispose()
    click.echo(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    sys.exit(0 if report["status"] == "accepted" else 1)


def _not_blank(_ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not value.strip():
        raise click.BadParameter(
            "it is empty; give the lot or serial number to trace.", param=param
        )
    return value


@main.command("trace")
@click.argument("lot_number", callback=_not_blank)
@click.option("--maker", default=None, help="Maker's credit code (when several makers use it).")
@click.option("--direction", type=click.Choice(["up", "down"]), required=True)
@click.option(
    "--as-org",
    "as_org",
    default=None,
    help="Credit code of the organisation whose view to take (the access rule applies).",
)
@click.option("--max-depth", type=click.IntRange(1, 30), default=30, show_default=True)
@config_errors_as_messages
def trace_lot(
    lot_number: str, maker: str | None, direction: str, as_org: str | None, max_depth: int
) -> None:
    """Print a lot's genealogy up (inputs) or down (where used) as JSON.

    Without --as-org this is the operator's view: every lot is shown and ``tier`` counts supply
    links below the nearest anchor (0 = the anchor). With --as-org the access rule applies:
    lots the organisation may not see have ``withheld`` true and no number, maker or part, and
    ``tier`` counts from that organisation. ``root`` is the traced lot's number (also the node
    at depth 0); edges run from input lot to the lot made from it (``from``/``to`` are lot
    numbers, or withheld-<n> ids; ``from_id``/``to_id`` are unique node ids). Exit status 1 with
    a message when the lot is not found (or may not be seen).
    """
    from models.errors import DomainError, ValidationFailed
    from models.trace.queries import trace_lot_number

    database = _migrated_database(_settings())
    try:
        with database.unit_of_work() as session:
            result = trace_lot_number(session, lot_number, direction, maker, as_org, max_depth)
    except ValidationFailed as error:
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.errors.items())
        raise click.ClickException(problems) from None
    except DomainError as error:
        raise click.ClickException(f"not found: {error.message}") from None
    finally:
        database.dispose()
    click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))


@main.group()
def carbon() -> None:
    """Carbon footprints."""


@carbon.command("rollup")
@click.option(
    "--year",
    type=click.IntRange(2000, 2100),
    default=None,
    help="Calendar year of the footprints (default: this year).",
)
@config_errors_as_messages
def carbon_rollup(year: int | None) -> None:
    """Recompute every organisation's product footprints of a year, now, and print the counts
    as JSON (an organisation's own roll-up runs from its carbon page or the API)."""
    from models.carbon.rollup_scope import check_rollup_year, recompute_year
    from models.clock import local_today
    from models.errors import ValidationFailed

    today = local_today()
    try:
        check_rollup_year(year or today.year, today)
    except ValidationFailed:
        raise click.BadParameter("The year has not started yet.", param_hint="--year") from None
    database = _migrated_database(_settings())
    try:
        with database.unit_of_work() as session:
            summary = recompute_year(session, None, year or today.year)
    finally:
        database.dispose()
    click.echo(json.dumps(summary, ensure_ascii=False))


@main.group()
def quality() -> None:
    """Quality statistics."""


@quality.command("capability")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--lsl", type=float, default=None, help="Lower specification limit.")
@click.option("--usl", type=float, default=None, help="Upper specification limit.")
@click.option("--target", type=float, default=None, help="Target (gives Cpm).")
@click.option("--subgroup", type=int, default=1, show_default=True, help="Subgroup size.")
@click.option(
    "--rules",
    type=click.Choice(["nelson", "western_electric"]),
    default="nelson",
    show_default=True,
)
def quality_capability(
    file: str, lsl: float | None, usl: float | None, target: float | None, subgroup: int, rules: str
) -> None:
    """Control limits, capability and run-rule signals of one column of measurements (JSON)."""
    from pathlib import Path

    from models.errors import ValidationFailed
    from models.quality.csv_input import read_measurements_file
    from models.quality.report import capability_report

    try:
        values = read_measurements_file(Path(file).read_bytes())
        report = capability_report(values, lsl, usl, target, subgroup, rules)
    except ValidationFailed as error:
        problems = "; ".join(  # a row's messages name the row themselves
            " ".join(messages) if field.startswith("row ") else f"{field}: {' '.join(messages)}"
            for field, messages in error.errors.items()
        )
        raise click.ClickException(problems or str(error.message)) from None
    click.echo(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
