"""Lines of plain pdftotext text put back together before they are read (``raw``).

Labels wrapped inside their narrow column (maybe with the value's lines printed beside their
pieces), checkboxes drawn as two pieces (``[`` … ``] 委託しない``), and LibreOffice's page
numbers, which stand alone anywhere on their page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pia_build.importer.pairing import Line

_LOOK = 3
"""How many lines after the first piece of a wrapped label its rest may be printed."""
_PIECES = 6
"""How many lines a label wrapped in a narrow column may take."""
_OPEN = re.compile(r"^\[\s*[○〇]?\s*$")
_CLOSE = re.compile(r"^\]\s*\S")


def rejoin(
    lines: list[tuple[int, str]],
    label: Callable[[str], str | None],
    prefix: Callable[[str], bool],
) -> list[tuple[int, str]]:
    """Return the lines with labels that wrapped joined again.

    A label wraps inside its narrow column (``②取扱いを委託する特定個人情`` / ``報ファイルの
    範囲``), and the drawing order may put a value line between its two pieces: the rest is
    looked for up to ``_LOOK`` lines ahead; the lines in between follow the joined label.
    """
    out: list[tuple[int, str]] = []
    index = 0
    while index < len(lines):
        number, line = lines[index]
        head, value = _head(line.strip(), label, prefix)
        rest = None
        if head and label(head) is None and (whole := _pieces(lines, index, head, label, prefix)):
            pieces = [v for v in [value, *whole[2]] if v]
            out += [(number, whole[0])] + [(number, v) for v in pieces]
            index = whole[1]
            continue
        if head and label(head) is None:
            ahead = lines[index + 1 : index + 1 + _LOOK]
            rest = next((i for i, (_, t) in enumerate(ahead) if label(head + t.strip())), None)
        if not head or (rest is None and label(head) is None):
            out.append((number, line))
            index += 1
            continue
        if rest is None:  # a whole label with its value beside it
            out += [(number, head), (number, value)] if value else [(number, head)]
            index += 1
            continue
        out.append((number, head + lines[index + 1 + rest][1].strip()))
        out += ([(number, value)] if value else []) + lines[index + 1 : index + 1 + rest]
        index += rest + 2
    return out


def boxes(run: list[Line]) -> list[Line]:
    """Return the run with checkboxes drawn in two pieces joined (``[`` … ``] 委託しない``).

    pdftotext may print the opening brackets of a column of boxes first, then the closing
    brackets with their labels, in the same order.
    """
    out: list[Line] = []
    index = 0
    while index < len(run):
        opening = index
        while index < len(run) and _OPEN.match(run[index].text):
            index += 1
        count = index - opening
        closing = run[index : index + count]
        if count and len(closing) == count and all(_CLOSE.match(c.text) for c in closing):
            for first, second in zip(run[opening:index], closing, strict=True):
                out.append(Line(first.text.strip() + " " + second.text.strip(), first.blank))
            index += count
        else:
            out += run[opening:index]
            if index < len(run):
                out.append(run[index])
            index += 1
    return out


def _pieces(
    lines: list[tuple[int, str]],
    index: int,
    head: str,
    label: Callable[[str], str | None],
    prefix: Callable[[str], bool],
) -> tuple[str, int, list[str]] | None:
    """Return (label, index after it, value pieces) for a label wrapped over consecutive lines.

    Each line may print the value's next line beside the label's next piece
    (``ルールの内容及びルール遵守の確 況を確認する。``), or on a line of its own between two
    pieces.
    """
    joined, values = head, list[str]()
    skipped = False
    for after in range(index + 1, min(index + 1 + 2 * _PIECES, len(lines))):
        text = lines[after][1].strip()
        cuts = [len(text)] + [i for i, c in enumerate(text) if c == " "]
        whole = next((c for c in cuts if label(joined + text[:c].strip()) is not None), None)
        if whole is not None:
            return joined + text[:whole].strip(), after + 1, [*values, text[whole:].strip()]
        cut = next((c for c in cuts if prefix(joined + text[:c].strip())), None)
        if cut is None and (skipped or not text):
            return None
        if cut is None:  # a value line printed between two pieces of the label
            values.append(text)
            skipped = True
            continue
        joined += text[:cut].strip()
        values.append(text[cut:].strip())
        skipped = False
    return None


def _head(
    line: str, label: Callable[[str], str | None], prefix: Callable[[str], bool]
) -> tuple[str, str]:
    """Return (label or first piece of one, value printed beside it) of a line, or ("", "")."""
    if not line or label(line) is not None:
        return "", ""
    cuts = [len(line)] + [i for i, c in enumerate(line) if c == " "]
    for cut in cuts:
        head = line[:cut].strip()
        if head and (label(head) is not None or prefix(head)):
            return head, line[cut:].strip()
    return "", ""


def page_numbers(text: str) -> set[int]:
    """Return the lines that print only their page's number, as a block of its own.

    LibreOffice's footers: last on the page, or drawn before the text still to come. Only the
    last such line of a page is furniture (評価書番号 1 is printed on page 1 too).
    """
    found: set[int] = set()
    first = 1
    for page, body in enumerate(text.split("\f"), start=1):
        lines = ["", *body.split("\n"), ""]
        alone = [
            i
            for i in range(1, len(lines) - 1)
            if lines[i].strip() == str(page) and not lines[i - 1].strip() + lines[i + 1].strip()
        ]
        found.update(first + i - 1 for i in alone[-1:])
        first += len(lines) - 2
    return found


def page_starts(text: str) -> set[int]:
    """Return the first line of every page after the first."""
    starts: set[int] = set()
    first = 1
    for body in text.split("\f"):
        if first > 1:
            starts.add(first)
        first += len(body.split("\n"))
    return starts
