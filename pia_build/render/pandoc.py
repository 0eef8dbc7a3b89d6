"""The only caller of pandoc: finds it through pypandoc, checks its version once, converts.

Documents reach pandoc as its JSON AST, built with the node helpers below, so no author text is
ever read by a pandoc reader (no markup to escape, no reader quirks such as the spaces its
markdown reader puts between Japanese lines). The AST holds no images or includes, so pandoc
reads no file but the reference document. It runs in a temporary directory with
``SOURCE_DATE_EPOCH`` set, so the same input gives the same bytes (pandoc manual, "Reproducible
builds"). Owns no layout: ``render.docx`` decides what the document says.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from pia_build.core.wareki import build_epoch

MIN_VERSION = (3, 0)
"""pandoc 3 keeps colspan as real merged cells (``gridSpan``) in DOCX."""
FIXED_EPOCH = 946684800
"""2000-01-01T00:00:00Z: the document date when SOURCE_DATE_EPOCH is unset."""
_TIMEOUT = 120

Node = dict[str, object]
"""A pandoc AST element in its JSON form: ``{"t": type, "c": contents}``."""
TableCell = list[object]
"""A table cell: attributes, alignment, row span, column span, blocks."""


class PandocError(Exception):
    """pandoc is missing, too old, or failed on a document."""


def source_date_epoch() -> int:
    """Return the build timestamp: SOURCE_DATE_EPOCH when set, else a fixed date."""
    epoch = build_epoch()
    return FIXED_EPOCH if epoch is None else epoch


@cache
def _pandoc() -> tuple[str, str]:
    """Return pandoc's path and version, or ("", why it cannot be used); checked once."""
    try:
        import pypandoc
    except ImportError:
        return "", "DOCX output is disabled: it needs pandoc (pip install pypandoc-binary)"
    try:
        path, version = pypandoc.get_pandoc_path(), pypandoc.get_pandoc_version()
    except OSError:
        return "", "DOCX output is disabled: pandoc was not found (pip install pypandoc-binary)"
    numbers = tuple(int(part) for part in version.split(".")[:2] if part.isdigit())
    if numbers < MIN_VERSION:
        return "", f"DOCX output is disabled: it needs pandoc >= 3.0, found {version}"
    return path, version


def disabled_message() -> str | None:
    """Return why pandoc cannot be used here, or None when it can."""
    path, why = _pandoc()
    return None if path else why


def version() -> str:
    """Return the pandoc version (for build records); raise PandocError when disabled."""
    return _require()[1]


def _require() -> tuple[str, str]:
    path, detail = _pandoc()
    if not path:
        raise PandocError(detail)
    return path, detail


def run(args: Sequence[str], stdin: bytes = b"") -> bytes:
    """Run pandoc with ``args`` in a temporary directory and return what it printed."""
    path, _ = _require()
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(source_date_epoch()))
    with tempfile.TemporaryDirectory(prefix="pia-pandoc-") as tmp:
        try:
            done = subprocess.run(
                [path, *args], input=stdin, capture_output=True, cwd=tmp, env=env, timeout=_TIMEOUT
            )
        except subprocess.TimeoutExpired as exc:
            raise PandocError(f"pandoc took longer than {_TIMEOUT} s") from exc
    if done.returncode:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise PandocError(f"pandoc failed ({done.returncode}): {message}")
    return done.stdout


@cache
def api_version() -> list[int]:
    """Return the AST version this pandoc reads and writes (asked once)."""
    empty = json.loads(run(["--from=markdown", "--to=json"]))
    return list(empty["pandoc-api-version"])


def to_docx(blocks: list[Node], meta: dict[str, Node], reference: Path) -> bytes:
    """Return the DOCX of an AST, styled by the ``reference`` document."""
    doc = {"pandoc-api-version": api_version(), "meta": meta, "blocks": blocks}
    data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # Not --sandbox: pandoc 3.9 then ignores SOURCE_DATE_EPOCH and dates every file 1970.
    args = ["--from=json", "--to=docx", f"--reference-doc={reference.resolve()}"]
    return run([*args, "--output=-"], data)


def default_data_file(name: str) -> bytes:
    """Return one of pandoc's default data files (``reference.docx``)."""
    return run([f"--print-default-data-file={name}"])


# --------------------------------------------------------------------------- AST nodes


def _attr(ident: str = "", classes: Iterable[str] = (), style: str = "") -> list[object]:
    """Return an Attr; ``style`` becomes ``custom-style``, which the DOCX writer maps to a style."""
    return [ident, list(classes), [["custom-style", style]] if style else []]


def text(value: str) -> Node:
    return {"t": "Str", "c": value}


def space() -> Node:
    return {"t": "Space"}


def line_break() -> Node:
    return {"t": "LineBreak"}


def inline(kind: str, inlines: list[Node]) -> Node:
    """Return an Emph, Strong or Strikeout."""
    return {"t": kind, "c": inlines}


def code(value: str) -> Node:
    return {"t": "Code", "c": [_attr(), value]}


def link(inlines: list[Node], url: str, title: str = "") -> Node:
    return {"t": "Link", "c": [_attr(), inlines, [url, title]]}


def span(inlines: list[Node], ident: str = "") -> Node:
    return {"t": "Span", "c": [_attr(ident), inlines]}


def para(inlines: list[Node]) -> Node:
    return {"t": "Para", "c": inlines}


def plain(inlines: list[Node]) -> Node:
    return {"t": "Plain", "c": inlines}


def header(level: int, inlines: list[Node], ident: str = "") -> Node:
    return {"t": "Header", "c": [level, _attr(ident), inlines]}


def div(blocks: list[Node], style: str = "", classes: Iterable[str] = ()) -> Node:
    """Return a Div; every paragraph inside takes the paragraph style ``style``."""
    return {"t": "Div", "c": [_attr("", classes, style), blocks]}


def styled(style: str, inlines: list[Node]) -> Node:
    """Return one paragraph in the paragraph style ``style``."""
    return div([para(inlines)], style)


def bullet_list(items: list[list[Node]]) -> Node:
    return {"t": "BulletList", "c": items}


def ordered_list(items: list[list[Node]], start: int = 1, delimiter: str = "Period") -> Node:
    return {"t": "OrderedList", "c": [[start, {"t": "Decimal"}, {"t": delimiter}], items]}


def block_quote(blocks: list[Node]) -> Node:
    return {"t": "BlockQuote", "c": blocks}


def code_block(value: str) -> Node:
    return {"t": "CodeBlock", "c": [_attr(), value]}


def rule() -> Node:
    return {"t": "HorizontalRule"}


def cell(blocks: list[Node], colspan: int = 1) -> TableCell:
    """Return a table cell spanning ``colspan`` columns (a real merged cell in DOCX)."""
    return [_attr(), {"t": "AlignDefault"}, 1, colspan, blocks]


def table(
    widths: Sequence[float], head: list[list[TableCell]], body: list[list[TableCell]]
) -> Node:
    """Return a table: column widths as fractions of the text width, rows of cells."""
    specs = [[{"t": "AlignDefault"}, {"t": "ColWidth", "c": w}] for w in widths]
    head_rows = [[_attr(), cells] for cells in head]
    body_rows = [[_attr(), cells] for cells in body]
    return {
        "t": "Table",
        "c": [
            _attr(),
            [None, []],
            specs,
            [_attr(), head_rows],
            [[_attr(), 0, [], body_rows]],
            [_attr(), []],
        ],
    }


def meta_text(value: str) -> Node:
    """Return a metadata string value."""
    return {"t": "MetaInlines", "c": [text(value)]}
