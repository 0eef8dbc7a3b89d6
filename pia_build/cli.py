"""Command line: parse arguments, call one library function, print, return an exit code.

Exit codes: 0 ok, 1 problems in the sources, 2 usage or project errors.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path

from pia_build import __version__
from pia_build.cli_adopt import add_adopt_commands
from pia_build.cli_text import localise, root_argument
from pia_build.core.config import ConfigError, load_config
from pia_build.core.diagnostics import FORMATTERS, has_errors, summary
from pia_build.core.i18n import Language, language, say

ONLY = "only this evaluation (its folder name); default: all"

QUICK = 0.05
"""Seconds of quiet before ``pia serve`` shows a change: one save's several file events."""
SETTLED = 0.01
"""The same once every file written was closed again (the editor is done saving)."""
SWITCH = 0.001
"""Seconds a Python thread runs before another waiting one may take over, in ``pia serve``."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``pia`` command (messages in the language of pia.toml or LANG)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = language(root_argument(argv))
    args = localise(_parser(), lang).parse_args(argv)
    args.lang = lang
    try:
        return int(args.run(args))
    except ConfigError as exc:
        for problem in exc.diagnostics:
            print(problem.render(lang), file=sys.stderr)
        print(f"pia: {say(str(exc), lang)}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pia", description="Build 特定個人情報保護評価書 from Markdown and YAML."
    )
    parser.add_argument("--root", default=".", help="project root (the folder holding content/)")
    parser.add_argument("--version", action="version", version=f"pia {__version__}")
    commands = parser.add_subparsers(required=True, metavar="command")
    _add_build_commands(commands)
    _add_review_commands(commands)
    _add_project_commands(commands)
    add_adopt_commands(commands)
    return parser


def _add_build_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    build = commands.add_parser("build", help="check content/ and write the site into output/site")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument(
        "--formats", help="comma-separated output formats (default: formats in pia.toml, else all)"
    )
    build.add_argument("--no-search", action="store_true", help="keep the last search index")
    build.add_argument(
        "--for",
        dest="build_for",
        choices=("review", "submission"),
        help="submission: PDF and DOCX without clause provenance marks (default: pia.toml build_for)",
    )
    build.add_argument(
        "-j", "--jobs", type=int, default=0, help="worker processes (default: cores)"
    )
    build.add_argument(
        "--executor",
        choices=("process", "serial", "dask"),
        default="process",
        help="how jobs run (default: process)",
    )
    build.add_argument("evaluation", nargs="*", help=ONLY)
    build.add_argument(
        "--scheduler", default="", help="dask scheduler address, with --executor dask"
    )
    build.set_defaults(run=_build)
    check = commands.add_parser("check", help="validate content/ and report every problem")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument(
        "--format",
        choices=("text", "json", "gcc"),
        default="text",
        help="gcc: file:line:column: severity: message, for editors' problem matchers",
    )
    check.add_argument("--watch", action="store_true", help="check again after every change")
    check.add_argument("evaluation", nargs="*", help=ONLY)
    check.add_argument(
        "-j", "--jobs", type=int, default=0, help="worker processes (default: cores)"
    )
    check.add_argument(
        "--since",
        metavar="REV",
        help="also check the changes since REV: 提出時期 given, ※ explained",
    )
    check.set_defaults(run=_check)


def _add_review_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    publish = commands.add_parser("publish", help="check strictly, then tag a published version")
    publish.add_argument("evaluation", help="folder name of the evaluation")
    publish.set_defaults(run=_publish)
    diff = commands.add_parser(
        "diff", help="item-level diff for review: Markdown or an HTML redline"
    )
    diff.add_argument(
        "rev_a", nargs="?", help="base revision (default: where the branch left main)"
    )
    diff.add_argument("rev_b", nargs="?", help="revision to compare (default: the working tree)")
    diff.add_argument(
        "--format", choices=("markdown", "html"), default="markdown", help="output format"
    )
    diff.add_argument("-o", "--output", help="write to this file instead of standard output")
    diff.set_defaults(run=_diff)


def _add_project_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    new = commands.add_parser("new", help="write a blank evaluation with every item of its form")
    new.add_argument("id", help="folder name of the new evaluation")
    new.add_argument(
        "--form",
        required=True,
        choices=("full", "focused", "basic"),
        help="which form: full (全項目), focused (重点項目) or basic (基礎項目)",
    )
    new.add_argument(
        "--org", help="org profile id in content/orgs (default: default_org in pia.toml)"
    )
    new.set_defaults(run=_new)
    status = commands.add_parser(
        "status", help="per evaluation and part: items filled, empty, required but empty; warnings"
    )
    status.add_argument("evaluation", nargs="*", help=ONLY)
    status.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    status.set_defaults(run=_status)
    org = commands.add_parser("org", help="organisation profiles")
    org_commands = org.add_subparsers(required=True, metavar="command")
    org_new = org_commands.add_parser("new", help="write an organisation profile to fill in")
    org_new.add_argument("id", help="id of the new profile (its file name)")
    org_new.set_defaults(run=_org_new)
    schema = commands.add_parser(
        "schema", help="write JSON Schemas of the front matter for editors"
    )
    schema.add_argument("--out", default="schemas", help="folder to write into (default: schemas)")
    schema.set_defaults(run=_schema)
    move = commands.add_parser("migrate", help="move an evaluation to another edition of its form")
    move.add_argument("id", help="folder name of the evaluation")
    move.add_argument("--to", required=True, help="the edition, e.g. 令和6年10月")
    move.set_defaults(run=_migrate)
    imp = commands.add_parser("import", help="import a published evaluation (PDF or its text)")
    imp.add_argument("file", help="the PDF, or its text: tab cells, pdftotext -layout or raw")
    imp.add_argument("--id", required=True, help="folder name of the new evaluation")
    imp.add_argument("--org", help="org profile id in content/orgs")
    force = "replace files that exist; write an input that is not understood anyway"
    imp.add_argument("--force", action="store_true", help=force)
    imp.set_defaults(run=_import)
    folio = commands.add_parser(
        "portfolio", help="every evaluation's due dates, open changes and flags, for one day"
    )
    folio.add_argument("--format", choices=("table", "json", "csv"), default="table")
    folio.add_argument("--date", help="the day to compute for, YYYY-MM-DD (default: today, JST)")
    folio.add_argument("--pdf", metavar="FILE", help="also write the risk overview report as PDF")
    folio.add_argument("--xlsx", metavar="FILE", help="also write the portfolio as a workbook")
    folio.set_defaults(run=_portfolio)
    serve = commands.add_parser("serve", help="build, serve output/site locally, rebuild on change")
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    serve.add_argument(
        "--formats", default="html,pdf,docx", help="comma-separated output formats (default: all)"
    )
    serve.set_defaults(run=_serve)


def _report(diagnostics: list, lang: Language, fmt: str = "text", checked: int = -1) -> int:
    """Print the diagnostics and the closing line (a clean check says so); return the exit code."""
    sys.stdout.write(FORMATTERS[fmt](diagnostics, lang))
    if fmt == "text" and diagnostics:
        print(summary(diagnostics, lang), file=sys.stderr)
    elif fmt == "text" and checked >= 0:
        clean = f"no problems in {checked} evaluation{'s' * (checked != 1)}"
        print(say(clean, lang), file=sys.stderr)
    return 1 if has_errors(diagnostics) else 0


def _check(args: argparse.Namespace) -> int:
    from pia_build.building.checking import check_sources, selected_folders
    from pia_build.building.executors import make_executor

    config = load_config(args.root)
    executor = make_executor("process", args.jobs or None, fork=True)  # checks only
    if args.watch:
        from pia_build.building.checking import watch_check

        return watch_check(config, args.strict, args.format, executor, args.lang)
    count = len(selected_folders(config, args.evaluation))
    if not args.since:
        diagnostics = check_sources(config, args.strict, executor, only=args.evaluation)
        return _report(diagnostics, args.lang, args.format, count)
    from pia_build.building.build import check
    from pia_build.review import important_changes

    result = check(config, strict=args.strict, since=args.since, only=args.evaluation)
    code = _report(result.diagnostics, args.lang, args.format, count)
    if args.format == "text":
        sys.stderr.write(important_changes(result.changes))
    return code


def _publish(args: argparse.Namespace) -> int:
    from pia_build.publish import publish

    result = publish(load_config(args.root), args.evaluation)
    code = _report(result.diagnostics, args.lang)
    if result.tag:
        done = (
            f"published {args.evaluation} as {result.tag}; share it: git push origin {result.tag}"
        )
        print(say(done, args.lang))
    return code


def _diff(args: argparse.Namespace) -> int:
    from pia_build.review import diff_report

    if args.output and not Path(args.output).parent.is_dir():
        wrong = f"{Path(args.output).parent} is not a folder; nothing was written"
        print(f"pia diff: {say(wrong, args.lang)}", file=sys.stderr)
        return 2
    data = diff_report(load_config(args.root), args.rev_a, args.rev_b, args.format)
    if args.output:
        Path(args.output).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def _build(args: argparse.Namespace) -> int:
    from pia_build.building.build import build
    from pia_build.building.executors import make_executor

    config = load_config(args.root)
    if args.build_for:
        settings = dataclasses.replace(config.settings, build_for=args.build_for)
        config = dataclasses.replace(config, settings=settings)
    executor = make_executor(args.executor, args.jobs or None, args.scheduler)
    formats = args.formats.split(",") if args.formats else config.settings.formats
    result = build(config, args.strict, formats, executor, not args.no_search, args.evaluation)
    for note in result.notes:
        print(f"pia build: {say(note, args.lang)}", file=sys.stderr)
    code = _report(result.diagnostics, args.lang)
    done = f"rendered {len(result.rendered)}, wrote {len(result.written)} files, removed {len(result.removed)}"
    print(say(f"{done} in {config.output}", args.lang))
    return code


def _new(args: argparse.Namespace) -> int:
    from pia_build.scaffold import ScaffoldError, new_evaluation

    config = load_config(args.root)
    try:
        org = args.org or config.settings.default_org
        if not org:
            raise ScaffoldError("say which org profile: --org <id>, or default_org in pia.toml")
        paths = new_evaluation(config, args.id, args.form, org)
    except ScaffoldError as exc:
        print(f"pia new: {say(str(exc), args.lang)}", file=sys.stderr)
        return 2
    for path in paths:
        print(path)
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from pia_build.migrate import MigrateError, migrate

    config = load_config(args.root)
    try:
        done = migrate(config, args.id, args.to)
    except MigrateError as exc:
        print(f"pia migrate: {say(str(exc), args.lang)}", file=sys.stderr)
        return 2
    for path in done.written:
        print(say(f"rewrote {path.relative_to(config.root).as_posix()}", args.lang))
    sys.stdout.write(FORMATTERS["text"](list(done.notes), args.lang))
    left = f"{args.id} is on the {done.edition} edition; {len(done.notes)} item(s) need you"
    print(say(left, args.lang))
    return 0


def _org_new(args: argparse.Namespace) -> int:
    from pia_build.scaffold import ScaffoldError, new_org

    try:
        path = new_org(load_config(args.root), args.id)
    except ScaffoldError as exc:
        print(f"pia org new: {say(str(exc), args.lang)}", file=sys.stderr)
        return 2
    print(path)
    return 0


def _status(args: argparse.Namespace) -> int:
    from pia_build.status import format_status, status

    rows = status(load_config(args.root), args.evaluation)
    sys.stdout.write(format_status(rows, args.format, args.lang))
    return 0


def _import(args: argparse.Namespace) -> int:
    from pia_build.importer import (
        ImportExists,
        ImportFailed,
        ImportNotUnderstood,
        import_evaluation,
    )

    config = load_config(args.root)
    try:
        result = import_evaluation(config, Path(args.file), args.id, args.org, args.force)
    except ImportNotUnderstood as exc:
        sys.stdout.write(exc.result.summary(args.lang))
        print(f"pia import: {say(str(exc), args.lang)}", file=sys.stderr)
        return 1
    except (ImportExists, ImportFailed) as exc:
        print(f"pia import: {say(str(exc), args.lang)}", file=sys.stderr)
        return 2
    sys.stdout.write(result.summary(args.lang))
    return 0


def _schema(args: argparse.Namespace) -> int:
    from pia_build.schema import write_schemas

    for path in write_schemas(Path(args.root) / args.out):
        print(path)
    return 0


def _portfolio(args: argparse.Namespace) -> int:
    import datetime as dt

    from pia_build.building.portfolio import portfolio, portfolio_files
    from pia_build.site.portfolio_data import to_csv, to_json, to_table

    try:
        day = dt.date.fromisoformat(args.date) if args.date else None
    except ValueError:
        wrong = f"--date {args.date} is not a date (YYYY-MM-DD)"
        print(f"pia portfolio: {say(wrong, args.lang)}", file=sys.stderr)
        return 2
    config = load_config(args.root)
    rows, today = portfolio(config, day)
    writers = {"json": lambda: to_json(rows, today), "csv": lambda: to_csv(rows)}
    sys.stdout.write(writers.get(args.format, lambda: to_table(rows, today))())
    for path, data in portfolio_files(config, rows, today, args.pdf, args.xlsx):
        Path(path).write_bytes(data)
        print(say(f"wrote {path}", args.lang), file=sys.stderr)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from pia_build.building.executors import make_executor
    from pia_build.building.preview import Preview
    from pia_build.site.serve import DevServer
    from pia_build.site.watch import watch_changes

    config = load_config(args.root)
    server = DevServer(config.output / "site", port=args.port)
    formats = args.formats.split(",")
    # the page's threads (watcher, quick step, requests) take Python's lock back from a
    # background build within a millisecond instead of five
    sys.setswitchinterval(SWITCH)
    preview = Preview(config, server, formats, executor=make_executor("process"))
    preview.start()
    with server:
        ready = lambda: print(say(f"serving {server.url}", args.lang), flush=True)  # noqa: E731
        watch_changes(config, preview.changed, QUICK, on_ready=ready, settle=SETTLED)
    preview.stop()
    return 0
