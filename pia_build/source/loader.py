"""Read evaluation folders: UTF-8 decoding, front matter, YAML with positions, headed Markdown.

This module knows nothing of forms: it turns files into label-keyed trees that remember where
every key and value was written. Problems are returned as diagnostics, never swallowed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import yaml

from pia_build.core.diagnostics import Diagnostic, Location, error
from pia_build.core.raw import RawList, RawMap, RawValue, Scalar
from pia_build.source.ids import id_problem, inside_test, shown
from pia_build.source.shapes import SourceDoc, SourceFile

SOURCE_SUFFIXES = (".md", ".yml", ".yaml")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
# libyaml's parser when PyYAML has it (about 10× faster); both keep node positions.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NOTE = re.compile(r"^\s*<!--.*-->\s*$")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")


def load_text(path: Path, rel: str) -> tuple[str | None, list[Diagnostic]]:
    """Return the file's text, or None with a diagnostic when it is not UTF-8."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = "the file is not UTF-8 text; save it as UTF-8 (BOM optional)"
        return None, [error("file.encoding", Location(rel, line), message)]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Return (front matter, body, line number where the body starts)."""
    if not text.startswith("---\n"):
        return "", text, 1
    end = re.search(r"^(---|\.\.\.)[ \t]*$", text[4:], re.MULTILINE)
    if end is None:
        return text[4:], "", text.count("\n") + 2
    front = text[4 : 4 + end.start()]
    body = text[4 + end.end() :].removeprefix("\n")
    return front, body, front.count("\n") + 3


def load_yaml(text: str, rel: str, first_line: int) -> tuple[RawMap, list[Diagnostic]]:
    """Parse YAML into a RawMap with positions; syntax errors become diagnostics."""
    empty = RawMap((), Location(rel, first_line))
    try:
        refused = _refused(text, rel, first_line)
        if refused is not None:
            return empty, [refused]
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        return empty, [_syntax_error(exc, rel, first_line, text)]
    if node is None:
        return empty, []
    value = _convert(node, rel, first_line)
    if not isinstance(value, RawMap):
        message = "the front matter must be a mapping of item labels to values"
        return empty, [error("yaml.structure", value.location, message)]
    return value, []


MAX_DEPTH = 20
"""Deepest nesting of lists and mappings a YAML file may have (the forms need 4)."""


def _refused(text: str, rel: str, first_line: int) -> Diagnostic | None:
    """Return an error for an alias (``*name``) or nesting deeper than MAX_DEPTH, else None.

    Aliases are refused outright: expanded, a few lines can stand for billions of values
    ("billion laughs"), and one that refers to itself never ends.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        mark = event.start_mark
        where = Location(rel, first_line + (mark.line if mark is not None else 0))
        if isinstance(event, yaml.AliasEvent):
            message = (
                f"YAML aliases (*{event.anchor}) are not allowed in pia files; write the value out"
            )
            return error("yaml.alias", where, message)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                message = f"lists and mappings are nested more than {MAX_DEPTH} levels deep"
                return error("yaml.depth", where, message)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


# What PyYAML calls the construct it was reading, in an author's words.
_CONTEXTS = {
    "while parsing a flow sequence": "the [ ] list that starts here is not closed properly",
    "while parsing a flow mapping": "the { } mapping that starts here is not closed properly",
    "while scanning a quoted scalar": "the quoted text that starts here is not closed",
}


def _syntax_error(exc: yaml.YAMLError, rel: str, first_line: int, text: str = "") -> Diagnostic:
    """Return a YAML syntax error at the line where the broken construct starts."""
    problem = getattr(exc, "problem", None) or str(exc)
    mark = getattr(exc, "problem_mark", None)
    context = _CONTEXTS.get(getattr(exc, "context", None) or "")
    start = getattr(exc, "context_mark", None) if context else None
    where = start or mark
    line = first_line + where.line if where is not None else first_line
    message = f"YAML syntax error: {problem}"
    if context and mark:
        message = f"YAML syntax error: {context} ({problem} on line {first_line + mark.line})"
    hint = _author_hint(text, line - first_line) if text else None
    if hint is not None:
        return error("yaml.syntax", Location(rel, first_line + hint[0]), hint[1])
    return error("yaml.syntax", Location(rel, line), message)


def _author_hint(text: str, last: int) -> tuple[int, str] | None:
    """Return (line offset, message) for a tab or full-width colon on line ``last`` or the one before."""
    lines = text.split("\n")
    for offset in (last, last - 1):
        line = lines[offset] if 0 <= offset < len(lines) else ""
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            return offset, "YAML syntax error: this line is indented with a tab; indent with spaces"
        label = line.strip().removeprefix("- ")
        if "：" in label and ":" not in label and not label.startswith("#"):
            head = label.split("：", 1)[0]
            message = (
                f"YAML syntax error: '{head}：' has a full-width colon '：'; "
                f"write '{head}: ' with a half-width colon and a space"
            )
            return offset, message
    return None


def _convert(node: yaml.Node, rel: str, first_line: int) -> RawValue:
    """Turn a composed YAML node into Raw values with locations."""
    location = Location(rel, first_line + node.start_mark.line)
    if isinstance(node, yaml.MappingNode):
        entries = []
        for key_node, value_node in node.value:
            key_location = Location(rel, first_line + key_node.start_mark.line)
            key = _construct(key_node)
            entries.append((str(key), key_location, _convert(value_node, rel, first_line)))
        return RawMap(tuple(entries), location)
    if isinstance(node, yaml.SequenceNode):
        return RawList(tuple(_convert(n, rel, first_line) for n in node.value), location)
    return Scalar(_construct(node), location)


