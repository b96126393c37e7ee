"""HTML for the web UI, from the JSON shapes of the assistant API (Answer.to_json(),
SourcesResult.to_json(), Passage.to_json()). Pure functions: no Gradio, no I/O.

Every piece of text that comes from documents, models or users goes through `esc`: HTML
escaped, and made inert for the Markdown renderer of the chat (no link, image, autolink,
emphasis or LaTeX can come out of it), invisible and bidi control characters removed. The
only links in the output are the ones written here, to anchors of the page (#cite-…).
Sentences of a passage that address the assistant are shown as a neutral placeholder.
Server paths never appear: `redact_paths` hides any that an error message carries."""

from __future__ import annotations

import re

from assistant import markers
from assistant.safety import INVISIBLE, NEUTRALISED, flagged_spans
from ingest.types import innermost_heading

BACKEND_LABELS = {
    "extractive": "extractif (phrases des passages, sans LLM)",
    "local": "modèle local",
    "ollama": "Ollama",
    "openai": "serveur compatible OpenAI",
    "custom": "modèle injecté",
}
LOADING_AFTER = 3.0  # seconds without a token before saying the generator is loading
VERDICT_LABELS = {"supports": "Étaye", "contradicts": "Contredit", "related": "Partiel", "none": "Sans lien"}
REASON_LABELS = {
    "polarity": "négation inversée", "figure_changed": "chiffre ou date différent", "figure_missing": "chiffre absent du passage",
    "antonym": "sens contraire", "comparison_swap": "comparaison inversée", "role_swap": "rôles inversés",
    "attachment_swap": "rôles inversés", "role_substitution": "rôle attribué à un autre acteur",
    "entity_missing": "nom absent du passage", "actor_missing": "acteur absent du passage",
    "quantifier": "généralisation", "quantifier_added": "généralisation", "frequency": "fréquence renforcée",
    "modality": "obligation ou possibilité changée", "hedge_dropped": "nuance supprimée", "exclusive_added": "exclusivité ajoutée",
    "low_coverage": "le passage n'en dit qu'une partie", "low_support": "le passage n'en dit qu'une partie",
    "no_alignment": "aucune phrase correspondante", "verbatim": "citation exacte", "quoted": "phrase du document",
    "model_read": "reformulation confirmée par le modèle local",
    "model_doubt": "le modèle local ne lit pas l'affirmation dans ce passage",
    "terms_swapped": "termes intervertis", "phrases_swapped": "rôles inversés", "agent_swapped": "rôles inversés",
    "agent_changed": "action attribuée à un autre acteur", "attribute_borrowed": "attribut d'une autre personne",
    "negation_unstated": "négation absente du passage", "addition_unstated": "ajout absent du passage",
    "modifier_changed": "précision changée", "ranking_added": "classement ajouté", "trend_added": "évolution ajoutée",
    "comparison_added": "comparaison ajoutée", "question_asserted": "le passage pose la question, il n'y répond pas",
    "quoted_term_missing": "terme cité absent du passage", "figure_dropped": "chiffre omis", "entity_dropped": "nom omis",
    "comparative": "comparaison inversée", "role": "rôles inversés", "figure": "chiffre ou date différent",
    "entity": "nom différent", "quantity": "généralisation",
    "far_rank": "passage trop loin dans le classement pour étayer (il peut contredire)",
    "low_cosine": "traduction trop éloignée du sens",
    "subject_from_context": "sujet pris hors de la phrase, qui a le sien", "direction_swap": "sens du changement inversé",
    "equality_broken": "classement là où le passage met à égalité",
    "misquoted": "citation qui n'est pas le texte du passage", "agent_unstated": "action attribuée à un acteur que le passage ne nomme pas",
    "agent_made_recipient": "celui qui agit dans le passage devient celui qui reçoit",
}


def reason_label(code: str) -> str:
    """"figure_changed:45→54" -> "chiffre ou date différent (45→54)"."""
    name, _, detail = code.partition(":")
    label = REASON_LABELS.get(name, name)
    return f"{label} ({detail})" if detail and name not in ("low_coverage", "low_support", "model_read", "model_doubt", "far_rank", "low_cosine") else label


def reasons_text(codes) -> str:
    return " ; ".join(dict.fromkeys(reason_label(c) for c in codes or []))


