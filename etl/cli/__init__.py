"""critmin command line: `critmin --help` lists the commands.

One module per command group; every command is wired here, in one place.
"""

from __future__ import annotations

import sys

import typer

from etl.cli import add, bench, db, doctor, extract, load, report
from etl.cli.common import err
from etl.db.config import mask_url
from etl.errors import CritminError, one_line

app = typer.Typer(
    help="critmin: an evidence-backed PostgreSQL database of critical-minerals supply-chain agreements.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Manage the embedded PostgreSQL server (or show the DATABASE_URL in use).", no_args_is_help=True)
app.add_typer(db_app, name="db")

app.command("run")(load.run)
app.command("load")(load.load)
app.command("validate")(load.validate)
app.command("status")(load.status)
app.command("migrate")(db.migrate)
db_app.command("start")(db.db_start)
db_app.command("stop")(db.db_stop)
db_app.command("status")(db.db_status)
db_app.command("url")(db.db_url)
db_app.command("create-reader")(db.create_reader)
app.command("report")(report.report)
app.command("export")(report.export)
app.command("docs")(report.docs)
app.command("doctor")(doctor.doctor)
app.command("refresh")(doctor.refresh)
app.command("bench")(bench.bench)
app.command("add")(add.add)
app.command("extract")(extract.extract)
app.command("draft")(extract.draft)
app.command("eval")(extract.eval_)


def main() -> None:
    """Entry point: run the app, turning known errors into one line and an exit status."""
    import psycopg

    try:
        code = app(standalone_mode=False)
    except CritminError as exc:
        err.print(f"[red]critmin:[/red] {mask_url(str(exc))}", soft_wrap=True)
        sys.exit(exc.exit_code)
    except psycopg.Error as exc:
        msg = one_line(exc)
        hint = ""
        if isinstance(exc, psycopg.errors.UndefinedTable | psycopg.errors.InvalidSchemaName):
            hint = " — is the database migrated? run `critmin migrate`"
        elif isinstance(exc, psycopg.errors.InsufficientPrivilege):
            hint = " — this login may not do that (the reader login is read-only)"
        err.print(f"[red]critmin:[/red] database error: {mask_url(msg)}{hint}", soft_wrap=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err.print("aborted")
        sys.exit(130)
    except Exception as exc:
        # Usage errors: typer vendors its own copy of click's ClickException, so match by name.
        if any(c.__name__ == "ClickException" for c in type(exc).__mro__):
            exc.show()
            sys.exit(2)
        raise
    sys.exit(code if isinstance(code, int) else 0)




if __name__ == "__main__":
    main()
