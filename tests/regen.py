"""Regenerate every golden file of the tests from what pia produces now.

    .venv/bin/python tests/regen.py            # all goldens (bad fixtures except KNOWN_BUGS, import)
    .venv/bin/python tests/regen.py form-kind  # only the named bad fixtures (KNOWN_BUGS included)

The goldens are the texts a test compares output with, word for word:

* ``tests/fixtures/bad/<name>/expected.txt``: the ``pia check`` output for one author mistake
  (tests/test_bad_fixtures.py);
* ``tests/fixtures/import/damaged.expected.txt``: the warnings ``pia import`` gives for a damaged
  text (tests/test_import.py).

Read the diff (``git diff tests/fixtures``) before committing: each line is a message an author
will see. PDF, DOCX and HTML are compared by their text against the assembled documents, not
against stored files, so they have no goldens to regenerate.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
if str(REPO) not in sys.path:  # allow `python tests/regen.py` from anywhere
    sys.path.insert(0, str(REPO))
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from test_bad_fixtures import regenerate  # noqa: E402

from pia_build.core.config import Config  # noqa: E402
from pia_build.importer import read_evaluation  # noqa: E402

IMPORT = TESTS / "fixtures" / "import"


def regenerate_import() -> None:
    """Rewrite damaged.expected.txt from the warnings of reading damaged.txt."""
    with tempfile.TemporaryDirectory() as tmp:
        for folder in ("orgs",):  # the standard clauses come with the package
            shutil.copytree(REPO / "content" / folder, Path(tmp) / "content" / folder)
        result = read_evaluation(
            Config(Path(tmp)), IMPORT / "damaged.txt", "mihon", shown="damaged.txt"
        )
    out = "".join(d.render() + "\n" for d in result.diagnostics)
    (IMPORT / "damaged.expected.txt").write_text(out, encoding="utf-8")
    print(f"import/damaged: {out.count(chr(10))} line(s)")


def main(names: list[str]) -> None:
    """Regenerate the named bad fixtures, or every golden when no name is given."""
    regenerate(names)
    if not names:
        regenerate_import()


if __name__ == "__main__":
    main(sys.argv[1:])