def _construct(node: yaml.Node) -> object:
    """Return a node's Python value; a date YAML cannot build (2025-02-30) stays its text."""
    try:
        return _CONSTRUCTOR.construct_object(node, deep=True)
    except (ValueError, OverflowError, yaml.YAMLError):
        return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def load_markdown(body: str, rel: str, first_line: int) -> tuple[RawMap, list[Diagnostic]]:
    """Turn headed Markdown into a RawMap: each heading names an item, its text is the value."""
    root: list = []
    stack: list[tuple[int, list]] = [(0, root)]
    text_lines: list[str] = []
    text_start = first_line
    problems: list[Diagnostic] = []
    fence = ""

    def flush() -> None:
        content = "\n".join(text_lines).strip("\n")
        if content.strip():
            target = stack[-1][1]
            if stack[-1][0] == 0:
                message = "this text is not under any item heading; add the item's heading above it"
                problems.append(error("markdown.orphan", Location(rel, text_start), message))
            else:
                target.append(("", Location(rel, text_start), content))
        text_lines.clear()

    for offset, line in enumerate(body.split("\n")):
        number = first_line + offset
        fence_match = _FENCE.match(line)
        if fence_match and (not fence or fence_match.group(1)[0] == fence[0]):
            fence = "" if fence else fence_match.group(1)
        heading = None if fence else _HEADING.match(line)
        if heading is None and not fence and _NOTE.match(line):
            line = ""  # a note to the author (pia new writes hints so): never part of the text
        if heading is None:
            if not any(t.strip() for t in text_lines):
                text_start = number
            text_lines.append(line)
            continue
        flush()
        level = len(heading.group(1))
        while stack[-1][0] >= level:
            stack.pop()
        children: list = []
        stack[-1][1].append((heading.group(2).strip(), Location(rel, number), children))
        stack.append((level, children))
    flush()
    return _freeze(root, Location(rel, first_line), problems), problems


def _freeze(entries: list, location: Location, problems: list[Diagnostic]) -> RawMap:
    """Turn the heading tree built by load_markdown into RawMap/Scalar values."""
    frozen: list[tuple[str, Location, RawValue]] = []
    for title, where, children in entries:
        frozen.append((title, where, _heading_value(title, children, where, problems)))
    return RawMap(tuple(frozen), location, markdown=True)


def _heading_value(
    title: str, children: list, where: Location, problems: list[Diagnostic]
) -> RawValue:
    """Return a heading's value: its text, or a map of its sub-headings."""
    texts = [c for c in children if c[0] == ""]
    subs = [c for c in children if c[0] != ""]
    if texts and subs:
        message = (
            f"the heading '{title}' (line {where.line}) has both its own text and sub-headings; "
            "move the text under an item heading"
        )
        problems.append(error("markdown.mixed", texts[0][1], message))
    if subs:
        return _freeze(subs, where, problems)
    if texts:
        return Scalar(texts[0][2], texts[0][1], markdown=True)
    return Scalar(None, where, markdown=True)


def load_file(path: Path, rel: str) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Read one evaluation file into a SourceFile."""
    text, problems = load_text(path, rel)
    if text is None:
        return None, problems
    if path.suffix in (".yml", ".yaml"):
        tree, problems = load_yaml(text, rel, 1)
        return SourceFile(rel, path.name, tree, not problems), problems
    front, body, body_line = split_front_matter(text)
    front_tree, front_problems = load_yaml(front, rel, 2)
    body_tree, body_problems = load_markdown(body, rel, body_line)
    tree = RawMap(front_tree.entries + body_tree.entries, Location(rel, 1))
    complete = not any(p.code.startswith("yaml.") for p in front_problems)
    return SourceFile(rel, path.name, tree, complete), front_problems + body_problems


def load_evaluation(folder: Path, root: Path) -> tuple[SourceDoc, list[Diagnostic]]:
    """Read every source file of one evaluation folder (an unreadable file stays, empty)."""
    files: list[SourceFile] = []
    problems: list[Diagnostic] = []
    within = inside_test(folder, folder.parent.parent)
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix in SOURCE_SUFFIXES and is_source(path.name):
            rel = shown(path.relative_to(root).as_posix())
            if not within(path):
                message = "the file is a link to a place outside content/; pia reads only content/"
                problems.append(error("file.outside", Location(rel), message))
                continue
            loaded, found = load_file(path, rel)
            problems += found
            files.append(loaded or SourceFile(rel, path.name, RawMap((), Location(rel)), False))
    rel = folder.relative_to(root).as_posix()
    return SourceDoc(folder.name, rel, tuple(files)), problems


def is_source(name: str) -> bool:
    """Return False for notes kept beside the sources (NOTES.md, README.md, _draft.md, .hidden)."""
    return not (name.startswith((".", "_")) or name[0].isupper())


def iter_evaluation_folders(content: Path) -> list[Path]:
    """Return the evaluation folders under content/evaluations with good ids, sorted by id.

    Folders whose name is not a good id, or that lead outside content/, are left out here and
    reported by ``folder_problems``.
    """
    within = inside_test(content / "evaluations", content)
    return [p for p in _candidates(content) if not _folder_problem(p, within)]


def folder_problems(content: Path, root: Path) -> list[Diagnostic]:
    """Return an error for every evaluation folder left out by ``iter_evaluation_folders``."""
    problems = []
    within = inside_test(content / "evaluations", content)
    for folder in _candidates(content):
        message = _folder_problem(folder, within)
        if message:
            rel = shown(folder.relative_to(root).as_posix())
            problems.append(error("evaluation.id", Location(rel), message))
    return problems


def _candidates(content: Path) -> list[Path]:
    base = content / "evaluations"
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def _folder_problem(folder: Path, within: Callable[[Path], bool]) -> str:
    if not within(folder):
        return "the folder is a link to a place outside content/; pia reads only content/"
    return id_problem(folder.name)
