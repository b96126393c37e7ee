"""The second corpus: French PDF manuals from Debian documentation packages (LaTeX/LyX
output), fetched on demand and never committed. It is the held-out corpus of the
grounding evaluation (nothing is tuned on it) and the PDF-fidelity transfer check.

    python -m evals.external [DEST]      # default: .pairs/external/debian-fr

Needs `apt-get download` (Debian's package registry) and `dpkg-deb`. Writes DEST/*.pdf
and DEST/catalog.toml; a second run with the files in place does nothing."""

from __future__ import annotations

import argparse
import gzip
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DEST = Path(".pairs") / "external" / "debian-fr"


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.external", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dest", nargs="?", type=Path, default=DEFAULT_DEST)
    args = parser.parse_args(argv)
    try:
        paths = fetch(args.dest)
    except (OSError, subprocess.CalledProcessError, StopIteration) as exc:
        print(f"Erreur : téléchargement des paquets Debian impossible ({exc}).", file=sys.stderr)
        return 1
    for path in paths:
        print(f"{path} ({path.stat().st_size / 1e6:.1f} Mo)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
