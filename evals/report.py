"""The evaluation report: Markdown + PNG plots (matplotlib, Agg), the metrics as JSON and
every item's observations as JSONL, so a maintainer sees what failed and why."""

from __future__ import annotations

import json
import time
from pathlib import Path

from .metrics import K_VALUES, MODES, ItemResult, failure_reasons, severity

WORST = 10
MODE_LABELS = {"hybrid": "hybride", "dense": "dense", "bm25": "BM25"}
STAGE_LABELS = {"retrieval": "recherche", "first_token": "premier mot", "total": "total"}


def fmt(value, percent: bool = True) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and percent:
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def seconds(value) -> str:
    return "—" if value is None else f"{value:.2f} s"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


# -- terminal summary ------------------------------------------------------------------
def summary_text(metrics: dict) -> str:
    o = metrics["overall"]
    lines = [f"Évaluation de {metrics['items']} items ({', '.join(Path(p).name for p in metrics['sets'])}, partie {metrics['split']}"
             + (f", sous-ensemble {metrics['subset']}" if metrics["subset"] else "")
             + f") avec le backend {metrics['backend']} en {metrics['seconds']:.1f} s."]
    if o["errors"]:
        lines.append(f"  ! {o['errors']} item(s) en erreur")
    for mode, r in o["retrieval"].items():
        recalls = "  ".join(f"R@{k} {fmt(r[f'recall_at_{k}'])}" for k in K_VALUES)
        lines.append(f"  Recherche {MODE_LABELS.get(mode, mode):8} {recalls}  MRR {fmt(r['mrr'], False)}")
    c, a, ab = o["citations"], o["answer"], o["abstention"]
    if c["answers"]:
        translated = f", traductions vérifiées {fmt(c['translated'])}" if c.get("translated") else ""
        lines.append(f"  Citations : phrases citées {fmt(c['cited'])}, citées telles quelles {fmt(c['quoted'])}{translated}, "
                     f"passage de référence cité {fmt(c['hit'])}, précision {fmt(c['precision'])}")
        lines.append(f"  Réponses : termes attendus {fmt(a['must_mention'])}")
    if ab["tp"] + ab["fp"] + ab["fn"] + ab["tn"]:
        base = ab.get("baselines", {})
        lines.append(f"  Abstention : rappel {fmt(ab['recall'])}, abstentions à tort {fmt(ab['false_abstention'])} "
                     f"(pertinence seule : {fmt(base.get('relevance_only', {}).get('recall'))} / {fmt(base.get('relevance_only', {}).get('false_abstention'))} ; "
                     f"toujours s'abstenir : 100 % / {fmt(base.get('always_abstain', {}).get('false_abstention'))})")
    v = o.get("verification")
    if v:
        wo = v["baselines"]["word_overlap"]
        lines.append(f"  Vérification ({v['claims']} affirmations) : altérées jugées « étaye » {fmt(v['altered_supported'])} "
                     f"(recouvrement de mots {fmt(wo['altered_supported'])}, toujours « étaye » 100 %), "
                     f"fidèles « étaye » {fmt(v['faithful_supported'])} (mots {fmt(wo['faithful_supported'])}), "
                     f"contradictions détectées {fmt(v['contradictions_detected'])} (références : 0 %)")
    if o["claims"]["items"]:
        lines.append(f"  Affirmations (sources) : verdict juste {fmt(o['claims']['accuracy'])} sur {o['claims']['items']}")
    if o.get("faithfulness"):
        f = o["faithfulness"]
        lines.append(f"  Juge : fidélité {fmt(f['faithfulness'])} ({f['claims']} affirmations, {f['items']} réponses)")
    elif metrics.get("judge"):
        lines.append(f"  Juge : {metrics['judge']['message'] or 'aucune réponse jugée'}")
    lat = o["latency"]
    lines.append("  Latence p50/p90 : " + ", ".join(
        f"{STAGE_LABELS[s]} {seconds(lat[s]['p50'])}/{seconds(lat[s]['p90'])}" for s in STAGE_LABELS if s in lat))
    if metrics.get("report"):
        lines.append(f"  Rapport : {metrics['report']}")
    return "\n".join(lines)


# -- report ----------------------------------------------------------------------------
def write_report(out_dir: Path, metrics: dict, items: list[ItemResult]) -> Path:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    plots = write_plots(out_dir, metrics, items)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    with (out_dir / "items.jsonl").open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item.to_json(), ensure_ascii=False) + "\n")
    path = out_dir / "report.md"
    path.write_text(markdown(metrics, items, plots), encoding="utf-8")
    return path