# One pass, character by character: HTML specials, then what Markdown, GFM autolinks and
# LaTeX would interpret ([ ] make links and images, * _ ` ~ emphasis and code, \\ escapes,
# $ LaTeX, @ e-mail autolinks), invisible characters dropped.
_INERT = {ord(ch): f"&#{ord(ch)};" for ch in "[]*_`~\\$@"}
_INERT.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;", ord("'"): "&#x27;"})
_INERT.update({ord(ch): None for ch in INVISIBLE})
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])://|(?<![a-z0-9])(www)\.")
_PATH = re.compile(r"(?<![\w.:/~-])(?:~|[A-Za-z]:)?(?:[/\\][\w.@+-]+){2,}[/\\]?")


def esc(text) -> str:
    """Text made safe for HTML and inert for Markdown: "http://x" and "www.x" cannot become links."""
    escaped = str(text if text is not None else "").translate(_INERT)
    return _AUTOLINK.sub(lambda m: "www&#46;" if m.group(1) else "&#58;//", escaped)


def redact_paths(text: str) -> str:
    """Server paths (/srv/pairs/data/…, C:\\…) in a message become « … »."""
    return _PATH.sub("…", str(text or ""))


# -- small pieces ------------------------------------------------------------------------
def seconds(value: float | None) -> str:
    return f"{value or 0:.2f}".replace(".", ",") + " s"


def backend_label(backend: str) -> str:
    parts = [BACKEND_LABELS.get(part, part) for part in str(backend or "").split("+") if part]
    return " + ".join(parts) or "inconnu"


def meta_line(answer: dict) -> str:
    """Backend and timings, discreetly."""
    t = answer.get("timings") or {}
    bits = [f"Moteur : {backend_label(answer.get('backend', ''))}", f"recherche {seconds(t.get('retrieval'))}"]
    if "first_token" in t:
        bits.append(f"premier mot {seconds(t.get('first_token'))}")
    bits.append(f"total {seconds(t.get('total'))}")
    return f'<div class="pairs-meta">{esc(" · ".join(bits))}</div>'


def last_section(section: str) -> str:
    """The innermost heading of a section path, as JSON carries it (Chunk.heading)."""
    return innermost_heading(section or "")


def where(item: dict) -> str:
    """Organisation · année · section · page, as plain text."""
    parts = [item.get("organisation") or "", str(item["year"]) if item.get("year") else "année non indiquée"]
    if item.get("section"):
        parts.append(f"section « {last_section(item['section'])} »")
    parts.append(f"p. {item['page']}" if item.get("page") else "document sans pagination")
    return " · ".join(p for p in parts if p)


def reference(item: dict) -> str:
    """« Titre », Organisation, année, section « … », p. N (fichier) — for quoting."""
    parts = [f"« {item.get('title') or item.get('doc', '')} »"]
    parts += [p for p in (item.get("organisation"), str(item["year"]) if item.get("year") else "") if p]
    if item.get("section"):
        parts.append(f"section « {last_section(item['section'])} »")
    if item.get("page"):
        parts.append(f"p. {item['page']}")
    return ", ".join(parts) + (f" (fichier {item['doc']})" if item.get("doc") else "")


def short_source(item: dict, limit: int = 48) -> str:
    """Title, and the section when there is one (two passages of one document differ)."""
    section = last_section(item.get("section", ""))
    if len(section) > limit:
        section = section[:limit].rsplit(" ", 1)[0] + "…"
    return f"{item.get('title') or item.get('doc', '')}" + (f", « {section} »" if section else "")


def quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where the quote sits in the passage text (exact, then whitespace-insensitive)."""
    if not quote or not text:
        return None
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    words = quote.split()
    if not words:
        return None
    match = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return (match.start(), match.end()) if match else None


def highlight(text: str, span: tuple[int, int] | None) -> str:
    """A passage: the supporting span marked, sentences that address the assistant replaced
    by a neutral placeholder (never shown as content, never highlighted)."""
    text = text or ""
    hidden = flagged_spans(text)
    cuts = sorted({0, len(text), *(span or ()), *(p for s in hidden for p in s)})
    out = []
    for start, end in zip(cuts, cuts[1:]):
        if any(s <= start and end <= e for s, e in hidden):
            if not any(s == start for s, _ in hidden):
                continue  # the rest of a flagged sentence split by the span: already replaced
            out.append(f'<span class="pairs-flagged" title="Phrase écartée par Pairs : elle s\'adresse à l\'assistant">{esc(NEUTRALISED)}</span>')
        elif span and span[0] <= start and end <= span[1]:
            out.append(f"<mark>{esc(text[start:end])}</mark>")
        else:
            out.append(esc(text[start:end]))
    return "".join(out)


def strip_markers(text: str) -> str:
    return markers.strip(text)


# -- chat messages -----------------------------------------------------------------------
def cite_id(turn: int, n: int) -> str:
    return f"cite-{turn}-{n}"


def near_id(turn: int, n: int) -> str:
    return f"near-{turn}-{n}"


def link_markers(text: str, turn: int, known: set[int]) -> str:
    """Escape the answer and make every [n] a link to its passage in the sources panel."""

    def link(n: int) -> str:
        if n not in known:
            return f"&#91;{n}&#93;"
        target = cite_id(turn, n)
        return (f'<a class="pairs-cite" href="#{target}" data-target="{target}" '
                f'title="Voir le passage cité [{n}]">&#91;{n}&#93;</a>')

    pieces, last = [], 0
    for match in markers.CANONICAL.finditer(text or ""):
        pieces.append(esc(text[last:match.start()]))
        pieces.append("".join(link(int(n)) for n in re.findall(r"\d+", match.group(1))))
        last = match.end()
    pieces.append(esc((text or "")[last:]))
    return "".join(pieces)


def notice_box(notice: str) -> str:
    return f'<div class="pairs-notice">ℹ {esc(notice)}</div>' if notice else ""


def answer_message(answer: dict, turn: int) -> str:
    """The final assistant message: cited answer or the "je ne sais pas" state."""
    if answer.get("abstained"):
        return abstention_message(answer, turn)
    known = {c["n"] for c in answer.get("citations", [])}
    body = link_markers(answer.get("answer", ""), turn, known)
    cited = " · ".join(
        f'<a class="pairs-cite" href="#{cite_id(turn, c["n"])}" data-target="{cite_id(turn, c["n"])}">[{c["n"]}] {esc(short_source(c))}</a>'
        for c in answer.get("citations", [])
    )
    sources = f'<div class="pairs-cited">Sources : {cited}</div>' if cited else ""
    return (f'{notice_box(answer.get("notice", ""))}<div class="pairs-answer">{body}</div>{originals(answer)}'
            f'{sources}{meta_line(answer)}')


def originals(answer: dict) -> str:
    """An English answer's sentences are translations: the French each translates, the one
    verified against the passages, folded under the answer."""
    pairs = [(s.get("text", ""), s["original"]) for s in answer.get("sentences") or [] if s.get("original")]
    if not pairs:
        return ""
    items = "".join(f'<li><span class="pairs-translation">{esc(english)}</span><br>« {esc(french)} »</li>'
                    for english, french in pairs)
    return ('<details class="pairs-originals"><summary>French sentences verified against the passages '
            f'(phrases vérifiées)</summary><ul>{items}</ul></details>')


def abstention_message(answer: dict, turn: int) -> str:
    closest = answer.get("closest_passages") or []
    links = " · ".join(
        f'<a class="pairs-near-link" href="#{near_id(turn, i)}" data-target="{near_id(turn, i)}">{esc(p.get("title"))}</a>'
        for i, p in enumerate(closest, start=1)
    )
    offer = f'<div class="pairs-cited">Passages les plus proches : {links}</div>' if links else ""
    return (f'{notice_box(answer.get("notice", ""))}<div class="pairs-abstain">{_bold_lead(answer.get("answer", ""))}</div>'
            f'{offer}{meta_line(answer)}')


def _bold_lead(text: str) -> str:
    """« Je ne sais pas : … » with the first words in bold (added when missing)."""
    lead = re.match(r"^(Je ne sais pas|I don't know)\b\s*[:.]?", text or "")
    if not lead:
        return f"<strong>Je ne sais pas.</strong> {esc(text)}"
    return f"<strong>{esc(lead.group(0))}</strong>{esc(text[lead.end():])}"


def pending_message(partial: str, waited: float = 0.0, generator: bool = True, found: int = 0, writing: bool = False,
                    status: str = "") -> str:
    """Before the first verified sentence: what is going on (searching, passages found, the
    model loading or writing). `partial` text is shown without markers (legacy callers)."""
    if partial.strip():
        return f'<div class="pairs-answer pairs-streaming">{esc(strip_markers(partial))} ▍</div>'
    text = status or "Recherche des passages dans le corpus…"
    if found:
        text = f"{found} passage(s) trouvé(s), à droite ; rédaction de la réponse…"
    if writing:
        text = "Rédaction de la réponse : chaque phrase s'affiche dès qu'elle est vérifiée…"
    if generator and waited >= LOADING_AFTER and not writing and not status:
        text = (f"Le générateur se charge ou rédige sa réponse ({int(waited)} s). "
                "Au premier lancement, le modèle local peut mettre une minute à se charger ; "
                "si rien ne vient, une réponse extractive prendra le relais.")
    css = "pairs-pending pairs-streaming" if writing else "pairs-pending"
    return f'<div class="{css}">{esc(text)}</div>'


def streaming_answer(sentences: list[str], citations: list[dict], turn: int) -> str:
    """The verified sentences so far, their [n] linked to the Sources panel."""
    body = link_markers(" ".join(sentences), turn, {c["n"] for c in citations})
    return (f'<div class="pairs-answer pairs-streaming">{body} ▍</div>'
            '<div class="pairs-meta">Phrases vérifiées une à une ; la suite arrive…</div>')


def error_message(text: str) -> str:
    return f'<div class="pairs-error">⚠ {esc(redact_paths(text))}</div>'


# -- sources panel (chat) ----------------------------------------------------------------
EMPTY_SOURCES = ('<div class="pairs-sources-empty">Les passages cités apparaîtront ici. '
                 "Cliquez sur un numéro [n] dans une réponse pour ouvrir le passage correspondant.</div>")


def citation_entry(citation: dict, turn: int) -> str:
    span = quote_span(citation.get("text", ""), citation.get("quote", ""))
    quote_note = "" if span or not citation.get("quote") else f'<blockquote class="pairs-quote">{esc(citation["quote"])}</blockquote>'
    return (
        f'<details class="pairs-source" id="{cite_id(turn, citation["n"])}">'
        f'<summary><span class="pairs-num">[{citation["n"]}]</span> <span class="pairs-title">{esc(citation.get("title"))}</span>'
        f'<span class="pairs-where">{esc(where(citation))}</span></summary>'
        f'{quote_note}<div class="pairs-passage">{highlight(citation.get("text", ""), span)}</div>'
        f'<div class="pairs-ref">{esc(reference(citation))}</div></details>'
    )


def passage_entry(passage: dict, element_id: str, css: str, number: str, body: str) -> str:
    """A folded passage of the Sources panel: number, title, where, its text and reference."""
    return (
        f'<details class="pairs-source {css}" id="{element_id}">'
        f'<summary><span class="pairs-num">{number}</span> <span class="pairs-title">{esc(passage.get("title"))}</span>'
        f'<span class="pairs-where">{esc(where(passage))}</span></summary>'
        f'<div class="pairs-passage">{body}</div>'
        f'<div class="pairs-ref">{esc(reference(passage))}</div></details>'
    )


def near_entry(passage: dict, turn: int, i: int) -> str:
    return passage_entry(passage, near_id(turn, i), "pairs-near", "≈", highlight(passage.get("text", ""), None))


def turn_sources(answer: dict, turn: int) -> str:
    question = esc(answer.get("question", ""))
    if answer.get("abstained"):
        entries = "".join(near_entry(p, turn, i) for i, p in enumerate(answer.get("closest_passages") or [], start=1))
        heading = f"Question {turn} : « {question} » — aucune réponse dans le corpus ; passages les plus proches"
        entries = entries or '<p class="pairs-sources-empty">Aucun passage proche.</p>'
    else:
        entries = "".join(citation_entry(c, turn) for c in answer.get("citations", []))
        heading = f"Question {turn} : « {question} »"
    return f'<section class="pairs-turn" data-turn="{turn}"><h4>{heading}</h4>{entries}</section>'


def found_entry(passage: dict, turn: int, i: int) -> str:
    return passage_entry(passage, f"found-{turn}-{i}", "pairs-found", f"{i}.", highlight(passage.get("text", ""), None))


def pending_sources(pending: dict, turns: list[dict]) -> str:
    """The answer being written: its citations so far, then the other passages found."""
    turn, question = pending["turn"], esc(pending.get("question", ""))
    citations = pending.get("citations") or []
    cited = "".join(citation_entry(c, turn) for c in citations)
    cited_ids = {c.get("chunk_id") for c in citations}
    rest = [p for p in pending.get("passages") or [] if p.get("chunk_id") not in cited_ids]
    found = "".join(found_entry(p, turn, i) for i, p in enumerate(rest, start=1))
    if found:
        found = f'<h5 class="pairs-found-head">Passages trouvés, lus par le générateur</h5>{found}'
    body = cited + found or '<p class="pairs-sources-empty">Recherche des passages…</p>'
    html_ = f'<section class="pairs-turn pairs-pending-turn" data-turn="{turn}"><h4>Question {turn} : « {question} » — réponse en cours</h4>{body}</section>'
    if turns:
        folded = "".join(turn_sources(t["answer"], t["turn"]) for t in sorted(turns, key=lambda t: -t["turn"]))
        html_ += f'<details class="pairs-older"><summary>Sources des réponses précédentes ({len(turns)})</summary>{folded}</details>'
    return html_


def sources_panel(turns: list[dict]) -> str:
    """Every answer's passages, newest first; older answers folded."""
    if not turns:
        return EMPTY_SOURCES
    newest, *older = sorted(turns, key=lambda t: -t["turn"])
    html_ = turn_sources(newest["answer"], newest["turn"])
    if older:
        folded = "".join(turn_sources(t["answer"], t["turn"]) for t in older)
        html_ += f'<details class="pairs-older"><summary>Sources des réponses précédentes ({len(older)})</summary>{folded}</details>'
    return html_


