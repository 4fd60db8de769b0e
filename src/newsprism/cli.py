"""The `newsprism` command: thin click commands over `newsprism.api.Workspace`.

Exit codes: 0 all good, 1 some inputs were rejected (each listed on stderr with its
reason), 2 usage or fatal error.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from ._version import __version__
from .api import Workspace
from .errors import NewsprismError
from .models import Note, Rejected
from .settings import SETTINGS, load_settings, parse_assignments


class Context:
    """The global options, from before or after the subcommand (later wins)."""

    def __init__(self, db: str, overrides: dict[str, str], config: Path | None) -> None:
        self.db = db
        self.overrides = overrides
        self.config = config
        self.quiet = False

    @property
    def progress(self) -> bool | None:
        """What the stages are told: None lets them pick a bar or lines; False is silent."""
        return False if self.quiet else None

    @contextmanager
    def workspace(self, *, create: bool = True) -> Iterator[Workspace]:
        """The workspace; `create=False` for read commands, which must never create one."""
        settings = load_settings(self.overrides, self.config)
        with Workspace(self.db, settings, create=create) as ws:
            yield ws


pass_ctx = click.make_pass_decorator(Context)


def _dump(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _show(data: Any, as_json: bool, renderer: str, *args: Any) -> None:
    """Print a read command's result: JSON for scripts, else its text rendering.

    `renderer` is "module:function" inside newsprism, imported only when text is asked
    for, so the CLI starts without loading the report code it may not need.
    """
    if as_json:
        _dump(data)
        return
    module, name = renderer.split(":")
    render = getattr(importlib.import_module(f".{module}", __package__), name)
    click.echo(render(data, *args))


def _report_reject(rej: Rejected) -> None:
    click.echo(f"rejected: {rej}", err=True)


def _report_warning(note: Note) -> None:
    click.echo(f"warning: {note}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsprism")
@click.option(
    "--db",
    envvar="NEWSPRISM_DB",
    default="newsprism.db",
    show_default=True,
    help="SQLite database file (or NEWSPRISM_DB).",
)
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a setting (repeatable); see `newsprism settings`.",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML settings file (default: ./newsprism.toml or NEWSPRISM_CONFIG).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
@click.pass_context
def cli(
    ctx: click.Context, db: str, assignments: tuple[str, ...], config: Path | None, quiet: bool
) -> None:
    """Read one event across many news sources.

    The options above may also follow the command: `newsprism ingest x.jsonl --db my.db`.
    """
    ctx.obj = Context(db, parse_assignments(assignments), config)
    ctx.obj.quiet = quiet


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--fetch", is_flag=True, help="Fetch the linked page of each feed entry.")
@click.option(
    "--analyse/--no-analyse",
    "then_analyse",
    default=False,
    help="Analyse the new articles right after ingesting them.",
)
@pass_ctx
def ingest(ctx: Context, paths: tuple[str, ...], fetch: bool, then_analyse: bool) -> None:
    """Read files, folders, globs or http(s) URLs into the store."""
    with ctx.workspace() as ws:
        report = ws.ingest(
            paths,
            fetch=fetch,
            progress=ctx.progress,
            on_reject=_report_reject,
            on_warning=_report_warning,
        )
        click.echo(f"ingest: {report.summary()}")
        if then_analyse:
            _analyse(ws, ctx.progress)
    sys.exit(1 if report.rejected else 0)


def _analyse(ws: Workspace, progress: bool | None) -> None:
    report = ws.analyse(progress=progress)
    for article_id, reason in report.skipped.items():
        click.echo(f"skipped {article_id}: {reason}", err=True)
    click.echo(f"analyse: {report.summary()}")


def engine_options(func: Any) -> Any:
    """--engine / --address / --workers / --shards, shared by `analyse` and `run`."""
    options = [
        click.option(
            "--engine",
            type=click.Choice(["local", "ray"]),
            default="local",
            show_default=True,
            help="Analyse in this process, or on Ray (needs newsprism[ray]).",
        ),
        click.option(
            "--address",
            default=None,
            metavar="auto|ray://HOST:10001",
            help="Ray cluster to join (--engine ray); default: a local Ray.",
        ),
        click.option(
            "--workers",
            type=click.IntRange(min=1),
            default=2,
            show_default=True,
            help="Ray model workers, each loading the models once.",
        ),
        click.option(
            "--shards",
            "shards_dir",
            default=None,
            type=click.Path(file_okay=False, path_type=Path),
            help="Keep the analysed Parquet shards in this new folder (--engine ray).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _ray(ws: Workspace, inputs: tuple[str, ...], opts: dict[str, Any]) -> bool:
    """Ingest and analyse `inputs` on Ray; True when anything was rejected."""
    report = ws.analyse_ray(
        inputs, out_dir=opts["shards_dir"], address=opts["address"], workers=opts["workers"]
    )
    for rej in report.ingest.rejected:
        _report_reject(rej)
    for article_id, reason in report.analyse.skipped.items():
        click.echo(f"skipped {article_id}: {reason}", err=True)
    if report.ray is not None:
        click.echo(f"ray: {report.ray.summary()}")
    click.echo(f"ingest: {report.ingest.summary()}")
    click.echo(f"analyse: {report.analyse.summary()}")
    return bool(report.ingest.rejected)


@cli.command()
@click.argument("inputs", nargs=-1)
@engine_options
@pass_ctx
def analyse(ctx: Context, inputs: tuple[str, ...], engine: str, **opts: Any) -> None:
    """Analyse every stored article not analysed yet (sentences, entities, quotes, ...).

    With --engine ray, INPUTS (JSONL, WARC, Parquet files, folders or globs) are read
    and analysed on Ray, then loaded into the store.
    """
    if engine == "local" and inputs:
        raise click.UsageError("inputs are for --engine ray; ingest them first, or use `run`")
    if engine == "ray" and not inputs:
        raise click.UsageError("--engine ray needs INPUTS to read")
    with ctx.workspace() as ws:
        if engine == "ray":
            sys.exit(1 if _ray(ws, inputs, opts) else 0)
        _analyse(ws, ctx.progress)


@cli.command()
@pass_ctx
def cluster(ctx: Context) -> None:
    """Assign every analysed article to a story (incremental)."""
    with ctx.workspace() as ws:
        report = ws.cluster(progress=ctx.progress)
        click.echo(f"cluster: {report.summary()}")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Folder for the outputs.",
)
@click.option("--fetch", is_flag=True, help="Fetch the linked page of each feed entry.")
@engine_options
@pass_ctx
def run(
    ctx: Context, paths: tuple[str, ...], out_dir: Path, fetch: bool, engine: str, **opts: Any
) -> None:
    """Run every stage on PATHS and write the report to --out."""
    from .report.exporters import export_all

    if fetch and engine == "ray":
        raise click.UsageError("--fetch works with the local engine only")
    with ctx.workspace() as ws:
        if engine == "ray":
            rejected = _ray(ws, paths, opts)
        else:
            report = ws.ingest(
                paths,
                fetch=fetch,
                progress=ctx.progress,
                on_reject=_report_reject,
                on_warning=_report_warning,
            )
            click.echo(f"ingest: {report.summary()}")
            _analyse(ws, ctx.progress)
            rejected = bool(report.rejected)
        click.echo(f"cluster: {ws.cluster(progress=ctx.progress).summary()}")
        written = export_all(ws, out_dir)
        click.echo(f"wrote {len(written)} files to {out_dir}/ (open {written[0]})")
    sys.exit(1 if rejected else 0)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def articles(ctx: Context, as_json: bool) -> None:
    """List stored articles."""
    with ctx.workspace(create=False) as ws:
        rows = ws.articles()
    _show(rows, as_json, "report.text:articles_table")


@cli.command()
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def article(ctx: Context, article_id: str, as_json: bool) -> None:
    """Show one article with its sentences, entities, quotes, quantities and dates."""
    with ctx.workspace(create=False) as ws:
        data = ws.article(article_id)
    if data is None:
        raise click.ClickException(f"no article with id {article_id!r} (see `newsprism articles`)")
    _show(data, as_json, "report.text:article_text")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def stories(ctx: Context, as_json: bool) -> None:
    """List stories (run `cluster` first)."""
    with ctx.workspace(create=False) as ws:
        rows = ws.stories()
    _show(rows, as_json, "report.text:stories_table")


@cli.command()
@click.argument("story_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--changes", "show_changes", is_flag=True, help="Show the story's change log.")
@click.option(
    "--since",
    metavar="TIME",
    help="With --changes: only entries from TIME on (ISO date/time, or 90m, 2h, 1d ago).",
)
@pass_ctx
def story(
    ctx: Context, story_id: str, as_json: bool, show_changes: bool, since: str | None
) -> None:
    """Show one story: its articles, sources and dates (or, with --changes, what changed)."""
    if since and not show_changes:
        raise click.UsageError("--since goes with --changes")
    with ctx.workspace(create=False) as ws:
        data = ws.story(story_id)
        if data is not None and show_changes:
            from .corroborate.changes import parse_since
            from .report.changelog import changes_text

            entries = ws.changes(story_id, parse_since(since) if since else None)
            if as_json:
                _dump([e.to_dict() for e in entries])
            else:
                click.echo(changes_text(data, entries, since))
            return
    if data is None:
        raise click.ClickException(f"no story with id {story_id!r} (see `newsprism stories`)")
    _show(data, as_json, "report.text:story_text")


@cli.command()
@click.argument("story_id")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "json"]),
    default="md",
    show_default=True,
    help="Output format.",
)
@click.option("--refresh", is_flag=True, help="Recompute instead of using the cached brief.")
@pass_ctx
def brief(ctx: Context, story_id: str, fmt: str, refresh: bool) -> None:
    """Print a story's cited briefing, facts, quote ledger, omissions and timeline."""
    from .report.markdown import brief_html, brief_markdown

    with ctx.workspace(create=False) as ws:
        data = ws.brief(story_id, refresh=refresh)
    if data is None:
        raise click.ClickException(f"no story with id {story_id!r} (see `newsprism stories`)")
    if fmt == "json":
        _dump(data)
    else:
        click.echo(brief_markdown(data) if fmt == "md" else brief_html(data))


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to bind; anything but loopback exposes the store.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--token",
    envvar="NEWSPRISM_TOKEN",
    help="Enable POST /ingest behind this bearer token (or NEWSPRISM_TOKEN).",
)
@pass_ctx
def serve(ctx: Context, host: str, port: int, token: str | None) -> None:
    """Serve the web app and JSON API over the database (Ctrl-C to stop)."""
    from .serve import run as run_server

    settings = load_settings(ctx.overrides, ctx.config)
    Workspace(ctx.db, settings, create=False).close()  # refuse a missing database early
    run_server(ctx.db, host=host, port=port, token=token, settings=settings)


