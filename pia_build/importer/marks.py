"""Read choices ``[選択値]``, checkboxes ``[○]`` and ``( ) 件`` counts from a printed cell.

Every rendering seen in published text means the same thing (form-full.md §5.3): ``[○]``,
``[O]``, ``[〇]`` and ``<input checked>`` are ticked; ``<input type="radio">`` is ticked (003 uses a
bare radio for a ticked box); ``[]``, ``[ ]`` and a plain ``<input type="checkbox">`` are empty.
Option texts are compared with the form's option list, never with the printed list, which may
be scrambled or truncated.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from pia_build.core.labels import normalise
from pia_build.forms.spec import Option

_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_BRACKET = re.compile(r"\[([^\[\]]*)\]")
_BOX = re.compile(r"\[\s*([○〇OoＯ]?)\s*\]")
_COUNT = re.compile(r"[(（]\s*[^()（）0-9]*?([0-9]+)\s*[)）]\s*件")
OPTIONS_HEAD = re.compile(r"[<＜]選択肢[>＞]")
"""The ``<選択肢>`` caption of a printed option list."""
_NUMBER = re.compile(r"(?:^|\s)[0-9]+\)\s*")
ON, OFF = "\ue001", "\ue002"
BOXES = "(a list of boxes)"
"""``Picked.printed`` of a choice read from boxes; a misprinted option keeps its own text."""


@dataclass(frozen=True)
class Picked:
    """An option read from a cell."""

    label: str
    """The option label as the form prints it."""
    detail: str = ""
    """Text of a ``( )`` option."""
    count: int | None = None
    """Number of a ``( ) 件`` option."""
    checked: bool = True
    """The box is ticked (always True for a choice)."""
    printed: str = ""
    """The text as printed, when it differs from the label (a misprint or garbled rendering)."""


def _input_mark(match: re.Match[str]) -> str:
    tag = match.group().lower()
    return ON if "checked" in tag or "radio" in tag else OFF


def plain(text: str) -> str:
    """Return cell text with inputs turned into ``[○]``/``[ ]`` and other tags removed."""
    text = _INPUT.sub(_input_mark, text)
    text = _TAG.sub(" ", text)
    text = re.sub(rf"\[\s*{ON}\s*\]", "[○]", text)
    text = re.sub(rf"\[\s*{OFF}\s*\]", "[ ]", text)
    text = re.sub(rf"\[\s*[{ON}{OFF}]\s*", "[", text)  # a stray input inside a choice's brackets
    text = re.sub(rf"{ON}\s*", "[○] ", text)
    text = re.sub(rf"{OFF}\s*", "[ ] ", text)
    return re.sub(r"[ \t\u3000]+", " ", text).strip()


def options_only(text: str, options: tuple[Option, ...]) -> bool:
    """Return True when a cell holds nothing but (part of) a printed option list (1) … 2) …)."""
    body = OPTIONS_HEAD.sub(" ", plain(text)).strip()
    if not body or "[" in body:
        return False
    labels = {normalise(o.label) for o in options}
    return all(p in labels for p in listed_options(body))


def listed_options(body: str) -> list[str]:
    """Return the normalised option labels of a printed list (``1) 実施する 2) 実施しない``)."""
    return [p for p in (normalise(x) for x in _NUMBER.split(" " + body)) if p]


def match_option(text: str, options: tuple[Option, ...]) -> tuple[Option | None, str, bool]:
    """Return (option, text after its label, fuzzy) for a printed option text."""
    wanted = normalise(text)
    for option in sorted(options, key=lambda o: -len(o.label)):
        label = normalise(option.label)
        if wanted == label:
            return option, "", False
        if wanted.startswith(label) and (option.detail or option.count):
            return option, _after_label(text, option.label), False
    labels = {normalise(o.label): o for o in options}
    close = difflib.get_close_matches(wanted, list(labels), 1, 0.9)
    return (labels[close[0]], "", True) if close else (None, "", False)


def _after_label(text: str, label: str) -> str:
    """Return what follows an option's label in printed text (its ( ) detail or count)."""
    target = normalise(label)
    for index in range(len(text) + 1):
        if normalise(text[:index]) == target:
            return text[index:].strip()
    return ""


def read_count(text: str) -> int | None:
    """Return the number printed as ``(n) 件``, or None."""
    match = _COUNT.search(plain(text))
    return int(match.group(1)) if match else None


def read_choice(text: str, options: tuple[Option, ...]) -> Picked | None:
    """Return the chosen option of a ``[選択値] <選択肢> …`` cell, or None when none is chosen."""
    body = plain(text)
    for content in _BRACKET.findall(body):
        content = content.strip()
        if content and content not in "○〇OoＯ":
            option, rest, fuzzy = match_option(content, options)
            if option is not None:
                return _pick(option, rest, content if fuzzy else "")
    return _outside_brackets(body, options) or _garbled(body, options)