# -- sources tab (trainer) ---------------------------------------------------------------
def copy_text(match: dict) -> str:
    return f"« {match.get('quote', '').strip()} » — {reference(match)}"


def match_card(match: dict, i: int) -> str:
    verdict = match.get("verdict", "none")
    span = (match.get("quote_start", 0), match.get("quote_end", 0)) if match.get("quote_end") else None
    support = f"{round(100 * float(match.get('support', 0)))} %"
    why = reasons_text(match.get("reasons"))
    why_html = f'<div class="pairs-why">Pourquoi : {esc(why)}</div>' if why and verdict != "supports" else ""
    return (
        f'<div class="pairs-match pairs-{verdict}" id="match-{i}">'
        f'<div class="pairs-match-head"><span class="pairs-verdict pairs-verdict-{verdict}">{VERDICT_LABELS.get(verdict, verdict)}</span>'
        f'<span class="pairs-support">appui {support}</span> <span class="pairs-title">{esc(match.get("title"))}</span>'
        f'<span class="pairs-where">{esc(where(match))}</span></div>'
        f'<blockquote class="pairs-quote">« {esc(match.get("quote", ""))} »</blockquote>{why_html}'
        f'<div class="pairs-ref">{esc(reference(match))}</div>'
        f'<button class="pairs-copy" type="button" data-copy="{esc(copy_text(match))}">Copier la citation</button>'
        f'<details class="pairs-context"><summary>Voir le passage complet</summary>'
        f'<div class="pairs-passage">{highlight(match.get("text", ""), span)}</div></details></div>'
    )


