"""CSS and JavaScript of the web UI (Python strings, so a plain wheel install carries them)."""

CSS = r"""
/* Pairs: discreet metadata, visible states, readable sources. */
.pairs-meta { font-size: 0.78em; color: var(--body-text-color-subdued); margin-top: 0.4em; }
.pairs-notice { font-size: 0.9em; background: var(--color-accent-soft); border-radius: 6px; padding: 0.4em 0.6em; margin-bottom: 0.5em; }
.pairs-abstain { border-left: 4px solid #d97706; background: rgba(217, 119, 6, 0.08); padding: 0.5em 0.7em; border-radius: 4px; }
.pairs-error { border-left: 4px solid #dc2626; background: rgba(220, 38, 38, 0.08); padding: 0.5em 0.7em; border-radius: 4px; }
.pairs-pending { color: var(--body-text-color-subdued); font-style: italic; }
.pairs-cited { font-size: 0.85em; margin-top: 0.5em; }
a.pairs-cite, a.pairs-near-link { font-weight: 600; text-decoration: none; cursor: pointer; margin: 0 0.1em; }
a.pairs-cite:hover, a.pairs-near-link:hover { text-decoration: underline; }
#pairs-sources { max-height: 620px; overflow-y: auto; }
.pairs-sources-empty { color: var(--body-text-color-subdued); font-size: 0.9em; }
.pairs-turn h4 { margin: 0.3em 0 0.5em; font-size: 0.95em; }
.pairs-source { border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 0.4em 0.6em; margin-bottom: 0.5em; }
.pairs-source summary { cursor: pointer; }
.pairs-source.pairs-active { border-color: var(--color-accent); box-shadow: 0 0 0 2px var(--color-accent-soft); }
.pairs-num { font-weight: 700; }
.pairs-title { font-weight: 600; }
.pairs-where { display: block; font-size: 0.8em; color: var(--body-text-color-subdued); }
.pairs-passage { font-size: 0.88em; margin: 0.5em 0; white-space: pre-wrap; line-height: 1.45; }
.pairs-passage mark { background: #fde68a; color: inherit; padding: 0 0.1em; }
.pairs-ref { font-size: 0.78em; color: var(--body-text-color-subdued); }
.pairs-older > summary, .pairs-others > summary { cursor: pointer; font-size: 0.9em; margin: 0.6em 0; }
.pairs-banner { padding: 0.6em 0.8em; border-radius: 6px; margin-bottom: 0.8em; font-weight: 600; }
.pairs-ok { background: rgba(22, 163, 74, 0.1); border-left: 4px solid #16a34a; }
.pairs-ko { background: rgba(217, 119, 6, 0.1); border-left: 4px solid #d97706; }
.pairs-match { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.6em 0.8em; margin-bottom: 0.7em; }
.pairs-match-head { display: flex; flex-wrap: wrap; gap: 0.5em; align-items: baseline; }
.pairs-match-head .pairs-where { flex-basis: 100%; }
.pairs-verdict { font-size: 0.78em; font-weight: 700; text-transform: uppercase; border-radius: 4px; padding: 0.1em 0.45em; }
.pairs-verdict-supports { background: #16a34a; color: white; }
.pairs-verdict-related { background: #d97706; color: white; }
.pairs-verdict-contradicts { background: #dc2626; color: white; }
.pairs-contra { background: rgba(220, 38, 38, 0.1); border-left: 4px solid #dc2626; }
.pairs-why { font-size: 0.82em; color: var(--body-text-color-subdued); margin: 0.2em 0 0.4em; }
.pairs-verdict-none { background: #6b7280; color: white; }
.pairs-support { font-size: 0.8em; color: var(--body-text-color-subdued); }
.pairs-quote { margin: 0.5em 0; padding-left: 0.7em; border-left: 3px solid var(--color-accent); font-style: italic; }
.pairs-copy { font-size: 0.8em; margin-top: 0.4em; padding: 0.2em 0.6em; border: 1px solid var(--border-color-primary); border-radius: 4px; cursor: pointer; background: var(--background-fill-secondary); }
.pairs-copied { border-color: #16a34a; }
.pairs-context summary { cursor: pointer; font-size: 0.8em; margin-top: 0.4em; }
.pairs-report table { width: 100%; border-collapse: collapse; font-size: 0.88em; }
.pairs-report table, .pairs-report th, .pairs-report td { border: none !important; }
.pairs-report th, .pairs-report td { text-align: left; padding: 0.3em 0.5em; border-bottom: 1px solid var(--border-color-primary) !important; vertical-align: top; }
.pairs-row-failed td { background: rgba(220, 38, 38, 0.06); }
.pairs-report td.pairs-num-cell { text-align: right; }
.pairs-corpus { margin-bottom: 1em; }
.pairs-flagged { color: var(--body-text-color-subdued); font-style: italic; }
.pairs-sha { font-size: 0.85em; }
.pairs-flagged-list summary { cursor: pointer; color: #b45309; font-weight: 600; }
.pairs-flagged-list li { font-size: 0.85em; }
.pairs-link-neutralised { text-decoration: line-through dotted; cursor: not-allowed; }
"""

