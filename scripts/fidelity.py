#!/usr/bin/env python3
"""How much of a published seed document's text a built output reproduces.

usage: fidelity.py SEED.txt OUTPUT [OUTPUT ...]   (OUTPUT: .html, .pdf, .docx or .txt)

The seed is text extracted from a published PDF: tab-separated cells, HTML fragments inside
cells. Each cell (tags stripped, NFKC, whitespace removed, at least 6 characters) is looked for in
the output by character 6-grams: a cell counts as found when 85% of its 6-grams occur in the
output. Prints the cells missed (worst first, to stderr with -v) and, last, one figure line:
  fidelity: cells X/Y found (P%), 6-gram recall R%
Exit 0 always; callers compare the figure.
"""

import html
import re
import subprocess
import sys
import unicodedata
import zipfile

N = 6
TAG = re.compile(r"<[^>]*>")
SPACE = re.compile(r"\s+")


def norm(text: str) -> str:
    text = html.unescape(TAG.sub(" ", text))
    text = unicodedata.normalize("NFKC", text)
    return SPACE.sub("", text)


def grams(text: str) -> set[str]:
    return {text[i : i + N] for i in range(max(0, len(text) - N + 1))}


def output_text(path: str) -> str:
    if path.endswith(".pdf"):
        # both readings of the page: raw keeps a cell's lines together, -layout keeps rows together
        return "\n".join(
            subprocess.run(["pdftotext", *mode, path, "-"], capture_output=True, text=True).stdout
            for mode in ([], ["-layout"])
        )
    if path.endswith(".docx"):
        with zipfile.ZipFile(path) as z:
            return TAG.sub("", z.read("word/document.xml").decode("utf-8"))
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    if path.endswith((".html", ".htm")):
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    return text


def seed_cells(path: str) -> list[str]:
    cells = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            for cell in line.split("\t"):
                c = norm(cell)
                if len(c) >= N:
                    cells.append(c)
    return cells


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cells = seed_cells(args[0])
    out = grams(norm("".join(output_text(p) for p in args[1:])))
    found, missed, seed_grams = 0, [], set()
    for c in cells:
        g = grams(c)
        seed_grams |= g
        share = len(g & out) / len(g)
        if share >= 0.85:
            found += 1
        else:
            missed.append((share, c))
    if verbose:
        for share, c in sorted(missed)[:60]:
            print(f"missed {share:.0%}: {c[:100]}", file=sys.stderr)
    recall = len(seed_grams & out) / max(1, len(seed_grams))
    pct = 100 * found / max(1, len(cells))
    print(
        f"fidelity: cells {found}/{len(cells)} found ({pct:.1f}%), {N}-gram recall {100 * recall:.1f}%"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
