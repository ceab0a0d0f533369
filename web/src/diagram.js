// Event-time x processing-time diagrams (simulations/diagrams.py): a slider that moves processing
// time and shows only what had happened by then, and a table of the same facts.
//
// The diagram is an SVG whose elements carry what they stand for: data-kind (event, watermark,
// pane), data-at (the processing time at which it appears) and the facts (data-value,
// data-timing, data-window, ...). Everything here reads those attributes, so the picture, the
// slider and the table cannot disagree. Without this script the whole diagram shows.
//
// Live, the SVG comes from the reader's own run: it is parsed as XML and only known SVG elements
// and attributes are kept (no script, no event handler, no link, no url()), then inlined.

import { el } from "./dom.js";

// ----- the logic: plain objects in, plain values out (unit-tested in web/test/) ---------------

const KIND_ORDER = { event: 0, watermark: 1, pane: 2 };

/** The processing times at which something happens, sorted, each once. */
export function moments(items) {
  return [...new Set(items.map((item) => item.at))].sort((a, b) => a - b);
}

/** Items in the order they happen: by time; at one moment arrivals, then the watermark, then panes. */
export function inOrder(items) {
  return items
    .map((item, i) => [item, i])
    .sort(([a, i], [b, j]) => a.at - b.at || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || i - j)
    .map(([item]) => item);
}

/** What has happened by processing time `t`: the items that are visible, and a summary. */
export function stateAt(items, t) {
  const events = items.filter((item) => item.kind === "event");
  const panes = items.filter((item) => item.kind === "pane");
  const moves = inOrder(items.filter((item) => item.kind === "watermark" && item.at <= t));
  const fired = inOrder(panes.filter((pane) => pane.at <= t));
  return {
    t,
    visible: items.map((item) => item.at <= t),
    arrived: events.filter((item) => item.at <= t).length,
    events: events.length,
    watermark: moves.length ? moves[moves.length - 1].watermark : null,
    fired: fired.length,
    panes: panes.length,
    last: fired.length ? fired[fired.length - 1] : null,
  };
}

/** A number as the diagram prints it: integers bare, others to 4 significant digits. */
export function fmt(x) {
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(4)));
}

/** One sentence for the slider's value and the line beside it. */
export function summary(state) {
  const wm = state.watermark === null ? "not set yet" : `at ${state.watermark}`;
  let text =
    `processing time ${fmt(state.t)} s: ${state.arrived} of ${state.events} events arrived, ` +
    `watermark ${wm}, ${state.fired} of ${state.panes} panes fired`;
  if (state.last) {
    const p = state.last;
    text += ` (last: ${p.timing} ${p.window} = ${p.value})`;
  }
  return text;
}

/**
 * Where the vertical part of a watermark step ends at time `t`: it starts at y1 when the
 * watermark moves (`at`) and reaches y2 at the next move (`until`); in between, part way.
 */
export function holdEnd(y1, y2, at, until, t) {
  if (t >= until || until <= at) return y2;
  if (t <= at) return y1;
  return y1 + ((y2 - y1) * (t - at)) / (until - at);
}

/** The y pixel of processing time `t`, from the diagram's own scale (data-t0 ... data-y1). */
export function yOf(scale, t) {
  const { t0, t1, y0, y1 } = scale;
  return y0 + ((y1 - y0) * (t - t0)) / (t1 - t0);
}

/** The table's rows: [processing time, what, event time or window, value, details]. */
export function tableRows(items) {
  return inOrder(items).map((item) => {
    const at = fmt(item.at);
    if (item.kind === "event") {
      const fate = item.fate === "on time" ? "on time" : `${item.fate} for ${item.window}`;
      return [at, "event arrives", fmt(item.eventTime), item.value, fate];
    }
    if (item.kind === "watermark") return [at, "watermark moves", item.watermark, "", ""];
    const events = item.count === 1 ? "1 event" : `${item.count} events`;
    return [at, `${item.timing} pane fires`, item.window, item.value, `pane ${item.index}, ${events}`];
  });
}

// ----- reading and inlining SVG ----------------------------------------------------------------

const ELEMENTS = new Set(["svg", "g", "title", "desc", "line", "path", "rect", "circle", "text"]);
const ATTRIBUTES = new Set(
  (
    "xmlns viewBox width height role aria-label class x y x1 y1 x2 y2 cx cy r d transform " +
    "fill fill-opacity stroke stroke-width stroke-opacity stroke-dasharray visibility " +
    "text-anchor font-family font-size font-weight"
  ).split(" "),
);

/** Is this SVG text a diagram (and not another chart)? */
export function isDiagram(svgText) {
  return /^<svg\b[^>]*\bdata-diagram="1"/.test(svgText);
}

