"""`pia serve`'s builds: the page the author is looking at first, everything else afterwards.

After a save inside one evaluation's folder, ``Preview.changed`` checks and renders only that
evaluation's HTML (and the site pages that list it, when what they show of it changed), in this
process, with everything else kept warm: the forms, the clause library and org profiles
(``checking.shared_sources``), the Jinja environments, typst's fonts and the fingerprints of
every source file (``core.filecache``). Open pages reload at once. Then, once the author has
stopped typing for ``debounce`` seconds, a background thread runs the ordinary ``build`` (which
renders the PDF and DOCX whose inputs changed and writes the manifest), and after it a second
thread refreshes the search index with Pagefind at low CPU priority. While a download is being
made its link says so, and a request for it waits until it is ready.

Anything else (a clause, an org profile, a layout, a form, an evaluation added or removed) goes
the ordinary way at once: ``build`` without the search step, then the index in the background.
One lock keeps writers of output/ apart; Pagefind runs outside it and its result is dropped when
a page changed meanwhile.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from pia_build.building.build import SITE, BuildResult, build
from pia_build.building.cache import SEARCH_RECORD, dump_record, load_manifest, load_record
from pia_build.building.checking import shared_fingerprint, shared_sources
from pia_build.building.executors import Executor, SerialExecutor
from pia_build.building.jobs import Job, JobResult, doc_from_summary, output_path, run_job
from pia_build.building.output import write_atomic
from pia_build.core.config import Config
from pia_build.core.diagnostics import Diagnostic
from pia_build.core.fingerprint import digest
from pia_build.core.i18n import language, say
from pia_build.history.git import Version, versions
from pia_build.history.shapes import ChangeRecord
from pia_build.history.snapshots import annex_history
from pia_build.render import DOWNLOADS, FORMATS
from pia_build.site.pages import clause_uses, render_clause, render_clause_index, render_index
from pia_build.site.search import BUNDLE, index_site
from pia_build.site.serve import DevServer
from pia_build.site.watch import run_build

BACKGROUND_NICE = 10
"""CPU priority offset of the background search indexing."""


@dataclass(frozen=True)
class Looked:
    """What the first look at an edit found (``watch.run_build`` reports it)."""

    diagnostics: list[Diagnostic] = field(default_factory=list)


class Preview:
    """The builds of one ``pia serve``: quick HTML first, downloads and search in the background."""

    def __init__(
        self,
        config: Config,
        server: DevServer,
        formats: Sequence[str] = FORMATS,
        *,
        debounce: float = 0.3,
        executor: Executor | None = None,
        out: TextIO | None = None,
    ) -> None:
        self.config = config
        self.server = server
        self.formats = list(formats)
        self.debounce = debounce
        self.executor = executor or SerialExecutor()
        self.out = out or sys.stderr
        self.lang = language(config.root)
        self.lock = threading.RLock()
        """Held by whatever writes into output/."""
        self.generation = 0
        """Counts writes of pages (a search index made before the last one is out of date)."""
        self.diagnostics: list[Diagnostic] = []
        self.summaries: dict[str, dict | None] = {}
        self.versions: dict[str, list[Version]] = {}
        self._annexes: dict[str, tuple[ChangeRecord, ...]] = {}
        self._downloads = _Worker(self._make_downloads, debounce)
        self._search = _Worker(self._index, 0.0)

    def start(self) -> BuildResult | None:
        """Build everything (search included) and start the background workers."""
        result = run_build(
            self.config, self.server.recording(self._everything), self.out, lang=self.lang
        )
        self._downloads.start()
        self._search.start()
        return result

    def stop(self) -> None:
        """Stop the background workers (the one running finishes its step first)."""
        self._downloads.stop()
        self._search.stop()

    def changed(self, paths: set[Path]) -> None:
        """Bring the preview up to date after a burst of changes to ``paths``."""
        if not paths:
            return
        ids = self._affected(paths)
        step: Callable[[Config], Looked | BuildResult] = self._all_but_search
        if ids:
            step = lambda config: self._first_look(ids, paths)  # noqa: E731
        run_build(self.config, self.server.recording(step), self.out, lang=self.lang)
        if ids:
            self._downloads.poke()
        else:
            self._search.poke()

    def _affected(self, paths: Iterable[Path]) -> list[str]:
        """Return the evaluations whose own folders hold every changed path ([]: not so simple)."""
        base = (self.config.content / "evaluations").resolve()
        ids: set[str] = set()
        for path in paths:
            parts = path.relative_to(base).parts if path.is_relative_to(base) else ()
            if len(parts) < 2 or parts[0] not in self.summaries or not (base / parts[0]).is_dir():
                return []
            ids.add(parts[0])
        return sorted(ids)

    def _everything(self, config: Config) -> BuildResult:
        with self.lock:
            self.versions = versions(config.root)
            result = build(config, formats=self.formats, executor=self.executor, search=True)
            self._remember(result)
        return result

    def _all_but_search(self, config: Config, formats: Sequence[str] | None = None) -> BuildResult:
        with self.lock:
            self.generation += 1
            self.versions = versions(config.root)
            formats = self.formats if formats is None else formats
            result = build(config, formats=formats, executor=self.executor, search=False)
            self._remember(result)
        return result

    def _remember(self, result: BuildResult) -> None:
        """Keep what the quick step needs of a full build: its problems and the summaries."""
        self.diagnostics = list(result.diagnostics)
        self._annexes = {}
        records = load_manifest(self.config.output).evaluations
        self.summaries = {k: None if r.get("invalid") else r["summary"] for k, r in records.items()}

    def _first_look(self, ids: list[str], paths: set[Path]) -> Looked:
        """Check and render the HTML of ``ids`` only; mark their downloads as being made."""
        with self.lock:
            self.generation += 1
            shared_key = shared_fingerprint(self.config)
            downloads = tuple(f for f in self.formats if f in DOWNLOADS)
            fresh: list[Diagnostic] = []
            changed: dict[str, dict | None] = {}
            for evaluation in ids:
                found, summary = self._render_html(evaluation, shared_key, downloads)
                fresh += found
                if summary != self.summaries.get(evaluation):
                    changed[evaluation] = self.summaries.get(evaluation)
                self.summaries[evaluation] = summary
            if changed:
                self._write_site_pages(shared_key, changed)
            pending = {
                output_path(e, f) for e in ids if self.summaries[e] is not None for f in downloads
            }
            self.server.state.set_pending(pending)
            self.diagnostics = _edited_first(fresh, self.diagnostics, ids, paths, self.config)
        return Looked(self.diagnostics)

    def _render_html(
        self, evaluation: str, shared_key: str, downloads: tuple[str, ...]
    ) -> tuple[list[Diagnostic], dict | None]:
        """Check one evaluation and write its page; return its problems and its summary."""
        formats = ("html",) if "html" in self.formats else ()
        result = self._run(evaluation, formats, shared_key, downloads)
        for path, data in result.outputs.items():
            _write(self.config.output / SITE / path, data)
        return result.diagnostics, None if result.invalid else result.summary

    def _run(
        self, evaluation: str, formats: tuple[str, ...], shared_key: str, downloads: tuple[str, ...]
    ) -> JobResult:
        """Check one evaluation and render ``formats`` of it, in this process."""
        config = self.config
        job = Job(
            root=str(config.root),
            layouts=config.theme,
            folder=str(config.content / "evaluations" / evaluation),
            formats=formats,
            downloads=downloads,
            shared_key=shared_key,
            annex=self._annex(evaluation),
        )
        return run_job(job)

    def _annex(self, evaluation: str) -> tuple[ChangeRecord, ...]:
        """Return the 変更箇所 rows of a published evaluation (made once per full build)."""
        published = self.versions.get(evaluation)
        if not published:
            return ()
        if evaluation not in self._annexes:
            rows = annex_history(self.config, {evaluation: tuple(published)})
            self._annexes[evaluation] = tuple(rows.get(evaluation, ()))
        return self._annexes[evaluation]

    def _write_site_pages(self, shared_key: str, changed: dict[str, dict | None]) -> None:
        """Write the pages that list the ``changed`` evaluations (old summaries given): the home
        page, the clause list, and the page of each clause they used or now use."""
        library, _, _ = shared_sources(str(self.config.root), shared_key)
        docs = [doc_from_summary(s) for _, s in sorted(self.summaries.items()) if s is not None]
        uses = clause_uses(docs)
        summaries = [*changed.values(), *(self.summaries[e] for e in changed)]
        touched = {u[0] for s in summaries if s for u in s["clause_uses"]}
        layouts, site = self.config.theme, self.config.output / SITE
        _write(site / "index.html", render_index(docs, layouts))
        _write(site / "clauses" / "index.html", render_clause_index(library, uses, layouts))
        for clause_id in sorted(touched & set(library)):
            page = render_clause(library[clause_id], library, uses.get(clause_id, []), layouts)
            _write(site / "clauses" / clause_id / "index.html", page)

    def _make_downloads(self) -> None:
        """Background: the edited evaluations' PDFs straight away, then the ordinary build (DOCX,
        manifest), then the search index."""
        started = time.perf_counter()
        try:
            self._quick_pdfs()
            result = self._all_but_search(self.config)
        finally:
            self.server.state.set_pending(set())  # made, or failed (then the panel says why)
        errors = [d.render() for d in result.diagnostics if d.severity == "error"]
        if errors != self.server.state.errors:
            self.server.state.publish(errors)
        done = f"pia: downloads ready in {time.perf_counter() - started:.2f} s"
        print(say(done, self.lang), file=self.out)
        self._search.poke()

    def _quick_pdfs(self) -> None:
        """Render the PDF of each evaluation whose PDF is pending, as its own job, and announce it.

        The build that follows finds the same bytes and leaves the file alone.
        """
        if "pdf" not in self.formats:
            return
        with self.lock:
            shared_key = shared_fingerprint(self.config)
            downloads = tuple(f for f in self.formats if f in DOWNLOADS)
            for path in sorted(p for p in self.server.state.pending if p.endswith(".pdf")):
                evaluation = path.split("/")[0]
                result = self._run(evaluation, ("pdf",), shared_key, downloads)
                if not result.invalid:
                    for name, data in result.outputs.items():
                        _write(self.config.output / SITE / name, data)
                    self.server.state.set_pending(self.server.state.pending - {path})

    def _index(self) -> None:
        """Background: index the current pages; keep the index only if no page changed meanwhile."""
        started = time.perf_counter()
        with self.lock:
            generation = self.generation
            site = self.config.output / SITE
            pages = sorted(
                f"{SITE}/{p.relative_to(site).as_posix()}"
                for p in site.rglob("*.html")
                if not p.relative_to(site).as_posix().startswith(f"{BUNDLE}/")
            )
        bundle = index_site(self.config.output, pages, SITE, nice=BACKGROUND_NICE)
        with self.lock:
            if generation != self.generation:
                return  # a page changed while Pagefind ran: the next round indexes again
            _replace_bundle(self.config.output, bundle, digest(pages))
        done = f"pia: search index ready in {time.perf_counter() - started:.2f} s"
        print(say(done, self.lang), file=self.out)


def _edited_first(
    fresh: list[Diagnostic],
    known: list[Diagnostic],
    ids: list[str],
    paths: set[Path],
    config: Config,
) -> list[Diagnostic]:
    """Return every problem: the edited files' first, then the edited evaluations', then the rest."""
    folders = tuple(f"content/evaluations/{i}/" for i in ids)
    edited = {p.relative_to(config.root.resolve()).as_posix() for p in paths}
    rest = [d for d in known if not d.location.path.startswith(folders)]
    return sorted(fresh, key=lambda d: d.location.path not in edited) + rest


def _write(target: Path, data: bytes) -> None:
    """Write a file of the site unless it already holds ``data``."""
    if target.is_file() and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, data)


def _replace_bundle(output: Path, bundle: list[tuple[str, bytes]], key: str) -> None:
    """Put a new search bundle in place of the last one, and record it as ``build`` does."""
    old = load_record(output, SEARCH_RECORD).get("files", [])
    names = [name for name, _ in bundle]
    for name, data in bundle:
        _write(output / SITE / name, data)
    for name in set(old) - set(names):
        (output / SITE / name).unlink(missing_ok=True)
    _write(output / SEARCH_RECORD, dump_record(key, names))


class _Worker:
    """A daemon thread that runs ``step`` after a ``poke``, once ``quiet`` seconds passed."""

    def __init__(self, step: Callable[[], None], quiet: float) -> None:
        self.step = step
        self.quiet = quiet
        self._poked = threading.Event()
        self._stopped = threading.Event()
        self._last = 0.0
        self._thread = threading.Thread(target=self._run, name="pia-preview", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._poked.set()

    def poke(self) -> None:
        """Ask for a run (a later poke within ``quiet`` seconds postpones it)."""
        self._last = time.monotonic()
        self._poked.set()

    def _run(self) -> None:
        while self._poked.wait() and not self._stopped.is_set():
            while (left := self._last + self.quiet - time.monotonic()) > 0:
                if self._stopped.wait(left):
                    return
            self._poked.clear()
            try:
                self.step()
            except Exception:  # reported like a failed build; the preview goes on
                print("pia: a background step failed:", file=sys.stderr)
                traceback.print_exc()
