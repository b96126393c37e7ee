"""The second corpus: French PDF manuals from Debian documentation packages (LaTeX/LyX
output), fetched on demand and never committed. It is the held-out corpus of the
grounding evaluation (nothing is tuned on it) and the PDF-fidelity transfer check.

    python -m evals.external [DEST]          # default: .pairs/external/debian-fr
    python -m evals.external --eval [DEST]   # fetch, ingest into its own index, evaluate

Needs `apt-get download` (Debian's package registry) and `dpkg-deb`. Writes DEST/*.pdf
and DEST/catalog.toml; a second run with the files in place does nothing.

`--eval` is the transfer evaluation in one command: the PDFs are ingested into a separate
data folder (default DEST-index, never the main index; embeddings cached there too), the
ingest is reported (pages, passages, seconds reading and embedding, passages with a
section), then the held-out set evals/data/debian_fr.jsonl (split `test` by default) runs
as `pairs eval` would with PAIRS_CORPUS_DIR=DEST and PAIRS_DATA_DIR=DEST-index:

    PAIRS_CORPUS_DIR=DEST PAIRS_DATA_DIR=DEST-index pairs ingest
    PAIRS_CORPUS_DIR=DEST PAIRS_DATA_DIR=DEST-index pairs eval --set evals/data/debian_fr.jsonl --split test"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DEST = Path(".pairs") / "external" / "debian-fr"
EVAL_SET = Path(__file__).resolve().parent / "data" / "debian_fr.jsonl"


@dataclass(frozen=True)
class ExternalDoc:
    package: str
    member: str  # path inside the package
    file: str  # name in DEST
    title: str
    organisation: str
    year: int


DOCS = (
    ExternalDoc("expeyes-doc-fr", "usr/share/expeyes/doc/fr-eyes.pdf", "expeyes-manuel.pdf",
                "expEYES, Experiments for Young Engineers and Scientists : manuel de l'utilisateur avec 50 expériences scientifiques", "Projet ExpEYES (IUAC), trad. G. Khaznadar", 2015),
    ExternalDoc("expeyes-doc-fr", "usr/share/expeyes/doc/fr-eyesj.pdf", "expeyes-junior-manuel.pdf",
                "expEYES Junior : manuel de l'utilisateur", "Projet ExpEYES (IUAC), trad. G. Khaznadar", 2015),
    ExternalDoc("expeyes-doc-fr", "usr/share/expeyes/doc/fr-eyesj-progman.pdf", "expeyes-junior-programmation.pdf",
                "ExpEYES-Junior : manuel du programmeur", "Projet ExpEYES (IUAC), trad. G. Khaznadar", 2015),
    ExternalDoc("eyes17-manuals-fr", "usr/share/doc/eyes17/fr/eyes17.pdf.gz", "eyes17-manuel.pdf",
                "expEYES-17 : manuel utilisateur, expériences pour jeunes ingénieurs et scientifiques", "Projet ExpEYES (IUAC), trad. G. Khaznadar", 2018),
)


def catalog_toml(docs=DOCS) -> str:
    lines = ["# Second corpus (Debian documentation packages, GPL/GFDL): fetched by `python -m evals.external`."]
    for d in docs:
        lines += ["", "[[document]]", f'file = "{d.file}"', f'title = "{d.title}"', f'organisation = "{d.organisation}"', f"year = {d.year}"]
    return "\n".join(lines) + "\n"


def fetch(dest: Path = DEFAULT_DEST, docs=DOCS) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    missing = [d for d in docs if not (dest / d.file).is_file()]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for package in sorted({d.package for d in missing}):
            subprocess.run(["apt-get", "download", package], cwd=work, check=True, capture_output=True)
            deb = next(work.glob(f"{package}_*.deb"))
            subprocess.run(["dpkg-deb", "-x", str(deb), str(work / "x")], check=True)
        for doc in missing:
            source = work / "x" / doc.member
            if source.suffix == ".gz":
                with gzip.open(source) as fh, (dest / doc.file).open("wb") as out:
                    shutil.copyfileobj(fh, out)
            else:
                shutil.copyfile(source, dest / doc.file)
    (dest / "catalog.toml").write_text(catalog_toml(docs), encoding="utf-8")
    return [dest / d.file for d in docs]


def ingest_summary(report, chunks) -> dict:
    """What the transfer check reports of an ingest: pages, passages, seconds, sections."""
    return {
        "files": len(report.files), "indexed": report.count("indexed"), "failed": [f"{f.doc}: {f.reason}" for f in report.failed],
        "pages": report.pages, "passages": len(chunks), "embedded": report.embedded,
        "ingest_s": round(report.seconds, 1), "read_s": round(report.read_seconds, 1), "embed_s": round(report.embed_seconds, 1),
        "with_section": round(sum(1 for c in chunks if c.section) / max(len(chunks), 1), 4),
        "page_ranges": sum(1 for c in chunks if c.page_end and c.page and c.page_end > c.page),
    }


def evaluate(dest: Path, data_dir: Path, split: str = "test", report: Path | None = None, backend: str = "extractive",
             rebuild: bool = False) -> int:
    """Ingest DEST into its own index, print the ingest summary, run the held-out set."""
    from assistant import Runtime
    from ingest import load_settings

    from .runner import EvalOptions
    from .runner import main as run_eval

    with Runtime(load_settings(corpus_dir=dest, data_dir=data_dir)) as runtime:
        ingested = runtime.ingest(rebuild=rebuild, show_progress=True)
        summary = ingest_summary(ingested, runtime.store.all_chunks())
        print("Ingestion : " + json.dumps(summary, ensure_ascii=False), flush=True)
        if not ingested.ok:
            print("Erreur : des fichiers n'ont pas pu être indexés.", file=sys.stderr)
            return 1
        options = EvalOptions(set_paths=(EVAL_SET,), split=split, backend=backend, report=report)
        return run_eval(options, runtime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.external", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dest", nargs="?", type=Path, default=DEFAULT_DEST)
    parser.add_argument("--eval", action="store_true", help="ingest DEST into its own index and run the held-out set")
    parser.add_argument("--data-dir", type=Path, default=None, help="index of DEST (default: DEST-index)")
    parser.add_argument("--split", choices=("test", "dev", "all"), default="test")
    parser.add_argument("--report", type=Path, default=None, help="folder for the eval report (Markdown, plots, metrics.json)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild DEST's index from scratch (embeddings stay cached)")
    args = parser.parse_args(argv)
    try:
        paths = fetch(args.dest)
    except (OSError, subprocess.CalledProcessError, StopIteration) as exc:
        print(f"Erreur : téléchargement des paquets Debian impossible ({exc}).", file=sys.stderr)
        return 1
    for path in paths:
        print(f"{path} ({path.stat().st_size / 1e6:.1f} Mo)")
    if args.eval:
        data_dir = args.data_dir or args.dest.with_name(args.dest.name + "-index")
        return evaluate(args.dest, data_dir, args.split, args.report, rebuild=args.rebuild)
    return 0


if __name__ == "__main__":
    sys.exit(main())