JS = r"""
() => {
  // [n] markers open the cited passage in the sources panel; copy buttons copy quotes.
  if (window.pairsInstalled) return;
  window.pairsInstalled = true;

  window.pairsOpen = (id) => {
    const target = document.getElementById(id);
    if (!target) return false;
    for (let node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
    document.querySelectorAll(".pairs-active").forEach((el) => el.classList.remove("pairs-active"));
    target.classList.add("pairs-active");
    target.scrollIntoView({ block: "center", behavior: "smooth" });
    return true;
  };

  const copyText = async (text) => {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (error) {
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      const done = document.execCommand("copy");
      area.remove();
      return done;
    }
  };

  // Defence in depth (the Content-Security-Policy already forbids remote images, frames and
  // connections): inside Pairs' own panels, a link that does not point to an anchor of the
  // page, or a media element, is neutralised as soon as it appears.
  const PANELS = "#pairs-chat, #pairs-sources, #pairs-claim-result, #pairs-corpus-table, #pairs-ingest-report";
  const MEDIA = "img, iframe, frame, object, embed, video, audio, source, picture, svg image, link, base, form";
  const neutralise = (root) => {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("a[href]").forEach((a) => {
      const href = a.getAttribute("href") || "";
      if (!href.startsWith("#") && a.closest(PANELS)) {
        a.removeAttribute("href");
        a.classList.add("pairs-link-neutralised");
        a.title = "Lien externe neutralisé par Pairs";
      }
    });
    root.querySelectorAll(MEDIA).forEach((el) => {
      if (el.closest(PANELS) && !el.closest("button, .icon-button, [data-testid]")) el.remove();
    });
  };
  new MutationObserver((mutations) => {
    for (const m of mutations) m.addedNodes.forEach((node) => node.nodeType === 1 && neutralise(node.parentElement || node));
  }).observe(document.body, { childList: true, subtree: true });
  neutralise(document.body);

  document.addEventListener("click", (event) => {
    const outside = event.target.closest("a[href]");
    if (outside && !(outside.getAttribute("href") || "").startsWith("#") && outside.closest(PANELS)) {
      event.preventDefault();
      event.stopPropagation();
      return;
    }
    const link = event.target.closest("a.pairs-cite, a.pairs-near-link");
    if (link) {
      event.preventDefault();
      event.stopPropagation();
      const id = link.dataset.target || (link.getAttribute("href") || "").replace(/^#/, "");
      window.pairsOpen(id);
      return;
    }
    const button = event.target.closest("button.pairs-copy");
    if (button) {
      event.preventDefault();
      copyText(button.dataset.copy || "").then((done) => {
        button.textContent = done ? "✓ Citation copiée" : "Copie impossible : sélectionnez le texte";
        button.classList.add("pairs-copied");
      });
    }
  }, true);
}
"""
