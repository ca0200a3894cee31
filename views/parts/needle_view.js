// The needle simulator's drawing, in the browser (st.components.v2; no build step, no CDN).
//
// It only draws: the bands, target and labels come from the server (course/simulator/figures/
// needle_scene.py), and on release (pointer up, or a short pause after a key or slider step)
// it sends {angle, length} back. The server computes depth, layer and verdict and scores drills.
// Streamlit calls this function on every rerun with new data; the view is built once per mount.

const SVG = "http://www.w3.org/2000/svg";
const HUB_PX = 44; // the needle's shank drawn above the skin
const SEND_AFTER_MS = 300; // keys and slider steps: send once the learner pauses

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (parent) parent.appendChild(node);
  return node;
}

function roundTo(value, step) {
  const digits = step < 1 ? 1 : 0;
  return Number((Math.round(value / step) * step).toFixed(digits));
}

function depthOf(angle, length) {
  return angle >= 90 ? length : Math.sin((angle * Math.PI) / 180) * length;
}

function reachOf(angle, length) {
  return angle >= 90 ? 0 : Math.cos((angle * Math.PI) / 180) * length;
}

const PATTERNS = {
  ".": (p) => el("circle", { cx: 3, cy: 3, r: 1 }, p),
  "-": (p) => el("path", { d: "M0 3 H6" }, p),
  "+": (p) => el("path", { d: "M3 0 V6 M0 3 H6" }, p),
  "|": (p) => el("path", { d: "M3 0 V6" }, p),
  "/": (p) => el("path", { d: "M0 6 L6 0" }, p),
};

