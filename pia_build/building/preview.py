"""`pia serve`'s builds: the page the author is looking at first, everything else afterwards.

After a save inside one evaluation's folder, ``Preview.changed`` checks and renders only that
evaluation's HTML, in this process, with everything else kept warm: the forms, the clause
library and org profiles (``checking.shared_sources``), the Jinja environments, typst's fonts and
the fingerprints of every source file (``core.filecache``). The pages showing that evaluation
reload at once (the reload names the pages it concerns; others stay as they are). The site
pages that list it follow from a background thread when what they show of it changed. Once the
author has stopped typing for ``debounce`` seconds, one background thread renders the edited
evaluations' PDFs, each as its own job, and another runs the ordinary ``build`` (which renders
the DOCX and whatever else changed and writes the manifest); after the build a fourth refreshes
the search index with Pagefind. Background threads run at a lower CPU priority
(``background``). While a download is being made its link says so, and a request for
it waits until it is ready.

The quick step never waits for the background build: it takes only ``pages_lock``, which guards
the preview's state and is held by the background for moments, never for a build. Each file
the quick step (or the PDF thread) writes is remembered with its edit's ``generation``; a build
that ran meanwhile (it may have written an older file over it) puts it back when it ends, and
keeps the newer state of the evaluations edited meanwhile. Their downloads stay marked as being made until a build that
started after the edit made them.

Anything else (a clause, an org profile, a layout, a form, an evaluation added or removed) goes
the ordinary way at once: ``build`` without the search step, then the index in the background.
``lock`` keeps the background writers of output/ apart; Pagefind runs outside it and its result
is dropped when a page changed meanwhile.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from pia_build.building.background import BACKGROUND_NICE, Worker
from pia_build.building.build import SITE, BuildResult, build
from pia_build.building.cache import load_manifest
from pia_build.building.checking import shared_fingerprint
from pia_build.building.executors import Executor, SerialExecutor
from pia_build.building.jobs import Job, JobResult, output_path, run_job
from pia_build.building.preview_files import listing_pages, replace_bundle, write_page
from pia_build.core.config import Config
from pia_build.core.diagnostics import Diagnostic
from pia_build.core.fingerprint import digest
from pia_build.core.i18n import language, say
from pia_build.history.git import Version, versions
from pia_build.history.shapes import ChangeRecord
from pia_build.history.snapshots import annex_history
from pia_build.render import DOWNLOADS, FORMATS
from pia_build.site.search import BUNDLE, index_site
from pia_build.site.serve import DevServer
from pia_build.site.watch import run_build

LISTING_QUIET = 0.1
"""Seconds after a quick step before the pages listing the evaluation are written again."""


@dataclass(frozen=True)
class Looked:
    """What the first look at an edit found (``watch.run_build`` reports it)."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: tuple[str, ...] | None = None
    """Site-relative pages written (the open pages to reload); None: every page."""


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
        """Held by the background writers of output/ (builds, PDFs, the search index)."""
        self.pages_lock = threading.RLock()
        """Held by the quick step, and for moments by the background: the state below."""
        self.generation = 0
        """Counts writes of pages (a search index made before the last one is out of date)."""
        self.diagnostics: list[Diagnostic] = []
        self.summaries: dict[str, dict | None] = {}
        self.versions: dict[str, list[Version]] = {}
        self._annexes: dict[str, tuple[ChangeRecord, ...]] = {}
        self._quick: dict[str, tuple[int, bytes]] = {}
        """Site-relative path → (generation, bytes) of the pages quick steps wrote."""
        self._building = 0
        """Generation at which the running build began."""
        self._fresh: dict[str, int] = {}
        """Evaluation → generation of its last quick step."""
        self._pending: dict[str, int] = {}
        """Download being made → generation of the quick step that asked for it."""
        self._listed: dict[str, dict | None] = {}
        """Evaluations whose summary changed since the listing pages were written (old ones)."""
        self._downloads = Worker(self._make_downloads, debounce)
        self._pdfs = Worker(self._quick_pdfs, debounce)
        self._search = Worker(self._index, 0.0)
        self._listing = Worker(self._write_listings, LISTING_QUIET)

    def start(self) -> BuildResult | None:
        """Build everything (search included) and start the background workers."""
        result = run_build(
            self.config, self.server.recording(self._everything), self.out, lang=self.lang
        )
        self._warm_up()
        for worker in (self._downloads, self._pdfs, self._search, self._listing):
            worker.start()
        return result

    def _warm_up(self) -> None:
        """Render one page in this process, unwritten: the first edit finds the layouts
        compiled and the forms read (the first build ran in worker processes)."""
        ready = [e for e, summary in sorted(self.summaries.items()) if summary is not None]
        if ready and "html" in self.formats:
            self._run(ready[0], ("html",), shared_fingerprint(self.config), ())

    def stop(self) -> None:
        """Stop the background workers (the one running finishes its step first)."""
        for worker in (self._downloads, self._pdfs, self._search, self._listing):
            worker.stop()

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
            if self._listed:
                self._listing.poke()
            self._pdfs.poke()
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
        return self._full_build(config, self.formats, search=True)

    def _all_but_search(self, config: Config, formats: Sequence[str] | None = None) -> BuildResult:
        return self._full_build(config, self.formats if formats is None else formats, False)

    def _full_build(self, config: Config, formats: Sequence[str], search: bool) -> BuildResult:
        """Run ``build``; then settle what quick steps did meanwhile (``_settle``)."""
        with self.lock:
            with self.pages_lock:
                self.generation += 1
                since = self._building = self.generation
            try:
                self.versions = versions(config.root)
                result = build(
                    config,
                    formats=formats,
                    executor=self.executor,
                    search=search,
                    guard=self._guard,
                )
                records = load_manifest(self.config.output).evaluations
                with self.pages_lock:
                    self._settle(result, records, since)
            finally:
                self._drop_pending(since)
        return result

    def _settle(self, result: BuildResult, records: dict[str, dict], since: int) -> None:
        """Keep what the quick step needs of a full build (its problems and the summaries), but
        for the evaluations edited while it ran: their pages go back, their state stays."""
        back = []
        for path, (generation, data) in list(self._quick.items()):
            if generation <= since:
                del self._quick[path]
            elif write_page(self.config.output / SITE / path, data):
                back.append(path)
        if back:  # open pages may have been shown the older one
            self.server.state.publish(list(self.server.state.errors), tuple(back))
        self._fresh = {e: g for e, g in self._fresh.items() if g > since}
        built = {k: None if r.get("invalid") else r["summary"] for k, r in records.items()}
        newer = {e: self.summaries[e] for e in self._fresh if e in self.summaries}
        self.summaries = {**built, **newer}
        folders = tuple(f"content/evaluations/{e}/" for e in newer)
        kept = [d for d in self.diagnostics if d.location.path.startswith(folders)]
        built_rest = [d for d in result.diagnostics if not d.location.path.startswith(folders)]
        self.diagnostics = kept + built_rest
        self._annexes = {}

    @contextmanager
    def _guard(self, rel_path: str) -> Iterator[bool]:
        """Around each write of a build: keep a file that a quick step wrote after the build
        began (the build may have read the sources before that edit)."""
        with self.pages_lock:
            quick = self._quick.get(rel_path.removeprefix(f"{SITE}/"))
            yield quick is not None and quick[0] > self._building

    def _drop_pending(self, upto: int) -> None:
        """Forget the downloads asked for by quick steps up to generation ``upto`` (made)."""
        with self.pages_lock:
            self._pending = {p: g for p, g in self._pending.items() if g > upto}
            self.server.state.set_pending(set(self._pending))

    def _first_look(self, ids: list[str], paths: set[Path]) -> Looked:
        """Check and render the HTML of ``ids`` only; mark their downloads as being made."""
        with self.pages_lock:
            self.generation += 1
            now = self.generation
            shared_key = shared_fingerprint(self.config)
            downloads = tuple(f for f in self.formats if f in DOWNLOADS)
            fresh: list[Diagnostic] = []
            for evaluation in ids:
                found, summary = self._render_html(evaluation, shared_key, downloads, now)
                fresh += found
                if summary != self.summaries.get(evaluation):
                    self._listed.setdefault(evaluation, self.summaries.get(evaluation))
                self.summaries[evaluation] = summary
                self._fresh[evaluation] = now
            for evaluation in (e for e in ids if self.summaries[e] is not None):
                self._pending.update({output_path(evaluation, f): now for f in downloads})
            self.server.state.set_pending(set(self._pending))
            self.diagnostics = _edited_first(fresh, self.diagnostics, ids, paths, self.config)
        return Looked(self.diagnostics, tuple(output_path(e, "html") for e in ids))

    def _render_html(
        self, evaluation: str, shared_key: str, downloads: tuple[str, ...], generation: int
    ) -> tuple[list[Diagnostic], dict | None]:
        """Check one evaluation and write its page; return its problems and its summary."""
        formats = ("html",) if "html" in self.formats else ()
        result = self._run(evaluation, formats, shared_key, downloads)
        for path, data in result.outputs.items():
            self._write_quick(path, data, generation)
        return result.diagnostics, None if result.invalid else result.summary

    def _write_quick(self, path: str, data: bytes, generation: int) -> None:
        """Write a page of the site outside any build, and remember it (see ``_settle``)."""
        self._quick[path] = (generation, data)
        write_page(self.config.output / SITE / path, data)

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

    def _write_listings(self) -> None:
        """Background: write the pages that list the evaluations whose summaries changed (the
        home page, the clause list, the page of each clause they used or now use), and reload
        the open ones. Rendered outside ``pages_lock``; dropped if a quick step came meanwhile."""
        with self.pages_lock:
            changed, generation = dict(self._listed), self.generation
            summaries = dict(self.summaries)
        if not changed:
            return
        pages = listing_pages(self.config, summaries, changed)
        written = []
        with self.pages_lock:
            if generation != self.generation:
                self._listing.poke()  # a newer edit: the next round writes them
                return
            self._listed = {}
            for path, data in pages:  # a build that overwrote them with older ones runs again
                if write_page(self.config.output / SITE / path, data):
                    written.append(path)
        if written:
            self.server.state.publish(list(self.server.state.errors), tuple(written))

    def _make_downloads(self) -> None:
        """Background: the ordinary build (DOCX, manifest; the PDFs are made beside it by
        ``_quick_pdfs``), then the search index."""
        started = time.perf_counter()
        with self.pages_lock:
            asked = self.generation
        try:
            self._all_but_search(self.config)
        finally:
            self._drop_pending(asked)  # made, or failed (then the panel says why)
        with self.pages_lock:
            errors = [d.render() for d in self.diagnostics if d.severity == "error"]
        if errors != self.server.state.errors:
            self.server.state.publish(errors)
        done = f"pia: downloads ready in {time.perf_counter() - started:.2f} s"
        print(say(done, self.lang), file=self.out)
        self._search.poke()

    def _quick_pdfs(self) -> None:
        """Background, beside the build: render the PDF of each evaluation whose PDF is pending,
        as its own job, and announce it. A build that ran meanwhile and wrote an older PDF puts
        this one back (``_settle``); the next finds the same bytes and leaves the file alone."""
        if "pdf" not in self.formats:
            return
        shared_key = shared_fingerprint(self.config)
        downloads = tuple(f for f in self.formats if f in DOWNLOADS)
        with self.pages_lock:
            todo = sorted((p, g) for p, g in self._pending.items() if p.endswith(".pdf"))
        for path, generation in todo:
            result = self._run(path.split("/")[0], ("pdf",), shared_key, downloads)
            with self.pages_lock:
                if result.invalid or self._pending.get(path) != generation:
                    continue  # a newer edit asked for it: the next round makes it
                for name, data in result.outputs.items():
                    self._write_quick(name, data, generation)
                del self._pending[path]
                self.server.state.set_pending(set(self._pending))

    def _index(self) -> None:
        """Background: index the current pages; keep the index only if no page changed meanwhile."""
        started = time.perf_counter()
        with self.lock:
            with self.pages_lock:
                generation = self.generation
            site = self.config.output / SITE
            pages = sorted(
                f"{SITE}/{p.relative_to(site).as_posix()}"
                for p in site.rglob("*.html")
                if not p.relative_to(site).as_posix().startswith(f"{BUNDLE}/")
            )
        bundle = index_site(self.config.output, pages, SITE, nice=BACKGROUND_NICE)
        with self.lock, self.pages_lock:
            if generation != self.generation:
                return  # a page changed while Pagefind ran: the next round indexes again
            replace_bundle(self.config.output, bundle, digest(pages))
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