def _pick(option: Option, rest: str, printed: str, checked: bool = True) -> Picked:
    """Return a Picked with the ( ) detail or count found after the label."""
    count = read_count(rest) if option.count else None
    detail = ""
    if option.detail and (inner := re.match(r"^[(（](.*)[)）]$", rest.strip())):
        detail = inner.group(1).strip()
    return Picked(option.label, detail, count, checked, printed)


def _outside_brackets(body: str, options: tuple[Option, ...]) -> Picked | None:
    """Read ``[] 十分である <選択肢>``: the value printed after empty brackets (003 Ⅲ-6)."""
    match = re.match(r"^\s*\[\s*\]\s*([^<＜\[]+?)\s*(?:[<＜]選択肢|$)", body)
    if match is None:
        return None
    option, rest, _ = match_option(match.group(1), options)
    return _pick(option, rest, "") if option else None


def _garbled(body: str, options: tuple[Option, ...]) -> Picked | None:
    """Read a choice printed as boxes: the first box repeats the chosen option (001 Ⅱ-5 ④),
    or one empty box stands before it (003 Ⅱ-3 ⑦ 使用者数)."""
    marks = read_marks(body)
    leading = [_leading_option(text, options)[0] for _, text in marks]
    found = [option for option in leading if option is not None]
    if found and (len(marks) == 1 or found[0] in found[1:]) and leading[0] is found[0]:
        rest = _leading_option(marks[0][1], options)[1]
        return _pick(found[0], rest if found[0].detail else "", BOXES)
    ticked = [o for (checked, _), o in zip(marks, leading, strict=True) if checked and o]
    if len(ticked) == 1 and len(found) >= 2:
        return Picked(ticked[0].label, printed=BOXES)
    return None


def read_marks(text: str) -> list[tuple[bool, str]]:
    """Return (ticked, text after the box) for every box of a cell."""
    pieces = _BOX.split(plain(text))
    return [(bool(pieces[i]), pieces[i + 1].strip()) for i in range(1, len(pieces) - 1, 2)]


def read_multi(text: str, options: tuple[Option, ...]) -> tuple[list[Picked], list[str]]:
    """Return every box of a checkbox cell matched to the form's options, and what was odd."""
    picked: list[Picked] = []
    notes: list[str] = []
    groups = {o.group for o in options if o.group}
    for checked, printed in read_marks(text):
        body = _drop_groups(printed, groups)
        option, rest, fuzzy = match_option(body, options)
        if option is None:
            option, rest, fuzzy = _leading_option(body, options)
        if option is None:
            notes.append(f"'{printed}' is not an option")
            continue
        pick = _pick(option, rest, body if fuzzy else "", checked)
        notes += _unboxed(rest, options, option)
        picked.append(pick)
    return picked, notes


def _drop_groups(text: str, groups: set[str]) -> str:
    """Remove option-group headings (・識別情報) printed between the boxes."""
    for group in groups:
        text = re.sub(rf"[・･]\s*{re.escape(group)}", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _leading_option(text: str, options: tuple[Option, ...]) -> tuple[Option | None, str, bool]:
    """Match an option at the start of ``text`` that is followed by other words."""
    wanted = normalise(text)
    for option in sorted(options, key=lambda o: -len(o.label)):
        if wanted.startswith(normalise(option.label)):
            return option, _after_label(text, option.label), False
    return None, "", False


def _unboxed(rest: str, options: tuple[Option, ...], picked: Option) -> list[str]:
    """Report option labels printed after another option without a box of their own."""
    if not rest or re.match(r"^[(（].*[)）]\s*(件)?$", rest):
        return []
    words = normalise(rest)
    lost = [normalise(o.label) for o in options if o is not picked and normalise(o.label) in words]
    lost = [label for label in lost if not any(label != other and label in other for other in lost)]
    return [f"'{label}' is printed without a box; read as not checked" for label in lost]


def flag_state(text: str, label: str) -> bool | None:
    """Return the state of the box printed before ``label`` in a cell, or None."""
    wanted = normalise(label)
    for checked, printed in read_marks(text):
        if normalise(printed).startswith(wanted):
            return checked
    return None


def labelled_detail(text: str, label: str) -> str | None:
    """Return the text of ``(label: …)`` printed after a choice (Ⅴ ③ 手数料額、納付方法)."""
    body = plain(text)
    start = re.search(rf"[(（]\s*{re.escape(label)}\s*[:：]", body)
    if start is None:
        return None
    inner = body[start.end() :].strip()
    return re.sub(r"[)）]\s*$", "", inner).strip()


def options_text(text: str) -> str:
    """Return a cell without its ``<選択肢>`` head (for messages)."""
    return OPTIONS_HEAD.sub("", plain(text)).strip()