function createView(root) {
  const view = {
    root,
    data: null,
    angle: 0,
    length: 0,
    dragging: false,
    lastData: null,
    lastSent: null,
    timer: null,
    frame: 0,
    fit: null,
    send: null,
    scene: null,
  };
  const title = root.querySelector(".nv-title");
  const svg = root.querySelector("svg.nv-svg");
  svg.replaceChildren();
  const defs = el("defs", {}, svg);
  // each mount gets its own pattern ids (two simulators on one lesson page)
  const uid = `nv${Math.random().toString(36).slice(2, 9)}`;
  const shapes = Object.keys(PATTERNS);
  shapes.forEach((shape, i) => {
    const pattern = el("pattern", { id: `${uid}-p${i}`, width: 6, height: 6, patternUnits: "userSpaceOnUse" }, defs);
    PATTERNS[shape](pattern).setAttribute("class", "nv-pattern-mark");
  });
  const patternUrl = (shape) => (shapes.includes(shape) ? `url(#${uid}-p${shapes.indexOf(shape)})` : null);
  const layers = {
    bands: el("g", { class: "nv-bands" }, svg),
    target: el("g", { class: "nv-target" }, svg),
    marks: el("g", { class: "nv-marks" }, svg),
    labels: el("g", { class: "nv-labels" }, svg),
  };
  const needle = el("line", { class: "nv-needle" }, svg);
  const tip = el("path", { class: "nv-tip" }, svg);
  const angleInput = root.querySelector("input.nv-angle");
  const lengthInput = root.querySelector("input.nv-length");
  const readout = root.querySelector(".nv-readout");
  const live = root.querySelector(".nv-live");
  function words() {
    const depth = depthOf(view.angle, view.length);
    return `angle ${view.angle}°, length ${view.length.toFixed(1)} mm, tip ${depth.toFixed(2)} mm deep`;
  }

  function refit() {
    // equal scale in x and y (to scale); the window holds the whole needle and the sourced layers
    const d = view.data;
    const width = Math.max(root.clientWidth || 320, 200);
    const height = Math.round(Math.min(300, Math.max(180, width * 0.42)));
    const depth = depthOf(view.angle, view.length);
    const reach = reachOf(view.angle, view.length);
    const needDepth = Math.max(d.viewDepth, depth + 0.5);
    const air = needDepth * 0.14;
    const needWidth = Math.max(6, reach + 1.5) + 0.8;
    const scale = Math.min(width / needWidth, height / (needDepth + air));
    view.fit = { width, height, scale, x0: -0.8, y0: -air };
  }

  const X = (mm) => (mm - view.fit.x0) * view.fit.scale;
  const Y = (mm) => (mm - view.fit.y0) * view.fit.scale;

  function drawScene() {
    const d = view.data;
    const { width, height } = view.fit;
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    title.textContent = d.title;
    for (const group of Object.values(layers)) group.replaceChildren();
    const bottomMm = view.fit.y0 + height / view.fit.scale;
    d.bands.forEach((band, i) => {
      const top = Y(band.top);
      const bottom = band.bottom === null ? height : Math.min(height, Y(band.bottom));
      const g = el("g", { "data-band": band.id }, layers.bands);
      el("rect", { x: 0, y: top, width, height: Math.max(0.5, bottom - top), fill: band.colour, class: "nv-band" }, g);
      const url = patternUrl(band.pattern);
      if (url) el("rect", { x: 0, y: top, width, height: Math.max(0.5, bottom - top), fill: url, class: "nv-fill" }, g);
      if (band.label) {
        const thin = band.bottom !== null && bottom - top < 16;
        const aboveThin = i > 0 && d.bands[i - 1].bottom !== null && Y(d.bands[i - 1].bottom) - Y(d.bands[i - 1].top) < 16;
        let y = (top + bottom) / 2 + 4;
        if (thin) y = top - 4;
        else if (band.bottom === null || aboveThin) y = top + 14;
        const text = el("text", { x: width - 6, y, class: "nv-label", "text-anchor": "end" }, layers.labels);
        text.textContent = band.label;
      }
    });
    el("line", { x1: 0, x2: width, y1: Y(0), y2: Y(0), class: "nv-surface" }, layers.marks);
    if (d.maxDepth && d.maxDepth.depth < bottomMm) {
      const y = Y(d.maxDepth.depth);
      el("line", { x1: 0, x2: width, y1: y, y2: y, class: "nv-maxdepth" }, layers.marks);
      const text = el("text", { x: 6, y: y + 13, class: "nv-label nv-small" }, layers.labels);
      text.textContent = d.maxDepth.label;
    }
    if (d.target) {
      const t = d.target;
      const top = Y(t.top);
      const bottom = t.bottom === null ? height : Y(t.bottom);
      el("rect", { x: 2, y: top, width: width - 4, height: Math.max(1, bottom - top), class: "nv-target-box" }, layers.target);
      if (t.centre !== null) {
        el("line", { x1: 0, x2: width, y1: Y(t.centre), y2: Y(t.centre), class: "nv-centre" }, layers.target);
      }
      // a target too thin to hold its tag (the epidermis) is tagged above it, like a thin layer's
      // label, so the tag never sits in the layer below the target
      const thin = t.bottom !== null && bottom - top < 16;
      const y = thin ? top - 4 : Math.max(top + 14, Y(0) + 14);
      const tag = el("text", { x: width * 0.4, y, class: "nv-label nv-tag" }, layers.labels);
      tag.textContent = "TARGET";
      clearOfLabels(tag);
    }
    root.classList.toggle("nv-readonly", Boolean(d.readonly));
  }

  // On a narrow drawing the TARGET tag can land on a layer's label (both sit in the thin top
  // bands): move it left of that label, or under it when there is no room on the left.
  function clearOfLabels(tag) {
    const overlaps = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    for (const label of layers.labels.querySelectorAll("text:not(.nv-tag)")) {
      const box = label.getBBox();
      const own = tag.getBBox();
      if (!overlaps(own, box)) continue;
      if (box.x - 8 - own.width >= 2) {
        tag.setAttribute("text-anchor", "end");
        tag.setAttribute("x", box.x - 8);
      } else {
        tag.setAttribute("y", box.y + box.height + own.height);
      }
    }
  }

  function drawNeedle() {
    const depth = depthOf(view.angle, view.length);
    const reach = reachOf(view.angle, view.length);
    const x1 = X(0);
    const y1 = Y(0);
    const x2 = X(reach);
    const y2 = Y(depth);
    const rad = (view.angle * Math.PI) / 180;
    const hubX = x1 - Math.cos(rad) * HUB_PX;
    const hubY = y1 - Math.sin(rad) * HUB_PX;
    needle.setAttribute("x1", hubX);
    needle.setAttribute("y1", hubY);
    needle.setAttribute("x2", x2);
    needle.setAttribute("y2", y2);
    tip.setAttribute("d", `M${x2} ${y2 - 6} L${x2 + 5} ${y2} L${x2} ${y2 + 6} L${x2 - 5} ${y2} Z`);
    svg.dataset.angle = view.angle;
    svg.dataset.length = view.length;
    svg.setAttribute("aria-valuenow", view.angle);
    svg.setAttribute("aria-valuetext", words());
    angleInput.value = view.angle;
    lengthInput.value = view.length;
    angleInput.setAttribute("aria-valuetext", `${view.angle}°`);
    lengthInput.setAttribute("aria-valuetext", `${view.length.toFixed(1)} mm`);
    readout.textContent = `Angle ${view.angle}° · length ${view.length.toFixed(1)} mm · tip ${depth.toFixed(2)} mm deep`;
    root.dataset.drawn = String(performance.now()); // the benchmark reads when the needle was redrawn
  }

  function redraw(full) {
    if (full || !view.dragging) refit();
    drawScene();
    drawNeedle();
  }

  function set(angle, length) {
    const d = view.data;
    view.angle = Math.min(90, Math.max(0, roundTo(angle, d.angleStep)));
    view.length = Math.min(d.maxLength, Math.max(0, roundTo(length, d.lengthStep)));
  }

  function sendNow() {
    clearTimeout(view.timer);
    view.timer = null;
    const value = { angle: view.angle, length: view.length };
    view.lastSent = value;
    live.textContent = `Needle at ${words()}.`;
    view.send("placement", value);
  }

  function sendSoon() {
    clearTimeout(view.timer);
    view.timer = setTimeout(sendNow, SEND_AFTER_MS);
  }

  function fromPointer(event) {
    const box = svg.getBoundingClientRect();
    const px = ((event.clientX - box.left) / box.width) * view.fit.width;
    const py = ((event.clientY - box.top) / box.height) * view.fit.height;
    const x = Math.max(0, px / view.fit.scale + view.fit.x0);
    const y = Math.max(0, py / view.fit.scale + view.fit.y0);
    const angle = x === 0 && y === 0 ? view.angle : (Math.atan2(y, x) * 180) / Math.PI;
    set(angle, Math.hypot(x, y));
    if (!view.frame) {
      view.frame = requestAnimationFrame(() => {
        view.frame = 0;
        drawNeedle();
      });
    }
  }

  svg.addEventListener("pointerdown", (event) => {
    if (view.data.readonly) return;
    view.dragging = true;
    svg.setPointerCapture(event.pointerId);
    svg.focus({ preventScroll: true });
    fromPointer(event);
    event.preventDefault();
  });
  svg.addEventListener("pointermove", (event) => {
    if (view.dragging) fromPointer(event);
  });
  const release = () => {
    if (!view.dragging) return;
    view.dragging = false;
    sendNow(); // first: the server's verdict is what the learner waits for
    redraw(true);
  };
  svg.addEventListener("pointerup", release);
  svg.addEventListener("pointercancel", release);
  svg.addEventListener("keydown", (event) => {
    if (view.data.readonly) return;
    const big = event.shiftKey ? 10 : 1;
    const steps = {
      ArrowUp: [1, 0],
      ArrowDown: [-1, 0],
      ArrowRight: [0, 1],
      ArrowLeft: [0, -1],
      PageUp: [10, 0],
      PageDown: [-10, 0],
    }[event.key];
    if (!steps) return;
    event.preventDefault();
    set(view.angle + steps[0] * big * view.data.angleStep, view.length + steps[1] * big * view.data.lengthStep);
    redraw(true);
    sendSoon();
  });
  angleInput.addEventListener("input", () => {
    set(Number(angleInput.value), view.length);
    redraw(false);
    sendSoon();
  });
  lengthInput.addEventListener("input", () => {
    set(view.angle, Number(lengthInput.value));
    redraw(false);
    sendSoon();
  });
  for (const input of [angleInput, lengthInput]) {
    input.addEventListener("change", () => {
      redraw(true);
      sendSoon();
    });
  }
  if (typeof ResizeObserver !== "undefined") {
    view.resize = new ResizeObserver(() => view.data && !view.dragging && redraw(true));
    view.resize.observe(root);
  }

  view.update = (data, send) => {
    view.send = send;
    const first = view.data === null;
    view.data = data;
    angleInput.max = 90;
    angleInput.step = data.angleStep;
    lengthInput.max = data.maxLength;
    lengthInput.step = data.lengthStep;
    const incoming = { angle: data.angle, length: data.length };
    const echo = view.lastSent && incoming.angle === view.lastSent.angle && incoming.length === view.lastSent.length;
    const changed =
      first || !view.lastData || incoming.angle !== view.lastData.angle || incoming.length !== view.lastData.length;
    // the scene without the placement: unchanged after a release, when the server only echoes it
    const scene = JSON.stringify({ ...data, angle: null, length: null });
    const sameScene = !first && scene === view.scene;
    view.scene = scene;
    view.lastData = incoming;
    // take the server's placement (number inputs, a new task) unless it only echoes what we sent
    const take = changed && !echo && !view.dragging && view.timer === null;
    if (take) set(incoming.angle, incoming.length);
    // the echo of a release changes nothing on screen: the needle is already where it was let go,
    // so the browser skips the redraw (its layout work would delay the verdict's paint)
    if (sameScene && !take) return;
    redraw(true);
  };
  return view;
}

export default function (component) {
  const { data, setStateValue, parentElement } = component;
  const root = parentElement.querySelector(".needle-view");
  if (!root.__needleView) root.__needleView = createView(root);
  root.__needleView.update(Array.isArray(data) ? data[0] : data, setStateValue); // the scene, in a one-item list
  return () => {
    if (root.__needleView && root.__needleView.resize) root.__needleView.resize.disconnect();
    root.__needleView = null;
  };
}
