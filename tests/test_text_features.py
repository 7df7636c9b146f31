"""Text features: spaCy's stop words are read without importing spaCy, and a run on cached
claims never imports it (about a second of every re-run)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from agent.text_features import _spacy_english_stop_words, stop_words
from tests.conftest import SEEDS


def test_the_stop_words_are_spacys() -> None:
    from spacy.lang.en.stop_words import STOP_WORDS

    assert _spacy_english_stop_words() == frozenset(STOP_WORDS)
    assert {"the", "which", "said"} <= stop_words()


def test_a_run_on_cached_claims_does_not_import_spacy(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from agent.pipeline import run_pipeline
        report = run_pipeline([{str(SEEDS)!r}], backend="offline",
                              offline_cache=Path({str(tmp_path / "cache")!r}))
        print(len(report.claims), len(report.contradictions), "spacy" in sys.modules)
        """
    )
    first, again = (
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(2)
    )
    assert first[2] == "True"  # the first run parses
    assert again[:2] == first[:2]  # the same report from the cache
    assert again[2] == "False"