def markdown(metrics: dict, items: list[ItemResult], plots: dict[str, str]) -> str:
    parts = [
        _header(metrics),
        _verification(metrics, plots),
        _baselines(metrics, plots),
        _per_kind(metrics, plots),
        _abstention(metrics, items),
        _latency(metrics, plots),
        _gate(metrics),
        _worst(items),
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


def _header(metrics: dict) -> str:
    o = metrics["overall"]
    c, ab = o["citations"], o["abstention"]
    h = o["retrieval"].get("hybrid") or next(iter(o["retrieval"].values()), {})
    kinds = ", ".join(f"{k} {n}" for k, n in metrics["kinds"].items())
    rows = [
        ["Recherche hybride : rappel@5 / MRR", f"{fmt(h.get('recall_at_5'))} / {fmt(h.get('mrr'), False)}"],
        ["Phrases de réponse avec citation", fmt(c["cited"])],
        ["Phrases du modèle remplacées par la phrase source citée", fmt(c["quoted"])],
        ["Réponses citant un passage de référence", fmt(c["hit"])],
        ["Citations recouvrant une référence (précision)", fmt(c["precision"])],
        ["Termes attendus présents", fmt(o["answer"]["must_mention"])],
        ["Abstention : précision / rappel / F1", f"{fmt(ab['precision'])} / {fmt(ab['recall'])} / {fmt(ab['f1'])}"],
        ["Abstentions à tort (questions qui ont une réponse)", fmt(ab["false_abstention"])],
        *_verification_rows(o.get("verification")),
        ["Affirmations : verdict de `sources` juste", fmt(o["claims"]["accuracy"])],
    ]
    if o.get("faithfulness"):
        rows.append(["Fidélité (juge LLM, par affirmation)", fmt(o["faithfulness"]["faithfulness"])])
    judge = metrics.get("judge")
    note = f"\n\nJuge : {judge['message']}" if judge and judge.get("message") else ""
    return (
        "# Rapport d'évaluation de l'ancrage — Pairs\n\n"
        "- Jeux : " + ", ".join(f"`{p}`" for p in metrics["sets"]) + f", partie **{metrics['split']}**"
        + (" (jamais vue par le calibrage)" if metrics["split"] == "test" else "")
        + (f" (sous-ensemble `{metrics['subset']}`)" if metrics["subset"] else "") + "\n"
        f"- Backend : `{metrics['backend']}` (réponses : " + ", ".join(f"{b} {n}" for b, n in metrics["backends_used"].items()) + ")\n"
        f"- Items : {metrics['items']} ({kinds}), dont {o['errors']} en erreur\n"
        f"- Durée : {metrics['seconds']:.1f} s — {time.strftime('%Y-%m-%d %H:%M')}\n\n"
        "## Synthèse\n\n" + table(["Métrique", "Valeur"], rows) + note
    )


TYPE_LABELS = {"faithful": "fidèle (paraphrase)", "negation": "négation", "number": "chiffre", "date": "date",
               "comparative": "comparatif / antonyme", "role": "rôles inversés", "entity": "entité changée",
               "generalisation": "généralisation", "unrelated": "sans rapport (même sujet)"}


def _verification_rows(v: dict | None) -> list[list[str]]:
    if not v:
        return []
    wo = v["baselines"]["word_overlap"]
    return [
        ["Affirmations altérées jugées « étaye » (cible ≤ 5 %)", f"{fmt(v['altered_supported'])} (recouvrement de mots {fmt(wo['altered_supported'])}, toujours « étaye » 100 %)"],
        ["Affirmations fidèles jugées « étaye » (cible ≥ 90 %)", f"{fmt(v['faithful_supported'])} (recouvrement de mots {fmt(wo['faithful_supported'])})"],
        ["Contradictions (négation, chiffre, date, comparatif) jugées « contredit » (cible ≥ 80 %)", f"{fmt(v['contradictions_detected'])} (références : 0 %)"],
    ]


def _verification(metrics: dict, plots: dict[str, str]) -> str:
    v = metrics["overall"].get("verification")
    if not v:
        return ""
    header = ["Type", "n", "« étaye »", "« contredit »", "toujours « étaye »", "recouvrement de mots"]
    rows = [[TYPE_LABELS.get(t, t), str(x["n"]), fmt(x["supports"]), fmt(x["contradicts"]),
             fmt(x["baselines"]["always_supports"]), fmt(x["baselines"]["word_overlap"])] for t, x in v["by_type"].items()]
    passages = metrics.get("claim_passages") or {"examined": 16, "may_support": 8}  # reports written before stop 29
    text = ("## Vérification des affirmations (jeu adversarial)\n\n"
            f"Chaque affirmation est passée à `pairs sources` ({passages['examined']} passages, dont les "
            f"{passages['may_support']} premiers et le mieux aligné de tous peuvent l'étayer) ; « étaye » quand un passage l'étaye, "
            "« contredit » quand aucun ne l'étaye et qu'un passage la contredit. Une affirmation fidèle doit être étayée ; "
            "une affirmation altérée ne doit jamais l'être. Seuils calibrés sur la partie dev ; "
            f"chiffres de la partie **{metrics['split']}**.\n\n"
            f"Fidèles étayées par le passage qui contient leur phrase source : {fmt(v['faithful_supported_by_source'])} ; "
            f"phrase source parmi les {passages['may_support']} premiers passages : "
            f"{fmt(v.get('source_retrieved_may_support', v['source_retrieved_at_8']))}, parmi tous ceux examinés : "
            f"{fmt(v.get('source_retrieved'))}.\n\n"
            + table(header, rows))
    return text + (f"\n\n![Par type d'altération]({plots['verification']})" if "verification" in plots else "")


def _baselines(metrics: dict, plots: dict[str, str]) -> str:
    o = metrics["overall"]
    header = ["Recherche"] + [f"R@{k}" for k in K_VALUES] + [f"Hit@{k}" for k in K_VALUES] + ["MRR", "latence p50"]
    rows = []
    for mode, r in o["retrieval"].items():
        latency = o["latency"].get(f"search_{mode}", {}).get("p50")
        rows.append([MODE_LABELS.get(mode, mode)] + [fmt(r[f"recall_at_{k}"]) for k in K_VALUES]
                    + [fmt(r[f"hit_at_{k}"]) for k in K_VALUES] + [fmt(r["mrr"], False), seconds(latency)])
    n = next(iter(o["retrieval"].values()), {}).get("items", 0)
    text = ("## Recherche : hybride, dense seule, BM25 seul\n\n"
            f"Sur {n} items avec citations de référence ; une référence est trouvée quand un passage du même document "
            "recouvre sa position dans le fichier. R@k : part des références trouvées dans les k premiers passages ; "
            "Hit@k : au moins une.\n\n" + table(header, rows))
    return text + (f"\n\n![Rappel@k]({plots['recall']})" if "recall" in plots else "")


def _per_kind(metrics: dict, plots: dict[str, str]) -> str:
    header = ["Type", "Items", "R@5 hyb.", "R@5 dense", "R@5 BM25", "MRR hyb.", "Phrases citées", "Citées telles quelles",
              "Réf. citée", "Termes attendus", "Abstentions", "Latence p50"]
    rows = []
    for kind, g in list(metrics["by_kind"].items()) + [("**total**", metrics["overall"])]:
        r = g["retrieval"]
        rows.append([
            kind, str(g["items"]),
            *[fmt(r.get(m, {}).get("recall_at_5")) for m in MODES], fmt(r.get("hybrid", {}).get("mrr"), False),
            fmt(g["citations"]["cited"]), fmt(g["citations"]["quoted"]), fmt(g["citations"]["hit"]),
            fmt(g["answer"]["must_mention"]), fmt(g["abstention"]["rate"]), seconds(g["latency"].get("total", {}).get("p50")),
        ])
    text = "## Par type de question\n\n" + table(header, rows)
    return text + (f"\n\n![Par type]({plots['kinds']})" if "kinds" in plots else "")


def _abstention(metrics: dict, items: list[ItemResult]) -> str:
    ab = metrics["overall"]["abstention"]
    wrong_answers = [i.id for i in items if i.expects_abstention and not i.abstained and not i.error]
    wrong_abstentions = [i.id for i in items if not i.expects_abstention and i.abstained]
    rows = [["abstention attendue", str(ab["tp"]), str(ab["fn"])], ["réponse attendue", str(ab["fp"]), str(ab["tn"])]]
    base = ab.get("baselines", {})
    baseline_rows = [["Pairs", fmt(ab["recall"]), fmt(ab["false_abstention"])]] + [
        [name, fmt(b["recall"]), fmt(b["false_abstention"])] for name, b in base.items()]
    return (
        "## Abstention\n\nPositifs : questions hors corpus ou proches du sujet sans réponse (`unanswerable`), "
        "affirmations non étayées posées comme questions (`unsupported`).\n\n"
        + table(["", "s'est abstenu", "a répondu"], rows)
        + f"\n\nPrécision {fmt(ab['precision'])}, rappel {fmt(ab['recall'])}, F1 {fmt(ab['f1'])}.\n\n"
        + table(["", "rappel (cible ≥ 80 %)", "abstentions à tort (cible ≤ 5 %)"], baseline_rows) + "\n\n"
        + f"- A répondu à tort ({len(wrong_answers)}) : {', '.join(f'`{i}`' for i in wrong_answers) or 'aucun'}\n"
        + f"- S'est abstenu à tort ({len(wrong_abstentions)}) : {', '.join(f'`{i}`' for i in wrong_abstentions) or 'aucun'}"
    )


def _latency(metrics: dict, plots: dict[str, str]) -> str:
    rows = [[STAGE_LABELS.get(s) or f"recherche {MODE_LABELS.get(s.removeprefix('search_'), s)} seule (top 10)", str(v["n"]), seconds(v["p50"]), seconds(v["p90"]),
             seconds(v["mean"]), seconds(v["max"])] for s, v in metrics["overall"]["latency"].items()]
    text = ("## Latence\n\nÉtapes mesurées par `Assistant.ask` (depuis la question : recherche, premier mot, total), "
            "puis chaque mode de recherche seul, hors calcul de l'embedding de la question (déjà en cache).\n\n" + table(["Étape", "n", "p50", "p90", "moyenne", "max"], rows))
    return text + (f"\n\n![Latence]({plots['latency']})" if "latency" in plots else "")


def _gate(metrics: dict) -> str:
    gate = metrics.get("gate")
    if not gate:
        return ""
    status = "respectés" if gate["passed"] else "NON respectés"
    lines = [f"## Seuils ({gate['thresholds']}) : {status}"]
    lines += [f"- {f}" for f in gate["failures"]]
    return "\n\n".join(lines[:1]) + ("\n\n" + "\n".join(lines[1:]) if lines[1:] else "")


def _worst(items: list[ItemResult]) -> str:
    ranked = sorted(items, key=lambda i: (-severity(i), i.id))
    worst = [i for i in ranked if severity(i) > 0][:WORST]
    if not worst:
        return "## Items en échec\n\nAucun."
    return f"## Les {len(worst)} pires items\n\n" + "\n\n".join(_item(i) for i in worst)


def _item(item: ItemResult) -> str:
    lines = [f"### `{item.id}` ({item.kind}) — gravité {severity(item):.2f}", f"**Question** : {item.question}"]
    if item.history:
        lines.append("**Historique** : " + " / ".join(f"{t.get('role')} : {_short(str(t.get('content', '')), 160)}" for t in item.history))
    if item.standalone and item.standalone != item.question:
        lines.append(f"**Question autonome (recherche)** : {item.standalone}")
    lines.append("**Pourquoi** :\n" + "\n".join(f"- {r}" for r in failure_reasons(item)))
    lines.append(f"**Réponse** ({item.backend or '—'}{', abstention' if item.abstained else ''}) :\n\n> " + _short(item.answer, 900))
    if item.notice:
        lines.append(f"*Note du système : {item.notice}*")
    if item.citations:
        lines.append("**Citations** :\n" + "\n".join(
            f"- [{c.n}] {'✓' if c.gold else '✗'} `{c.doc}` [{c.start}:{c.end}] « {_short(c.quote, 220)} »" for c in item.citations))
    if item.gold:
        ranks = {m: r.ranks for m, r in item.retrieval.items()}
        lines.append("**Références attendues** (rang hybride / dense / BM25) :\n" + "\n".join(
            f"- `{g.doc}` ({' / '.join(str(ranks[m][n] or '—') for m in ranks)}) « {_short(g.quote, 220)} »" for n, g in enumerate(item.gold)))
    else:
        lines.append("**Références attendues** : aucune (le corpus ne contient pas la réponse)")
    if item.must_mention:
        lines.append("**Termes attendus** : " + ", ".join(f"{'✓' if ok else '✗'} {t}" for t, ok in zip(item.must_mention, item.mentioned or [False] * len(item.must_mention))))
    if item.reference:
        lines.append(f"**Réponse de référence** : {item.reference}")
    if item.judge and item.judge.claims:
        lines.append("**Juge** :\n" + "\n".join(f"- {'✓' if c['supported'] else '✗'} {c['claim']}" for c in item.judge.claims))
    return "\n\n".join(lines)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rstrip() + " …"


# -- plots -----------------------------------------------------------------------------
def write_plots(out_dir: Path, metrics: dict, items: list[ItemResult]) -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plots = {}
    for name, draw in (("verification", _plot_verification), ("recall", _plot_recall), ("kinds", _plot_kinds), ("latency", _plot_latency)):
        fig = draw(plt, metrics, items)
        if fig is not None:
            path = out_dir / f"{name}.png"
            fig.tight_layout()
            fig.savefig(path, dpi=110)
            plt.close(fig)
            plots[name] = path.name
    return plots


def _plot_verification(plt, metrics, items):
    v = metrics["overall"].get("verification")
    if not v:
        return None
    types = list(v["by_type"])
    series = {"Pairs : « étaye »": [v["by_type"][t]["supports"] for t in types],
              "Pairs : « contredit »": [v["by_type"][t]["contradicts"] for t in types],
              "recouvrement de mots : « étaye »": [v["by_type"][t]["baselines"]["word_overlap"] for t in types],
              "toujours « étaye »": [v["by_type"][t]["baselines"]["always_supports"] for t in types]}
    fig, ax = plt.subplots(figsize=(max(8, 1.2 * len(types)), 4.4))
    width = 0.8 / len(series)
    for n, (label, values) in enumerate(series.items()):
        positions = [i + (n - (len(series) - 1) / 2) * width for i in range(len(types))]
        ax.bar(positions, [x or 0 for x in values], width, label=label)
    ax.set_xticks(range(len(types)), [f"{TYPE_LABELS.get(t, t)}\n({v['by_type'][t]['n']})" for t in types], fontsize=8)
    ax.set(ylim=(0, 1.05), title=f"Verdicts par type d'affirmation (partie {metrics['split']})")
    ax.legend(fontsize=8, ncols=2, loc="upper center", bbox_to_anchor=(0.5, -0.22))
    ax.grid(axis="y", alpha=0.3)
    return fig


def _plot_recall(plt, metrics, items):
    retrieval = metrics["overall"]["retrieval"]
    if not retrieval:
        return None
    fig, ax = plt.subplots(figsize=(6, 4))
    for mode, r in retrieval.items():
        values = [r[f"recall_at_{k}"] or 0 for k in K_VALUES]
        ax.plot(K_VALUES, values, marker="o", label=f"{MODE_LABELS.get(mode, mode)} (MRR {r['mrr'] or 0:.2f})")
    ax.set(xlabel="k (passages)", ylabel="rappel@k", title="Rappel des citations de référence", xticks=list(K_VALUES), ylim=(0, 1.02))
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


def _plot_kinds(plt, metrics, items):
    kinds = list(metrics["by_kind"])
    if not kinds:
        return None
    series = {
        "rappel@5 (hybride)": lambda g: g["retrieval"].get("hybrid", {}).get("recall_at_5"),
        "réf. citée": lambda g: g["citations"]["hit"],
        "phrases citées": lambda g: g["citations"]["cited"],
        "termes attendus": lambda g: g["answer"]["must_mention"],
        "abstention juste": lambda g: (g["abstention"]["tp"] + g["abstention"]["tn"]) / max(1, g["items"] - g["errors"]),
    }
    fig, ax = plt.subplots(figsize=(max(7, 1.3 * len(kinds)), 4.2))
    width = 0.8 / len(series)
    for n, (label, get) in enumerate(series.items()):
        values = [get(metrics["by_kind"][k]) for k in kinds]
        positions = [i + (n - (len(series) - 1) / 2) * width for i in range(len(kinds))]
        ax.bar(positions, [v or 0 for v in values], width, label=label)
    ax.set_xticks(range(len(kinds)), [f"{k}\n({metrics['by_kind'][k]['items']})" for k in kinds])
    ax.set(ylim=(0, 1.05), title="Métriques par type de question")
    ax.legend(fontsize=8, ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    ax.grid(axis="y", alpha=0.3)
    return fig


def _plot_latency(plt, metrics, items):
    stages = [s for s in ("retrieval", "total") if any(s in i.timings for i in items)]
    if not stages:
        return None
    fig, ax = plt.subplots(figsize=(6, 4))
    series = {stage: [i.timings[stage] for i in items if stage in i.timings] for stage in stages}
    highest = max(max(v) for v in series.values()) or 1.0
    count = min(30, max(5, len(items) // 3))
    bins = [highest * n / count for n in range(count + 1)]  # the same bins for every stage
    for stage, values in series.items():
        ax.hist(values, bins=bins, alpha=0.6, label=STAGE_LABELS[stage])
    ax.set(xlabel="secondes", ylabel="items", title=f"Latence ({metrics['backend']})")
    ax.legend()
    return fig
