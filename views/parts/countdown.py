"""A live countdown of a timed attempt, ticking in the browser (``st.components.v2``, inline JS).

The server stays the judge of the time limit (:meth:`course.quiz.attempts.Attempts.submit`
records late answers as expired); this only shows the time left, once a second, without a
rerun. Each rerun sends the seconds left as the server counts them, so the browser's clock
never drifts far. Screen readers are told sparingly: at 5 minutes, at 1 minute and when time
is up (an ``aria-live`` region); the ticking figure itself is not announced. Only numbers and
the deadline text the app formats reach the JS, and it writes them with ``textContent``.
"""

from __future__ import annotations

import streamlit as st

HTML = """
<div class="countdown" role="group" aria-label="Time left">
  <span class="cd-text"><span class="cd-label">Time left</span> <strong class="cd-clock" role="timer"
    aria-live="off"></strong></span>
  <span class="cd-deadline"></span>
  <span class="cd-live" aria-live="polite"></span>
</div>
"""

CSS = """
.countdown { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25rem 0.75rem; padding: 0.5rem 0.75rem;
  border: 2px solid #0072B2; border-radius: 0.5rem; background: #ffffff; color: #1a1a1a; font-size: 1rem; }
.countdown.cd-low { border-color: #D55E00; background: #fff4ec; }
.countdown.cd-up { border-color: #D55E00; background: #fde8dc; }
.cd-clock { font-variant-numeric: tabular-nums; font-size: 1.25rem; }
.cd-deadline { color: #444444; font-size: 0.9rem; }
.cd-live { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
"""

JS = """
const ANNOUNCE = [[300, "5 minutes left to submit."], [60, "1 minute left to submit."]];

function clock(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const two = (n) => String(n).padStart(2, "0");
  return h ? `${h}:${two(m)}:${two(r)}` : `${two(m)}:${two(r)}`;
}

function stick(root) {
  // keep the countdown in view while the questions scroll: make Streamlit's element container sticky
  const host = root.getRootNode().host || root.parentElement;
  const box = host && host.closest ? host.closest('[data-testid="stElementContainer"]') : null;
  if (box) {
    box.style.position = "sticky";
    box.style.top = "3.75rem";
    box.style.zIndex = "5";
  }
}

export default function ({ data, parentElement }) {
  const root = parentElement.querySelector(".countdown");
  const state = root.__countdown || (root.__countdown = { timer: null, announced: new Set() });
  const end = performance.now() + data.seconds_left * 1000;
  if (state.end === undefined) {  // a fresh mount: thresholds already passed are not announced
    for (const [at] of ANNOUNCE) if (data.seconds_left <= at) state.announced.add(at);
    if (data.seconds_left <= 0) state.announced.add(0);
  }
  state.end = end;
  root.querySelector(".cd-deadline").textContent = data.deadline_text;
  const shown = root.querySelector(".cd-clock");
  const live = root.querySelector(".cd-live");
  stick(root);
  const tick = () => {
    const left = (state.end - performance.now()) / 1000;
    shown.textContent = left > 0 ? clock(left) : "time is up";
    root.dataset.secondsLeft = String(Math.max(0, Math.ceil(left)));
    root.classList.toggle("cd-low", left > 0 && left <= 300);
    root.classList.toggle("cd-up", left <= 0);
    for (const [at, words] of ANNOUNCE) {
      if (left <= at && left > 0 && !state.announced.has(at)) {
        state.announced.add(at);
        live.textContent = words;
      }
    }
    if (left <= 0 && !state.announced.has(0)) {
      state.announced.add(0);
      live.textContent = "Time is up: answers sent from now on are not scored.";
    }
  };
  tick();
  if (state.timer === null) state.timer = setInterval(tick, 250);
  return () => {
    clearInterval(state.timer);
    root.__countdown = null;
  };
}
"""

_countdown = st.components.v2.component("meso_countdown", html=HTML, css=CSS, js=JS)


def countdown(key: str, seconds_left: float, deadline_text: str) -> None:
    """Mount the ticking countdown: ``seconds_left`` as the server counts it now, and the deadline
    in words (``Submit before 10:30 CET``)."""
    _countdown(key=key, data={"seconds_left": max(0.0, round(seconds_left, 1)), "deadline_text": deadline_text})
