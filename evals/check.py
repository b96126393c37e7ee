"""Check an eval set: format, and every gold quote an exact substring of its document.

    python -m evals.check [SET.jsonl] [--corpus DIR]

Exit code 0 when the set is valid, 1 otherwise (each error printed)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .dataset import CLAIM_TYPES, DEFAULT_SET, KINDS, SPLITS, UNANSWERABLE_TYPES, EvalSetError, GoldQuote, SourceTexts, read_lines

ROLES = {"user", "assistant"}


def check_set(path: Path | str, corpus_dir: Path | str) -> list[str]:
    """Every problem of the set, one French message each; empty when the set is valid."""
    try:
        rows = read_lines(Path(path))
    except EvalSetError as exc:
        return [str(exc)]
    if not rows:
        return [f"{path} : aucun item"]
    sources = SourceTexts(Path(corpus_dir))
    errors: list[str] = []
    seen: dict[str, int] = {}
    splits: dict[str, set[str]] = {}
    for number, data, error in rows:
        where = f"ligne {number}"
        if error:
            errors.append(f"{where} : {error}")
            continue
        item_id = data.get("id")
        if isinstance(item_id, str) and item_id:
            where = f"ligne {number} ({item_id})"
            if item_id in seen:
                errors.append(f"{where} : identifiant en double (déjà ligne {seen[item_id]})")
            seen.setdefault(item_id, number)
        errors += [f"{where} : {message}" for message in check_item(data, sources)]
        if isinstance(data, dict) and data.get("group") and data.get("split"):
            splits.setdefault(str(data["group"]), set()).add(str(data["split"]))
    errors += [f"groupe « {g} » : présent dans les parties {', '.join(sorted(s))} (un groupe reste dans une seule partie)"
               for g, s in sorted(splits.items()) if len(s) > 1]
    return errors


def check_item(data: dict, sources: SourceTexts) -> list[str]:
    errors = _fields(data)
    if errors:
        return errors
    errors += _gold(data, sources)
    errors += _history(data)
    errors += _adversarial(data, sources)
    return errors


def _adversarial(data: dict, sources: SourceTexts) -> list[str]:
    """Claims with a `type` (and unanswerables with one): type, expected verdict, split,
    the source sentence (or the nearby passage) found in its document."""
    errors = []
    split = data.get("split")
    if split is not None and split not in SPLITS:
        errors.append(f"partie « {split} » inconnue (attendues : {', '.join(SPLITS)})")
    kind, kind_type = data.get("kind"), data.get("type")
    if kind == "claim" and kind_type is not None:
        if kind_type not in CLAIM_TYPES:
            errors.append(f"type d'affirmation « {kind_type} » inconnu (attendus : {', '.join(CLAIM_TYPES)})")
        elif data.get("expected") != CLAIM_TYPES[kind_type]:
            errors.append(f"verdict attendu « {data.get('expected')} » incohérent avec le type {kind_type} ({CLAIM_TYPES[kind_type]})")
        if (kind_type == "faithful") == bool(data.get("unsupported")):
            errors.append("« unsupported » incohérent avec le type (fidèle : false, altérée : true)")
        if not isinstance(data.get("source"), dict):
            errors.append("une affirmation adversariale demande sa phrase source (source : {doc, quote})")
    if kind == "unanswerable" and kind_type is not None and kind_type not in UNANSWERABLE_TYPES:
        errors.append(f"type de question sans réponse « {kind_type} » inconnu (attendus : {', '.join(UNANSWERABLE_TYPES)})")
    for name in ("source", "near"):
        quote = data.get(name)
        if isinstance(quote, dict) and isinstance(quote.get("doc"), str) and isinstance(quote.get("quote"), str):
            gold = GoldQuote.of(quote)
            if sources.text(gold.doc) is None:
                errors.append(f"{name} : {gold.doc} : {sources.error(gold.doc)}")
            elif not sources.found(gold):
                errors.append(f"{name} : citation introuvable dans {gold.doc} : « {_short(gold.quote)} »")
    return errors


def _fields(data: dict) -> list[str]:
    errors = []
    for name in ("id", "question", "kind"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            errors.append(f"champ « {name} » manquant ou vide")
    if isinstance(data.get("kind"), str) and data["kind"] and data["kind"] not in KINDS:
        errors.append(f"type « {data['kind']} » inconnu (attendus : {', '.join(KINDS)})")
    if not isinstance(data.get("gold"), list):
        errors.append("champ « gold » manquant : une liste de {doc, quote} est attendue")
    if not isinstance(data.get("answer", ""), str):
        errors.append("champ « answer » : une chaîne est attendue")
    for name in ("must_mention", "tags"):
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value):
            errors.append(f"champ « {name} » : une liste de chaînes non vides est attendue")
    if "unsupported" in data and not isinstance(data["unsupported"], bool):
        errors.append("champ « unsupported » : true ou false attendu")
    return errors


def _gold(data: dict, sources: SourceTexts) -> list[str]:
    errors = []
    abstain = data["kind"] == "unanswerable" or data.get("unsupported") is True
    if abstain and data["gold"]:
        errors.append("gold non vide alors que l'item attend une abstention")
    if not abstain and not data["gold"]:
        errors.append("gold vide alors que l'item attend une réponse")
    for n, gold in enumerate(data["gold"], start=1):
        if not isinstance(gold, dict) or not isinstance(gold.get("doc"), str) or not isinstance(gold.get("quote"), str):
            errors.append(f"gold n° {n} : un objet {{doc, quote}} de chaînes est attendu")
            continue
        if not gold["quote"].strip():
            errors.append(f"gold n° {n} : citation vide")
            continue
        text = sources.text(gold["doc"])
        if text is None:
            errors.append(f"gold n° {n} : {gold['doc']} : {sources.error(gold['doc'])}")
        elif not sources.found(GoldQuote.of(gold)):
            errors.append(f"gold n° {n} : citation introuvable telle quelle dans {gold['doc']} : « {_short(gold['quote'])} »")
    return errors


def _history(data: dict) -> list[str]:
    history = data.get("history")
    if history is None:
        return ["un item « followup » demande un historique (history)"] if data["kind"] == "followup" else []
    if not isinstance(history, list) or not history:
        return ["champ « history » : une liste non vide de {role, content} est attendue"]
    errors = []
    for n, turn in enumerate(history, start=1):
        if not isinstance(turn, dict) or turn.get("role") not in ROLES or not isinstance(turn.get("content"), str):
            errors.append(f"history, tour n° {n} : {{role: user|assistant, content: chaîne}} attendu")
    return errors


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.check", description="Vérifier un jeu d'évaluation.")
    parser.add_argument("set_path", nargs="?", default=str(DEFAULT_SET))
    parser.add_argument("--corpus", default=None, help="dossier du corpus (défaut : réglage corpus_dir)")
    args = parser.parse_args(argv)
    if args.corpus is None:
        from ingest import load_settings

        args.corpus = load_settings().corpus_dir
    errors = check_set(args.set_path, args.corpus)
    for error in errors:
        print(error)
    if errors:
        print(f"{len(errors)} erreur(s) dans {args.set_path}", file=sys.stderr)
        return 1
    count = sum(1 for line in Path(args.set_path).read_text(encoding="utf-8").splitlines() if line.strip())
    print(f"{args.set_path} : {count} items valides, toutes les citations sont exactes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
