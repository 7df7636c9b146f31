"""The parser on thinc's two CPU backends: blis (thinc's default) and numpy's OpenBLAS.

`load_nlp` builds the model on `NumpyOps(use_blis=False)`, so that matrix products go to
numpy's OpenBLAS (one thread, see `parse_texts`). This benchmark parses the same texts both
ways, each in a fresh process, prints the parse's CPU time for each, and compares every
annotation the rules can read (tag, POS, dependency, head, lemma, entity, morphology,
sentence start): the switch is only worth having if the parses are the same, token for
token. A benchmark that prints figures; nothing here is asserted.

    python -m bench.parser_ops [FOLDER ...]   (default: seeds/ and evals/fixtures/)
"""

from __future__ import annotations

import argparse
import importlib
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from agent.backends.offline.nlp import MODEL_PACKAGE, load_nlp, parse_texts, pieces

ROOT = Path(__file__).resolve().parent.parent
Annotation = tuple[str, str, str, int, str, str, str, str, bool]


def texts_of(folders: list[Path]) -> list[str]:
    """The prose pieces of every .txt file under `folders`, as the offline backend cuts them."""
    files = sorted(f for folder in folders for f in folder.rglob("*.txt"))
    return [piece for f in files for _, piece in pieces(f.read_text(errors="replace"))]


def child(backend: str, folders: list[Path], out: Path) -> None:
    """In a fresh process: parse with `backend`, write the annotations, print CPU seconds."""
    from threadpoolctl import threadpool_limits

    texts = texts_of(folders)
    if backend == "blis":
        nlp: Any = importlib.import_module(MODEL_PACKAGE).load()  # thinc's default ops
    else:
        nlp = load_nlp()
    ops = nlp.get_pipe("ner").model.ops
    start = time.process_time()
    if backend == "blis":
        with threadpool_limits(limits=1, user_api="blas"):
            docs = list(nlp.pipe(texts, batch_size=64))
    else:
        docs = parse_texts(texts)
    cpu = time.process_time() - start
    annotations: list[list[Annotation]] = [
        [
            (
                t.tag_,
                t.pos_,
                t.dep_,
                t.head.i,
                t.lemma_,
                t.ent_iob_,
                t.ent_type_,
                str(t.morph),
                bool(t.is_sent_start),
            )
            for t in doc
        ]
        for doc in docs
    ]
    out.write_bytes(pickle.dumps(annotations))
    print(f"{backend} {type(ops).__name__}(use_blis={ops.use_blis}) {len(texts)} {cpu:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", type=Path, nargs="*")
    parser.add_argument("--child", choices=["blis", "numpy"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    folders = args.folders or [ROOT / "seeds", ROOT / "evals" / "fixtures"]
    if args.child:
        child(args.child, folders, args.out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        parsed: dict[str, list[list[Annotation]]] = {}
        for backend in ("blis", "numpy"):
            out = Path(tmp) / f"{backend}.pickle"
            command = [sys.executable, "-m", "bench.parser_ops", "--child", backend]
            command += ["--out", str(out), *map(str, folders)]
            done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
            name, ops, count, cpu = done.stdout.split()
            print(f"{name:6} {ops:28} {count} pieces, parse {cpu} CPU s")
            parsed[backend] = pickle.loads(out.read_bytes())
    blis, numpy = parsed["blis"], parsed["numpy"]
    tokens = sum(len(doc) for doc in blis)
    differ = sum(
        1 for a, b in zip(blis, numpy, strict=True) for x, y in zip(a, b, strict=True) if x != y
    )
    same_lengths = all(len(a) == len(b) for a, b in zip(blis, numpy, strict=True))
    print(
        f"{tokens:,} tokens; tokens annotated differently: {differ}; same tokenisation: "
        f"{same_lengths}"
    )


if __name__ == "__main__":
    main()