function cleanAttributes(node) {
  for (const { name, value } of [...node.attributes]) {
    const known = ATTRIBUTES.has(name) || /^data-[a-z0-9-]+$/.test(name);
    const harmless = !/url\s*\(|javascript:|[<>]/i.test(value);
    const style = name === "style" && /^max-width:\d+px$/.test(value);
    if (!(style || (known && harmless))) node.removeAttribute(name);
  }
}

/**
 * Parse a diagram's SVG text and keep only known SVG elements and attributes; null if it is not
 * a well-formed diagram. The result belongs to `doc` and can be inserted as it is.
 */
export function inlineSvg(svgText, doc = document) {
  if (!isDiagram(svgText)) return null;
  const parsed = new DOMParser().parseFromString(svgText, "image/svg+xml");
  const root = parsed.documentElement;
  if (!root || root.localName !== "svg" || parsed.getElementsByTagName("parsererror").length) {
    return null;
  }
  const walk = (node) => {
    for (const child of [...node.children]) {
      if (ELEMENTS.has(child.localName) && child.namespaceURI === root.namespaceURI) {
        cleanAttributes(child);
        walk(child);
      } else {
        child.remove();
      }
    }
  };
  cleanAttributes(root);
  walk(root);
  return doc.importNode(root, true);
}

function itemOf(node) {
  const d = node.dataset;
  return {
    node,
    kind: d.kind,
    at: Number(d.at),
    value: d.value,
    window: d.window,
    timing: d.timing,
    index: Number(d.index),
    count: Number(d.count),
    eventTime: Number(d.eventTime),
    fate: d.fate,
    watermark: d.watermark,
  };
}

// ----- the slider and the table --------------------------------------------------------------

let made = 0;

/** Add the slider and the table to one diagram's figure; return a function that removes them. */
export function mountDiagram(figure) {
  const svg = figure.querySelector("svg.sim-diagram");
  if (!svg || figure.querySelector(".dg-scrub")) return () => {};
  const items = [...svg.querySelectorAll("[data-kind][data-at]")].map(itemOf);
  const times = moments(items);
  if (!times.length) return () => {};
  const d = svg.dataset;
  const scale = { t0: Number(d.t0), t1: Number(d.t1), y0: Number(d.y0), y1: Number(d.y1) };
  const holds = items
    .filter((item) => item.kind === "watermark")
    .map((item) => [item, item.node.querySelector(".dg-wm-hold")])
    .filter(([, line]) => line)
    .map(([item, line]) => ({
      at: item.at,
      line,
      y1: Number(line.getAttribute("y1")),
      y2: Number(line.getAttribute("y2")),
      until: Number(line.dataset.until),
    }));
  const now = svg.querySelector(".dg-now");
  const nowLine = now?.querySelector("line");
  const nowText = now?.querySelector("text");

  const id = `dg-slider-${++made}`;
  const scrub = el("div", "dg-scrub");
  const label = el("label", "dg-scrub-label", "Processing time");
  label.htmlFor = id;
  const slider = el("input", "dg-slider");
  Object.assign(slider, { type: "range", id, min: "0", max: String(times.length - 1), step: "1" });
  slider.value = slider.max;
  const status = el("p", "dg-scrub-status");
  scrub.append(label, slider, status);

  const details = el("details", "dg-table");
  const caption = svg.querySelector("title")?.textContent || "Diagram";
  details.append(el("summary", "", "The diagram as a table"));
  const table = el("table");
  table.append(el("caption", "", `${caption}: what happened, in processing-time order`));
  const head = el("tr");
  for (const name of ["Processing time (s)", "What", "Event time or window", "Value", "Details"]) {
    const th = el("th", "", name);
    th.scope = "col";
    head.append(th);
  }
  const thead = el("thead");
  thead.append(head);
  const tbody = el("tbody");
  for (const row of tableRows(items)) {
    const tr = el("tr");
    for (const cell of row) tr.append(el("td", "", cell));
    tbody.append(tr);
  }
  table.append(thead, tbody);
  const wrap = el("div", "dg-table-wrap");
  // A scrolling region: reachable by keyboard, and named for the screen reader that lands on it.
  wrap.tabIndex = 0;
  wrap.setAttribute("role", "region");
  wrap.setAttribute("aria-label", "The diagram as a table");
  wrap.append(table);
  details.append(wrap);

  function show(index) {
    const t = times[index];
    const state = stateAt(items, t);
    items.forEach((item, i) => item.node.classList.toggle("dg-future", !state.visible[i]));
    for (const hold of holds) {
      hold.line.setAttribute("y2", holdEnd(hold.y1, hold.y2, hold.at, hold.until, t).toFixed(1));
    }
    const atEnd = index === times.length - 1;
    if (now && nowLine) {
      const y = yOf(scale, t).toFixed(1);
      nowLine.setAttribute("y1", y);
      nowLine.setAttribute("y2", y);
      nowText.setAttribute("y", (Number(y) - 4).toFixed(1));
      now.setAttribute("visibility", atEnd ? "hidden" : "visible");
    }
    const text = summary(state);
    slider.setAttribute("aria-valuetext", text);
    status.textContent = text.charAt(0).toUpperCase() + text.slice(1);
    figure.dataset.scrubAt = String(t);
  }
  const onInput = () => show(Number(slider.value));
  slider.addEventListener("input", onInput);
  svg.after(scrub, details);
  show(times.length - 1);

  return () => {
    slider.removeEventListener("input", onInput);
    scrub.remove();
    details.remove();
    for (const item of items) item.node.classList.remove("dg-future");
    for (const hold of holds) hold.line.setAttribute("y2", String(hold.y2));
    now?.setAttribute("visibility", "hidden");
    delete figure.dataset.scrubAt;
  };
}

/** Mount every diagram under `container`; return one function that unmounts them all. */
export function mountDiagrams(container) {
  const cleanups = [...container.querySelectorAll(".code-preview-chart")].map(mountDiagram);
  return () => {
    for (const cleanup of cleanups) cleanup();
  };
}
