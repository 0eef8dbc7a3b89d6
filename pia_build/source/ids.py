"""Evaluation ids: the folder names under content/evaluations, which become URLs and file names.

An id is one path segment of printable characters, not a name the site itself uses, and free of
the characters that break a link (``# ? %``) or a path. ``pia check`` reports a folder whose name
is not; ``pia new`` and ``pia import`` refuse such an id before writing anything.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

RESERVED = frozenset(
    {"index.html", "search", "clauses", "pagefind", "portfolio", "assets", "staff"}
    | {"schemas", "data", "feed.xml"}  # the open data (site.opendata)
)
"""Names the site's own pages and files use at its top level."""
FORBIDDEN = frozenset("#?%/\\\"'<>`|*:")
MAX_LENGTH = 100


def shown(name: str) -> str:
    """Return a name as it can be printed (bytes that are not UTF-8 as \\x.. escapes)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def id_problem(name: str) -> str:
    """Return what is wrong with ``name`` as an evaluation id, or "" when it is a good id."""
    if not name.strip():
        return "an evaluation id is needed (a folder name such as chiba-yobosesshu)"
    if name != shown(name):
        return f"the id '{shown(name)}' is not UTF-8 text; rename the folder"
    if name in (".", "..") or any(c in FORBIDDEN for c in name):
        bad = "".join(sorted({c for c in name if c in FORBIDDEN})) or name
        return f"the id '{name}' has {bad!r}: an id is one folder name without # ? % / \\ : * | quotes or < >"
    if not name.isprintable() or any(c.isspace() for c in name):
        return f"the id {name!r} has spaces or control characters; use letters, digits and -"
    if name.lower() in RESERVED:
        return f"the id '{name}' is used by the site itself ({', '.join(sorted(RESERVED))}); choose another"
    if name.startswith((".", "_")):
        return f"the id '{name}' starts with {name[0]!r}: such folders are ignored; choose another"
    if len(name) > MAX_LENGTH:
        return f"the id is longer than {MAX_LENGTH} characters"
    return ""


def inside(path: Path, base: Path) -> bool:
    """Return True when ``path`` (symlinks followed) is inside ``base``."""
    try:
        return path.resolve().is_relative_to(base.resolve())
    except (OSError, RuntimeError):
        return False


def inside_test(parent: Path, base: Path) -> Callable[[Path], bool]:
    """Return ``inside(child, base)`` for the children of ``parent``, resolving the parent and
    ``base`` once: a child that is no symlink lies where its parent does (one lstat)."""
    parent_inside = inside(parent, base)

    def test(child: Path) -> bool:
        if parent_inside and not child.is_symlink():
            return True
        return inside(child, base)

    return test