@cli.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def outlets(click_ctx: click.Context, as_json: bool) -> None:
    """List registered and seen outlets; `outlets import FILE` adds to the registry."""
    if click_ctx.invoked_subcommand is not None:
        return
    ctx = click_ctx.ensure_object(Context)
    with ctx.workspace(create=False) as ws:
        rows = ws.outlets()
    _show(rows, as_json, "outlets.text:outlets_table")


@outlets.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@pass_ctx
def outlets_import(ctx: Context, path: Path) -> None:
    """Import outlets from a CSV (name, domains, ...; other columns are labels) or TOML file."""
    with ctx.workspace() as ws:
        report = ws.import_outlets(path)
    for rej in report.rejected:
        _report_reject(rej)
    click.echo(f"outlets: {report.summary()}")
    sys.exit(1 if report.rejected else 0)


@cli.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def outlet(ctx: Context, name: str, as_json: bool) -> None:
    """Show one outlet (by name, id or domain): its stories and its record."""
    with ctx.workspace(create=False) as ws:
        data = ws.outlet(name)
    if data is None:
        raise click.ClickException(f"no outlet {name!r} (see `newsprism outlets`)")
    _show(data, as_json, "outlets.text:outlet_text")


@cli.command()
@click.option("--by", "attribute", default="lean", show_default=True, help="Outlet attribute.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def blindspots(ctx: Context, attribute: str, as_json: bool) -> None:
    """Stories covered only by outlets of one value of an attribute (lean, country, ...)."""
    with ctx.workspace(create=False) as ws:
        rows = ws.blindspots(attribute)
    _show(rows, as_json, "outlets.text:blindspots_table", attribute)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.01),
    default=None,
    help="Seconds between polls of a feed (default: the watch_interval setting).",
)
@click.option(
    "--cycles",
    type=click.IntRange(min=1),
    default=None,
    help="Poll this many times, then exit (default: until Ctrl-C or SIGTERM).",
)
@click.option("--fetch", is_flag=True, help="Fetch each new entry's page (robots.txt obeyed).")
@pass_ctx
def watch(
    ctx: Context, sources: tuple[str, ...], interval: float | None, cycles: int | None, fetch: bool
) -> None:
    """Follow feeds: poll SOURCES (feed URLs, or files listing them with an outlet name),
    ingest, analyse and cluster what is new, and log what changed in each story."""
    from .watch.cli import run_watch

    sys.exit(run_watch(ctx.workspace, sources, interval, cycles, fetch))


