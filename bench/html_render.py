"""How big report.html is and how long it takes to show, as the work grows.

Three corpora, each reconciled with the current pipeline (offline backend): the seeds, edited
copies of the seeds (a feed full of syndicated wire copy) and the synthetic corpus of mixed
stories. For each: the report's flags and disputes, the page's size, and its time to render in
Debian's headless chromium, measured inside the page (performance.now() once the load event
has fired and two animation frames have run, so parsing, the script, style and layout are
in), with the DOM's size and the cards on the first screen. A benchmark that prints figures;
nothing here is asserted.

    python -m bench.html_render [--copies 200] [--synthetic 1000] [--loads 3]
                                [--work DIR] [--out bench/results/html_render.json]

`--work DIR` keeps each corpus's output folder there and reuses it on the next run (the
pipeline is the slow part); without it everything goes to a temporary folder.
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agent.report_files import read_report, write_report
from agent.report_html import render_html
from tests.support.browser import headless_chromium
from tests.support.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
Row = dict[str, Any]

# Two animation frames after load: the first screen has been styled, laid out and painted.
_READY = """
const done = arguments[arguments.length - 1];
requestAnimationFrame(() => requestAnimationFrame(() => done({
  ms: performance.now(),
  load_ms: performance.getEntriesByType("navigation")[0].loadEventEnd,
  elements: document.getElementsByTagName("*").length,
  // Dispute cards; a page from before them had one card per flag.
  cards: document.querySelectorAll("article.dispute").length
    || document.querySelectorAll("article.flag").length,
  heap_mb: performance.memory ? performance.memory.usedJSHeapSize / 1048576 : null,
})));
"""


def _seed_copies(count: int) -> Callable[[Path], None] | None:
    # The scale benchmark's generator of edited seed copies (tests/support/seed_copies.py),
    # looked up by name: it comes with another branch, and without it this row is skipped.
    try:
        module = importlib.import_module("tests.support.seed_copies")
    except ModuleNotFoundError:
        return None
    write_copies: Callable[[Path, Path, int], list[Path]] = module.write_copies

    def write(folder: Path) -> None:
        folder.mkdir(parents=True)
        for seed in sorted(SEEDS.glob("*.txt")):
            (folder / seed.name).write_bytes(seed.read_bytes())
        write_copies(SEEDS, folder, count)

    return write


def _synthetic(count: int) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        generate(count).write(folder)

    return write


def _seeds(folder: Path) -> None:
    folder.mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        (folder / seed.name).write_bytes(seed.read_bytes())


def _report_folder(name: str, write: Callable[[Path], None], work: Path) -> tuple[Path, float]:
    """The corpus's output folder (reconciled now, in a fresh process, unless `work` has it)."""
    out = work / name / "out"
    if (out / "report.json").is_file():
        return out, 0.0
    articles = work / name / "articles"
    write(articles)
    start = time.perf_counter()
    command = [sys.executable, "-m", "agent", str(articles), "--out", str(out)]
    command += ["--quiet", "--no-cache"]
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return out, time.perf_counter() - start


def _measure(driver: Any, page: Path, loads: int) -> Row:
    driver.set_script_timeout(300)
    driver.set_page_load_timeout(300)
    runs: list[dict[str, Any]] = []
    for _ in range(loads):
        driver.get("about:blank")
        driver.get(page.as_uri())
        runs.append(driver.execute_async_script(_READY))
    last = runs[-1]
    return {
        "render_ms": round(statistics.median(r["ms"] for r in runs)),
        "load_event_ms": round(statistics.median(r["load_ms"] for r in runs)),
        "dom_elements": last["elements"],
        "cards_rendered": last["cards"],
        "js_heap_mb": None if last["heap_mb"] is None else round(last["heap_mb"], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=200, help="Edited copies of the seeds.")
    parser.add_argument("--synthetic", type=int, default=1000, help="Synthetic articles.")
    parser.add_argument("--loads", type=int, default=3, help="Page loads per page (median).")
    parser.add_argument("--work", type=Path, help="Keep and reuse the output folders here.")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/html_render.json")
    args = parser.parse_args()

    corpora: list[tuple[str, Callable[[Path], None]]] = [("seeds", _seeds)]
    copies = _seed_copies(args.copies)
    if copies is None:
        print("  skipped the seed copies: tests/support/seed_copies.py is missing", file=sys.stderr)
    else:
        corpora.append((f"seeds + {args.copies} edited copies", copies))
    corpora.append((f"{args.synthetic} synthetic", _synthetic(args.synthetic)))
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        profile = Path(tmp) / "chromium-profile"
        with headless_chromium(profile, ("--enable-precise-memory-info",)) as driver:
            for label, write in corpora:
                name = label.replace(" + ", "-").replace(" ", "-")
                out, run_s = _report_folder(name, write, work)
                report = read_report(out)
                start = time.perf_counter()
                html = render_html(report)
                render_s = time.perf_counter() - start
                write_report(report, out)  # the page of this commit, beside its report
                page = out / "report.html"
                row: Row = {
                    "corpus": label,
                    "articles": len(report.articles),
                    "flags": len(report.contradictions),
                    "disputes": len(report.disputes),
                    "agreements": len(report.agreements),
                    "pipeline_s": round(run_s, 1) if run_s else None,
                    "html_mb": round(len(html.encode("utf-8")) / 1e6, 2),
                    "python_render_s": round(render_s, 2),
                    **_measure(driver, page, args.loads),
                }
                rows.append(row)
                print(f"  {label}: {row['html_mb']} MB, {row['render_ms']} ms", file=sys.stderr)

    columns = [
        ("corpus", "corpus"),
        ("articles", "articles"),
        ("flags", "flags"),
        ("disputes", "disputes"),
        ("html_mb", "MB"),
        ("python_render_s", "render_html s"),
        ("render_ms", "chromium ms"),
        ("load_event_ms", "load event ms"),
        ("dom_elements", "DOM elements"),
        ("cards_rendered", "cards"),
        ("js_heap_mb", "JS heap MB"),
    ]
    widths = [max(len(title), *(len(str(r[key])) for r in rows)) for key, title in columns]
    print("report.html (offline backend; chromium: median of", args.loads, "loads)")
    print("  ".join(title.ljust(w) for (_, title), w in zip(columns, widths, strict=True)))
    for r in rows:
        cells = [str(r[key]).ljust(w) for (key, _), w in zip(columns, widths, strict=True)]
        print("  ".join(cells))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"rows": rows}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
