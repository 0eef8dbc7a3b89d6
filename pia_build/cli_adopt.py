"""The commands a body uses to adopt pia: ``pia init`` and ``pia clauses`` (thin, as ``cli``)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from pia_build.core.i18n import say

Commands = argparse._SubParsersAction  # type: ignore[type-arg]
QUESTIONS = (
    ("org_id", "org profile id (lower-case letters, digits, - and _; e.g. chiba)"),
    ("body_name", "団体名 (e.g. 千葉市)"),
    ("org_name", "評価実施機関名 (e.g. 千葉市長)"),
)


def add_adopt_commands(commands: Commands) -> None:
    """Add ``init`` and ``clauses`` to the ``pia`` command."""
    init = commands.add_parser("init", help="make a new repository of evaluations")
    init.add_argument("dir", nargs="?", default=".", help="folder to make it in (default: here)")
    init.add_argument("--org-id", help="org profile id, e.g. chiba")
    init.add_argument("--body-name", help="団体名, e.g. 千葉市")
    init.add_argument("--org-name", help="評価実施機関名, e.g. 千葉市長")
    init.add_argument(
        "--title", default="", help="site title (default: <団体名> 特定個人情報保護評価書)"
    )
    init.add_argument("--base-url", default="", help="where the site will be published")
    init.add_argument(
        "--vscode",
        action="store_true",
        help="also .vscode/ settings (front matter schemas) and a pia check --watch task",
    )
    init.add_argument(
        "--force", action="store_true", help="add the missing files to a non-empty folder"
    )
    init.add_argument(
        "--requirement",
        default="",
        help="what CI and pre-commit install (default: pia-build==<this version>; a wheel URL works)",
    )
    init.set_defaults(run=run_init)
    clauses = commands.add_parser("clauses", help="list every clause: origin, version, users")
    clauses.set_defaults(run=run_clauses)


def run_init(args: argparse.Namespace) -> int:
    """``pia init``: ask what the flags did not say, write the files, list them."""
    from pia_build.starter import Answers, InitError, init_project

    given = {"org_id": args.org_id, "body_name": args.body_name, "org_name": args.org_name}
    for key, question in QUESTIONS:
        if not given[key]:
            if not sys.stdin.isatty():
                give = f"give --{key.replace('_', '-')} ({question})"
                print(f"pia init: {say(give, args.lang)}", file=sys.stderr)
                return 2
            given[key] = input(f"{question}: ").strip()
    answers = Answers(**given, title=args.title, base_url=args.base_url)
    if args.requirement:
        answers = replace(answers, requirement=args.requirement)
    try:
        written = init_project(Path(args.dir), answers, args.force, args.vscode)
    except InitError as exc:
        print(f"pia init: {say(str(exc), args.lang)}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    print(say(f"next: cd {args.dir} && pia new <id> --form full", args.lang), file=sys.stderr)
    return 0


def run_clauses(args: argparse.Namespace) -> int:
    """``pia clauses``: the clause inventory as a table."""
    from pia_build.core.config import load_config
    from pia_build.inventory import clause_inventory, format_inventory

    sys.stdout.write(format_inventory(clause_inventory(load_config(args.root)), args.lang))
    return 0