@cli.command("settings")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def settings_cmd(ctx: Context, as_json: bool) -> None:
    """List every setting with its current value, default and help."""
    current = load_settings(ctx.overrides, ctx.config)
    rows = [
        {"name": s.name, "value": current[s.name], "default": s.default, "help": s.help}
        for s in SETTINGS
    ]
    if as_json:
        _dump(rows)
        return
    width = max(len(s.name) for s in SETTINGS)
    for row in rows:
        click.echo(f"{row['name']:<{width}}  {row['value']!s:<24} {row['help']}")


def _late_db(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
    if value is not None:
        ctx.find_object(Context).db = value  # type: ignore[union-attr]


def _late_set(ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> None:
    if value:
        ctx.find_object(Context).overrides.update(parse_assignments(value))  # type: ignore[union-attr]


def _late_config(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.find_object(Context).config = value  # type: ignore[union-attr]


def _late_quiet(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.find_object(Context).quiet = True  # type: ignore[union-attr]


def _all_commands(group: click.Group) -> list[click.Command]:
    """Every command below `group`, sub-groups (`outlets`) and their commands included."""
    found: list[click.Command] = []
    for command in group.commands.values():
        found.append(command)
        if isinstance(command, click.Group):
            found.extend(_all_commands(command))
    return found


def _global_options_after_command() -> None:
    """Let every command take the global options after its name too (issue 14: the
    README's `newsprism ingest x.jsonl --db my.db` failed with "No such option").

    The group runs before a command parses its own options, so these callbacks update
    the group's `Context`: an option after the command wins over the same one before.
    """
    for command in _all_commands(cli):
        command.params.extend(
            [
                click.Option(
                    ["--db"],
                    metavar="PATH",
                    callback=_late_db,
                    expose_value=False,
                    help="SQLite database file (also accepted before the command).",
                ),
                click.Option(
                    ["--set", "late_set"],
                    multiple=True,
                    metavar="NAME=VALUE",
                    callback=_late_set,
                    expose_value=False,
                    help="Override a setting (repeatable; also before the command).",
                ),
                click.Option(
                    ["--config"],
                    type=click.Path(dir_okay=False, path_type=Path),
                    callback=_late_config,
                    expose_value=False,
                    help="TOML settings file (also accepted before the command).",
                ),
                click.Option(
                    ["--quiet", "-q"],
                    is_flag=True,
                    callback=_late_quiet,
                    expose_value=False,
                    help="No progress output.",
                ),
            ]
        )


_global_options_after_command()


def main() -> None:
    """Entry point: map newsprism errors to exit code 2 with a one-line message."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(2)
    except NewsprismError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
