// Glossary terms in a lesson show their definition in place (st.components.v2; no build step, no CDN).
//
// The lesson's markdown links the first use of each term to /glossary#anchor. This script
// turns those links into disclosure links: choosing one (click, tap, Enter) opens a small
// panel beside it with the definition and a link that opens the glossary in the same tab;
// Escape, the Close button or a click elsewhere closes it and gives focus back to the term.
// A modified click (Ctrl, Cmd, Shift, middle button) still opens the link as a browser would.
// Definitions arrive as data and are written with textContent: never parsed as HTML.

const STYLE_ID = "meso-glossary-style";
const STYLE = `
.meso-gloss-panel { position: fixed; z-index: 1000; box-sizing: border-box; width: min(22rem, calc(100vw - 1.5rem));
  padding: 0.75rem 0.9rem; background: #ffffff; color: #1a1a1a; border: 2px solid #0072B2; border-radius: 0.5rem;
  box-shadow: 0 4px 16px rgba(0, 0, 0, 0.18); font-size: 0.95rem; line-height: 1.45; }
.meso-gloss-panel:focus { outline: 3px solid #E69F00; outline-offset: 2px; }
.meso-gloss-panel .mg-term { font-weight: 700; margin: 0 0 0.25rem; }
.meso-gloss-panel .mg-definition { margin: 0 0 0.5rem; overflow-wrap: anywhere; }
.meso-gloss-panel .mg-actions { display: flex; gap: 1rem; align-items: center; justify-content: space-between; }
.meso-gloss-panel a { color: #0a58a5; text-decoration: underline; }
.meso-gloss-panel button { font: inherit; padding: 0.2rem 0.7rem; border: 1px solid #555555; border-radius: 0.4rem;
  background: #f4f4f4; color: #1a1a1a; cursor: pointer; }
.meso-gloss-panel a:focus-visible, .meso-gloss-panel button:focus-visible { outline: 3px solid #E69F00; }
`;
const LINKS = '[data-testid="stMain"] a[href*="/glossary#"]';

function anchorOf(link) {
  const href = link.getAttribute("href") || "";
  const at = href.indexOf("/glossary#");
  return at < 0 ? null : decodeURIComponent(href.slice(at + "/glossary#".length));
}

function install(state) {
  if (!document.getElementById(STYLE_ID)) {
    const style = document.createElement("style");
    style.id = STYLE_ID;
    style.textContent = STYLE;
    document.head.appendChild(style);
  }
  const panel = document.createElement("div");
  panel.className = "meso-gloss-panel";
  panel.setAttribute("role", "dialog");
  panel.tabIndex = -1;
  panel.hidden = true;
  panel.id = `meso-gloss-${Math.random().toString(36).slice(2, 9)}`;
  const term = document.createElement("p");
  term.className = "mg-term";
  const definition = document.createElement("p");
  definition.className = "mg-definition";
  const actions = document.createElement("div");
  actions.className = "mg-actions";
  const more = document.createElement("a");
  more.target = "_self";
  more.textContent = "Open in the glossary";
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "Close";
  actions.append(more, close);
  panel.append(term, definition, actions);
  document.body.appendChild(panel);
  state.panel = panel;

  const mark = () => {
    for (const link of document.querySelectorAll(LINKS)) {
      const anchor = anchorOf(link);
      if (!anchor || !state.terms[anchor] || link.dataset.glossary === anchor) continue;
      link.dataset.glossary = anchor;
      link.setAttribute("aria-haspopup", "dialog");
      link.setAttribute("aria-expanded", "false");
      link.setAttribute("target", "_self");
    }
  };
  const place = () => {
    if (panel.hidden || !state.opener) return;
    const box = state.opener.getBoundingClientRect();
    const width = panel.offsetWidth;
    const left = Math.max(8, Math.min(box.left, window.innerWidth - width - 8));
    const below = box.bottom + 6;
    const top = below + panel.offsetHeight > window.innerHeight - 8 ? Math.max(8, box.top - panel.offsetHeight - 6) : below;
    panel.style.left = `${left}px`;
    panel.style.top = `${top}px`;
  };
  const hide = (refocus) => {
    if (panel.hidden) return;
    panel.hidden = true;
    const opener = state.opener;
    state.opener = null;
    if (opener) {
      opener.setAttribute("aria-expanded", "false");
      opener.removeAttribute("aria-controls");
      if (refocus) opener.focus();
    }
  };
  const show = (link, anchor) => {
    const entry = state.terms[anchor];
    if (state.opener) state.opener.setAttribute("aria-expanded", "false");
    term.textContent = entry.term;
    definition.textContent = entry.definition;
    more.href = link.getAttribute("href");
    more.setAttribute("aria-label", `Open ${entry.term} in the glossary`);
    panel.setAttribute("aria-label", `Definition: ${entry.term}`);
    state.opener = link;
    link.setAttribute("aria-expanded", "true");
    link.setAttribute("aria-controls", panel.id);
    panel.hidden = false;
    place();
    panel.focus({ preventScroll: true });
  };
  const onClick = (event) => {
    if (!(event.target instanceof Element)) return;
    if (panel.contains(event.target)) {
      if (event.target === close) hide(true);
      return; // the glossary link inside the panel: let the browser follow it, in this tab
    }
    const link = event.target.closest(LINKS);
    if (!link) {
      hide(false);
      return;
    }
    const anchor = anchorOf(link);
    if (!anchor || !state.terms[anchor]) return;
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    event.stopPropagation();
    if (state.opener === link) hide(true);
    else show(link, anchor);
  };
  const onKey = (event) => {
    if (event.key === "Escape" && !panel.hidden) {
      event.stopPropagation();
      hide(true);
    } else if (event.key === "Tab" && !panel.hidden && panel.contains(document.activeElement)) {
      // leaving the panel by Tab (past Close) or Shift+Tab (before the glossary link) goes back to its term
      const active = document.activeElement;
      const leaving = event.shiftKey ? active === panel || active === more : active === close;
      if (leaving) {
        event.preventDefault();
        hide(true);
      }
    }
  };
  const onScroll = () => requestAnimationFrame(place);
  document.addEventListener("click", onClick, true);
  document.addEventListener("keydown", onKey, true);
  document.addEventListener("scroll", onScroll, true);
  window.addEventListener("resize", onScroll);
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const observer = new MutationObserver(() => mark());
  observer.observe(main, { childList: true, subtree: true });
  state.mark = mark;
  state.teardown = () => {
    document.removeEventListener("click", onClick, true);
    document.removeEventListener("keydown", onKey, true);
    document.removeEventListener("scroll", onScroll, true);
    window.removeEventListener("resize", onScroll);
    observer.disconnect();
    hide(false);
    panel.remove();
  };
}

export default function ({ data, parentElement }) {
  const root = parentElement.querySelector(".glossary-popovers");
  const state = root.__glossary || (root.__glossary = { terms: {}, opener: null });
  state.terms = data.terms || {};
  if (!state.panel) install(state);
  state.mark();
  // the component draws nothing itself: take its empty slot out of the page's flow
  const host = root.getRootNode().host;
  const slot = host && host.closest ? host.closest('[data-testid="stElementContainer"]') : null;
  if (slot) slot.style.display = "none";
  return () => {
    if (state.teardown) state.teardown();
    root.__glossary = null;
  };
}
