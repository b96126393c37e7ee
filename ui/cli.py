"""The `pairs` command: ingest, search, ask, sources, serve, eval.

The JSON shapes printed here are an interface scripts rely on: extend, never break."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import signal
import sys
import textwrap
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_ingest(args, runtime) -> int:
    report = runtime.ingest([Path(p) for p in args.paths] or None, rebuild=args.rebuild,
                            show_progress=not args.json and sys.stderr.isatty() or args.progress, actor=cli_actor())
    if args.json:
        _print_json({
            "ok": report.ok, "seconds": round(report.seconds, 3), "chunks": report.chunks,
            "embedded": report.embedded, "pages": report.pages,
            "files": [vars(f) for f in report.files], "ignored": report.ignored,
        })
    else:
        print(format_report(report))
    return EXIT_OK if report.ok else EXIT_FAILED


def cli_actor() -> str:
    """Who ingests from the command line, for the provenance of each passage."""
    try:
        return f"ligne de commande ({getpass.getuser()})"
    except (KeyError, OSError):
        return "ligne de commande"


def format_report(report) -> str:
    lines = [
        f"Ingestion terminée en {report.seconds:.1f} s : {report.count('indexed')} fichier(s) indexé(s), "
        f"{report.count('unchanged')} inchangé(s), {report.count('removed')} retiré(s), {len(report.failed)} en échec.",
        f"Passages dans l'index pour ces fichiers : {report.chunks} ; passages calculés : {report.embedded} ; pages PDF : {report.pages}.",
    ]
    for f in report.files:
        if f.status == "failed":
            lines.append(f"  ✗ {f.path} : {f.reason}")
        for warning in f.warnings:
            lines.append(f"  ! {f.doc} : {warning}")
        if f.status == "removed":
            lines.append(f"  − {f.doc} : fichier disparu, {f.chunks} passage(s) retirés de l'index")
        if f.relabelled:
            lines.append(f"  ~ {f.doc} : titre, organisation ou année mis à jour depuis catalog.toml (sans recalcul des vecteurs)")
        if f.flagged and f.status != "indexed":  # a newly indexed file says it in its warnings
            lines.append(f"  ! {f.doc} : {len(f.flagged)} phrase(s) ressemblant à une consigne adressée à l'assistant (jamais citées)")
    if report.ignored:
        lines.append(f"  Ignorés (type non pris en charge) : {', '.join(Path(p).name for p in report.ignored[:10])}")
    return "\n".join(lines)


def cmd_search(args, runtime) -> int:
    from assistant import Assistant

    _require_index(runtime)
    assistant = Assistant(runtime, backend="extractive")
    passages = assistant.search(args.query, args.k)
    if args.json:
        _print_json([p.to_json() for p in passages])
        return EXIT_OK
    if not passages:
        print("Aucun passage trouvé.")
    for p in passages:
        c = p.chunk
        where = " · ".join(x for x in (c.section, f"p. {c.page}" if c.page else "") if x)
        print(f"{p.rank}. {c.title} ({c.doc}) — {where}  [score {p.score:.4f}, similarité {p.dense:.3f}]")
        print(textwrap.indent(textwrap.fill(c.text[:400] + ("…" if len(c.text) > 400 else ""), 100), "   "))
    return EXIT_OK


def _require_index(runtime) -> None:
    if runtime.store.count() == 0:
        raise SystemExit("L'index est vide : lancez d'abord `pairs ingest` (ou `pairs serve`, qui l'ingère au premier lancement).")


def ensure_index(runtime) -> None:
    """First run: ingest the corpus so the assistant has something to answer from."""
    if runtime.store.count() == 0:
        print("Premier lancement : ingestion du corpus…", file=sys.stderr)
        print(format_report(runtime.ingest(show_progress=True, actor=cli_actor())), file=sys.stderr)


def print_answer(answer, body: bool = True) -> None:
    if body:
        print(answer.answer)
    if answer.notice:
        print(f"\n(i) {answer.notice}")
    originals = [s for s in answer.sentences if s.original]
    if originals:
        print("\nFrench sentences verified against the passages (phrases vérifiées) :")
        for sentence in originals:
            print(textwrap.indent(textwrap.fill(f"« {sentence.original} »", 100), "  "))
    if answer.citations:
        print("\nSources :")
        for c in answer.citations:
            print(f"  [{c.n}] {c.reference()}")
            print(textwrap.indent(textwrap.fill(f"« {c.quote or c.text[:300]} »", 100), "      "))
    elif answer.abstained and answer.passages:
        print("\nPassages les plus proches :")
        for p in answer.passages:
            print(f"  - {p.chunk.title}, {p.chunk.section or 's. n.'} : {p.chunk.text[:160]}…")
    t = answer.timings
    first = f" · première phrase vérifiée {t['first_sentence']:.2f} s" if "first_sentence" in t else ""
    print(f"\n[{answer.backend} · recherche {t.get('retrieval', 0):.2f} s · premier mot {t.get('first_token', 0):.2f} s{first} · total {t.get('total', 0):.2f} s]")


def cmd_ask(args, runtime) -> int:
    from assistant import Assistant

    if not args.question:
        ensure_index(runtime)
    _require_index(runtime)
    assistant = Assistant(runtime, backend=args.backend)
    if args.question:
        answer = assistant.ask(" ".join(args.question), backend=args.backend)
        _print_json(answer.to_json()) if args.json else print_answer(answer)
        return EXIT_OK
    return _chat_loop(assistant, args.backend)


def _chat_loop(assistant, backend) -> int:
    """Each verified sentence is printed as soon as it is; the model's raw text never is."""
    from assistant import Answer, InvalidQuestionError, Verified

    history: list[dict] = []
    print("Pairs — posez une question sur la pair-aidance (ligne vide ou Ctrl-D pour quitter).")
    while True:
        try:
            question = input("\n? ").strip()
        except EOFError:
            return EXIT_OK
        if not question:
            return EXIT_OK
        try:
            streamed = False
            for event in assistant.stream(question, history, backend):
                if isinstance(event, Verified):
                    print(event.text, end=" ", flush=True)
                    streamed = True
                elif isinstance(event, Answer):
                    print()
                    print_answer(event, body=not streamed or event.abstained)
                    history += [{"role": "user", "content": question}, {"role": "assistant", "content": event.answer}]
        except InvalidQuestionError as exc:
            print(exc)


