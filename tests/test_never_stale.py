"""The cache never serves stale output (issue 15), as a property: random sequences of edits,
interrupted builds (a fault injected at a random write, or a build process SIGKILLed after a
random delay), deleted or truncated outputs and reverts; after each step a cached build is
byte-identical to a clean build of the same sources.

Fixed seed (``derandomize``) and a bounded number of cases in CI; ``PIA_STALE_CASES`` runs more
(docs/benchmarks.md has the longer run).
"""

from __future__ import annotations

import hashlib
import importlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pia_build import build
from pia_build.core.config import Config

REPO = Path(__file__).resolve().parents[1]
CASES = int(os.environ.get("PIA_STALE_CASES", "8"))
HTML = ("html",)
EVALUATION = "content/evaluations/c"
# Each source has a few versions; an edit picks one.
VARIANTS: dict[str, tuple[str, str, list[str]]] = {
    "prose": (f"{EVALUATION}/1-basic.md", "見本事務", ["見本事務", "改訂事務", "第三事務"]),
    "org": ("content/orgs/mihon.yml", "団体名: 見本市", ["団体名: 見本市", "団体名: 新見本市"]),
    "clause": ("content/clauses/local/fz.md", "甲の文言。", ["甲の文言。", "乙の文言。"]),
    "cover": (
        f"{EVALUATION}/evaluation.md",
        "評価実施機関: mihon\n",
        ["評価実施機関: mihon\n", "評価実施機関: mihon   # 略号\n"],
    ),
    "layout": ("layouts/macros.html", "{# layout #}", ["{# layout #}", "{# layout v2 #}"]),
}
build_module = importlib.import_module("pia_build.building.build")
output_module = importlib.import_module("pia_build.building.output")

edit_step = st.tuples(st.just("edit"), st.sampled_from(sorted(VARIANTS)), st.integers(1, 2))
step = st.one_of(
    edit_step,
    st.tuples(st.just("revert"), st.integers(0, 10)),
    st.tuples(st.just("fault"), st.integers(0, 12)),
    st.tuples(st.just("kill"), st.integers(0, 2500)),
    # the sequence: an edit, a build interrupted half-way, the edit undone
    st.tuples(st.just("undo"), edit_step, st.just("fault"), st.integers(1, 12)),
    st.tuples(st.just("undo"), edit_step, st.just("kill"), st.integers(200, 2500)),
    st.tuples(st.just("delete"), st.sampled_from(["c/index.html", "index.html"])),
    st.tuples(st.just("truncate"), st.sampled_from(["c/index.html", "index.html"])),
)


def make_project(root: Path) -> Config:
    shutil.copytree(REPO / "layouts", root / "layouts")
    shutil.copytree(REPO / "content" / "orgs", root / "content" / "orgs")
    shutil.copytree(
        REPO / "tests" / "projects" / "minimal" / "content" / "evaluations" / "minimal",
        root / EVALUATION,
    )
    clause = root / "content" / "clauses" / "local" / "fz.md"
    clause.parent.mkdir(parents=True)
    clause.write_text("---\nid: local/fz\ntitle: 試験\n---\n甲の文言。\n", encoding="utf-8")
    risk = root / EVALUATION / "3-risk-1.md"
    text = risk.read_text(encoding="utf-8")
    computed = '{% set c = "local/" ~ "fz" %}\n{{ clause(c) }}'
    risk.write_text(text.replace('{{ clause("chukan-pf/nws-other-risks") }}', computed), "utf-8")
    macros = root / "layouts" / "macros.html"
    macros.write_text(macros.read_text(encoding="utf-8") + "\n{# layout #}\n", encoding="utf-8")
    return Config(root)


def sources(config: Config) -> dict[str, str]:
    return {k: (config.root / rel).read_text("utf-8") for k, (rel, _, _) in VARIANTS.items()}


def restore(config: Config, state: dict[str, str]) -> None:
    for key, (rel, _, _) in VARIANTS.items():
        (config.root / rel).write_text(state[key], encoding="utf-8")


def edit(config: Config, key: str, choice: int) -> None:
    rel, _, options = VARIANTS[key]
    path = config.root / rel
    text = path.read_text(encoding="utf-8")
    current = next(o for o in options if o in text)
    path.write_text(text.replace(current, options[choice % len(options)], 1), encoding="utf-8")


def site_files(output: Path) -> dict[str, bytes]:
    site = output / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def faulty_build(config: Config, at: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Build, raising KeyboardInterrupt at the ``at``-th file write (Ctrl-C half-way)."""
    real = output_module.write_atomic
    count = [0]

    def write(target: Path, data: bytes) -> None:
        count[0] += 1
        if count[0] > at:
            raise KeyboardInterrupt
        real(target, data)

    with monkeypatch.context() as patched:
        patched.setattr(output_module, "write_atomic", write)
        patched.setattr(build_module, "write_atomic", write)
        try:
            build(config, formats=HTML)
        except KeyboardInterrupt:
            pass


def killed_build(config: Config, delay_ms: int) -> None:
    """Start ``pia build`` in a process and SIGKILL it after ``delay_ms``."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pia_build",
            "--root",
            str(config.root),
            "build",
            "--formats",
            "html",
            "-j",
            "1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        process.wait(timeout=delay_ms / 1000)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


def apply(
    config: Config, action: tuple, history: list[dict[str, str]], mp: pytest.MonkeyPatch
) -> None:
    kind = action[0]
    if kind == "undo":
        before = sources(config)
        apply(config, action[1], history, mp)
        apply(config, action[2:], history, mp)
        restore(config, before)
    elif kind == "edit":
        edit(config, action[1], action[2])
    elif kind == "revert":
        restore(config, history[action[1] % len(history)])
    elif kind == "fault":
        faulty_build(config, action[1], mp)
    elif kind == "kill":
        killed_build(config, action[1])
    else:
        path = config.output / "site" / action[1]
        if path.is_file():
            path.unlink() if kind == "delete" else path.write_bytes(b"")


@settings(
    max_examples=CASES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=6))
def test_a_cached_build_is_always_a_clean_build(
    steps: list[tuple], monkeypatch: pytest.MonkeyPatch
) -> None:
    with tempfile.TemporaryDirectory() as temp:
        config = make_project(Path(temp) / "p")
        build(config, formats=HTML)
        history, clean = [sources(config)], {}  # type: ignore[var-annotated]
        for action in steps:
            apply(config, action, history, monkeypatch)
            history.append(sources(config))
            build(config, formats=HTML)
            state = hashlib.sha256(repr(sorted(history[-1].items())).encode()).hexdigest()
            if state not in clean:
                fresh = Config(config.root, Path(temp) / f"clean-{len(clean)}")
                build(fresh, formats=HTML)
                clean[state] = site_files(fresh.output)
            assert site_files(config.output) == clean[state], f"stale after {action}"
