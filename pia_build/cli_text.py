"""The command line in the author's language: help texts translated from the catalogue."""

from __future__ import annotations

import argparse
import functools
import sys
from typing import NoReturn

from pia_build.core.i18n import Language, say

HELP_OPTION = "show this help message and exit"


def root_argument(argv: list[str]) -> str:
    """Return the value of --root in ``argv`` (before parsing: help texts need the language)."""
    for index, arg in enumerate(argv):
        if arg == "--root" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--root="):
            return arg.split("=", 1)[1]
    return "."


class JapaneseFormatter(argparse.HelpFormatter):
    """argparse's help layout with a Japanese usage line."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        """Start the usage line with 使い方 instead of usage."""
        super().add_usage(usage, actions, groups, "使い方: ")


def localise(parser: argparse.ArgumentParser, lang: Language) -> argparse.ArgumentParser:
    """Translate the help texts of ``parser`` and of its subcommands in place; return it."""
    if lang == "en":
        return parser
    parser.description = say(parser.description, lang) if parser.description else None
    for action in parser._actions:  # argparse keeps no public list of them
        if action.help == HELP_OPTION:
            action.help = "このヘルプを表示して終了する"
        elif action.help:
            action.help = say(action.help, lang)
        for choice in getattr(action, "_choices_actions", ()):
            choice.help = say(choice.help or "", lang)
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                localise(sub, lang)
    parser.formatter_class = JapaneseFormatter
    parser.error = functools.partial(_error, parser)  # type: ignore[method-assign]
    parser._optionals.title = "オプション"
    parser._positionals.title = "引数"
    return parser


def _error(parser: argparse.ArgumentParser, message: str) -> NoReturn:
    """Print argparse's usage error (missing argument, invalid choice …) in Japanese; exit 2."""
    parser.print_usage(sys.stderr)
    parser.exit(2, f"{parser.prog}: エラー: {say(message, 'ja')}\n")