def cmd_sources(args, runtime) -> int:
    from assistant import Assistant

    _require_index(runtime)
    assistant = Assistant(runtime, backend="extractive")
    result = assistant.sources(" ".join(args.claim), k=args.k)
    if args.json:
        _print_json(result.to_json())
        return EXIT_OK
    from ui.render import VERDICT_LABELS, reasons_text

    print({"supports": "Affirmation étayée par le corpus.",
           "contradicts": "Le corpus contredit cette affirmation (aucun passage ne l'étaye, au moins un dit autre chose).",
           }.get(result.verdict, "Aucun passage du corpus n'étaye cette affirmation."))
    for m in result.matches:
        data = m.to_json()
        if data["verdict"] == "none":
            continue
        print(f"\n[{VERDICT_LABELS[data['verdict']].upper()} · appui {data['support']:.2f}] « {m.quote} »")
        if data["reasons"] and data["verdict"] != "supports":
            print(f"    pourquoi : {reasons_text(data['reasons'])}")
        print(f"    — {data['reference']} ({m.passage.chunk.doc})")
    return EXIT_OK


def cmd_serve(args, runtime) -> int:
    from ui.app import check_binding, serve

    refusal = check_binding(runtime.settings, args.host or runtime.settings.host)
    if refusal:  # before any ingest: a refused binding must not cost a minute of embedding
        print(f"Erreur : {refusal}", file=sys.stderr)
        return EXIT_USAGE
    return serve(runtime, host=args.host, port=args.port)  # indexes (first run) in the background


def cmd_eval(args, runtime) -> int:
    from evals.runner import main as eval_main

    return eval_main(args, runtime)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pairs", description="Pairs : un assistant ancré dans les sources sur la pair-aidance.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="indexer le corpus ou des fichiers (PDF, .txt, .md)")
    p.add_argument("paths", nargs="*", help="fichiers ou dossiers (défaut : le dossier corpus/)")
    p.add_argument("--rebuild", action="store_true", help="reconstruire l'index de zéro")
    p.add_argument("--json", action="store_true")
    p.add_argument("--progress", action="store_true", help="barre de progression même hors terminal")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="chercher des passages")
    p.add_argument("query")
    p.add_argument("--k", type=int, default=5)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="poser une question (sans question : conversation)")
    p.add_argument("question", nargs="*")
    p.add_argument("--json", action="store_true")
    p.add_argument("--backend", default=None, help="auto, local, ollama, openai ou extractive")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("sources", help="trouver les passages qui étayent une affirmation")
    p.add_argument("claim", nargs="+")
    p.add_argument("--k", type=int, default=None, help="passages examinés (défaut : réglage claim_passages, 16)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser("serve", help="lancer l'interface web")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("eval", help="évaluer l'ancrage des réponses")
    p.add_argument("--set", dest="set_paths", action="append", default=None,
                   help="jeu d'évaluation JSONL, répétable (défaut : evals/data/eval_set.jsonl et evals/data/claims.jsonl)")
    p.add_argument("--split", choices=("test", "dev", "all"), default="test",
                   help="partie du jeu : test (défaut, jamais vue par le calibrage), dev (calibrage) ou all")
    p.add_argument("--backend", default="extractive")
    p.add_argument("--report", default=None, help="dossier où écrire le rapport (Markdown + graphiques)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=None, help="n'évaluer que les N premiers items")
    p.add_argument("--subset", default=None, help="nom d'un sous-ensemble (ex. ci)")
    p.add_argument("--gate", action="store_true", help="échouer si les métriques passent sous les seuils de evals/thresholds.toml")
    p.add_argument("--judge", default=None, help="backend d'un juge LLM (fidélité par affirmation)")
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `pairs search … | head` must not trace back
    args = build_parser().parse_args(argv)
    from assistant import InvalidQuestionError, Runtime
    from ingest import EmbedderMismatchError, StoreUnavailableError, load_settings

    try:
        with Runtime(load_settings()) as runtime:  # the settings, read once, here
            return args.func(args, runtime)
    except (EmbedderMismatchError, StoreUnavailableError, InvalidQuestionError, ValueError) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # no stack trace for users; PAIRS_DEBUG=1 shows it to developers
        if os.environ.get("PAIRS_DEBUG"):
            raise
        print(f"Erreur inattendue ({type(exc).__name__}) : {exc}\n"
              "Relancez avec PAIRS_DEBUG=1 pour le détail technique.", file=sys.stderr)
        return EXIT_FAILED

if __name__ == "__main__":
    sys.exit(main())