def sources_result(result: dict) -> str:
    passages = result.get("passages", [])
    overall = result.get("verdict") or ("supports" if result.get("supported") else "none")
    if overall == "supports":
        banner = '<div class="pairs-banner pairs-ok">✓ Affirmation étayée par le corpus : voici les passages qui la soutiennent.</div>'
    elif overall == "contradicts":
        banner = ('<div class="pairs-banner pairs-contra">✗ Le corpus contredit cette affirmation : '
                  "aucun passage ne l'étaye et au moins un dit autre chose (voir « Pourquoi »).</div>")
    else:
        banner = ('<div class="pairs-banner pairs-ko">⚠ Aucun passage du corpus n\'étaye cette affirmation. '
                  "Les passages ci-dessous sont seulement proches du sujet.</div>")
    useful = [(i, m) for i, m in enumerate(passages, start=1) if m.get("verdict") != "none"]
    others = [(i, m) for i, m in enumerate(passages, start=1) if m.get("verdict") == "none"]
    cards = "".join(match_card(m, i) for i, m in useful)
    if others:
        cards += (f'<details class="pairs-others"><summary>Autres passages examinés, sans lien ({len(others)})</summary>'
                  + "".join(match_card(m, i) for i, m in others) + "</details>")
    if not passages:
        cards = '<p class="pairs-sources-empty">Aucun passage trouvé.</p>'
    return banner + cards


def quotes_to_copy(result: dict) -> str:
    """Plain text of the supporting (then related) quotes, each with its full reference."""
    lines = [copy_text(m) for m in result.get("passages", []) if m.get("verdict") == "supports"]
    lines += [copy_text(m) for m in result.get("passages", []) if m.get("verdict") == "contradicts"]
    lines += [copy_text(m) for m in result.get("passages", []) if m.get("verdict") == "related"]
    return "\n\n".join(lines)


# -- corpus tab (maintainer) -------------------------------------------------------------
STATUS_LABELS = {"indexed": "✓ indexé", "unchanged": "= inchangé", "failed": "✗ refusé", "removed": "− retiré de l'index",
                 "ignored": "· ignoré"}


def ingest_report(rows: list[dict], seconds_: float | None = None, title: str = "Résultat") -> str:
    """rows: {name, status, reason, chunks, pages, warnings}."""
    if not rows:
        return '<div class="pairs-report">Aucun fichier à traiter.</div>'
    body = "".join(
        f'<tr class="pairs-row-{esc(r["status"])}"><td>{esc(r["name"])}</td><td>{STATUS_LABELS.get(r["status"], esc(r["status"]))}</td>'
        f'<td>{r.get("chunks") or ""}</td><td>{r.get("pages") or ""}</td>'
        f'<td>{esc(redact_paths("; ".join([r.get("reason") or ""] + list(r.get("warnings") or [])).strip("; ")))}</td></tr>'
        for r in rows
    )
    failed = sum(r["status"] == "failed" for r in rows)
    timing = f" en {seconds(seconds_)}" if seconds_ is not None else ""
    summary = f"{len(rows) - failed} fichier(s) traité(s){timing}, {failed} refusé(s)."
    return (f'<div class="pairs-report"><h4>{esc(title)}</h4><p>{esc(summary)}</p><table><thead><tr><th>Fichier</th><th>État</th>'
            f"<th>Passages</th><th>Pages</th><th>Raison, remarques</th></tr></thead><tbody>{body}</tbody></table></div>")


def corpus_table(documents: list[dict], admin: bool = False) -> str:
    """The documents of the corpus, indexed ones first, with their counts and provenance
    (who indexed this version, when, its sha256); for administrators, the sentences the
    injection detector flagged in each."""
    if not documents:
        return '<p class="pairs-sources-empty">Aucun document indexé.</p>'
    headings = ["Document", "Organisation", "Année", "Passages", "Pages", "Indexé par", "Indexé le", "Empreinte (sha256)", "État"]
    if admin:
        headings.append("Consignes détectées")
    head = "".join(f"<th>{h}</th>" for h in headings)
    rows = []
    for d in documents:
        sha = d.get("sha256") or ""
        cells = [
            f'<td><span class="pairs-title">{esc(d["title"] or d["doc"])}</span><span class="pairs-where">{esc(d["doc"])}</span></td>',
            f'<td>{esc(d["organisation"] or "—")}</td>', f'<td>{esc(d["year"] or "—")}</td>',
            f'<td class="pairs-num-cell">{int(d["chunks"] or 0)}</td>', f'<td class="pairs-num-cell">{esc(d["pages"] or "—")}</td>',
            f'<td>{esc(d.get("added_by") or "—")}</td>', f'<td>{esc(d["last_ingest"] or "—")}</td>',
            f'<td><code class="pairs-sha" title="{esc(sha)}">{esc(sha[:12]) or "—"}</code></td>', f'<td>{esc(d["status"])}</td>',
        ]
        if admin:
            flagged = d.get("flagged") or []
            cells.append("<td>" + (f'<details class="pairs-flagged-list"><summary>⚠ {len(flagged)}</summary><ul>'
                                   + "".join(f"<li>{esc(f)}</li>" for f in flagged) + "</ul></details>" if flagged else "—") + "</td>")
        rows.append(f'<tr data-doc="{esc(d["doc"])}">{"".join(cells)}</tr>')
    return f'<div class="pairs-report pairs-corpus"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
