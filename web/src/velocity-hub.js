// The Velocity Hub page (coursekit/velocity_hub.py): its dials rerun simulations.compare() in the
// worker, through the runner's one client, and the figures and chart are replaced in place.
//
// Latest value wins: each change of a dial bumps a generation number; a run already in flight is
// left to finish (stopping it would cost a fresh interpreter) and its result is dropped when a
// newer setting is waiting, which then runs at once. data-state on [data-velocity-output] goes
// prerendered -> loading -> running -> success | error | stopped, as on a code box.

import { client, runtimeAvailable, unavailableMessage } from "./client.js";
import { el } from "./dom.js";

const DEBOUNCE_MS = 120;
const BOX_ID = "velocity-hub";
const LIVE_NOTE =
  "Computed when this site was built, for the default setting. Move a dial to rerun both jobs in your browser.";
let current = null;

/** Mount the hub of this page (if any); called on every page of instant navigation. */
export function refreshHub(boxes) {
  const form = document.querySelector("form[data-velocity-form]");
  if (current && current.form === form) return;
  current?.unmount();
  current = form ? new Hub(form, boxes) : null;
  current?.mount();
}

const number = (input) => Number(input.value);
const literal = (value) => String(value);

function valueText(input) {
  const value = number(input);
  if (input.dataset.format === "percent") return `${Math.round(value * 100 * 1e6) / 1e6}%`;
  return input.dataset.unit ? `${value} ${input.dataset.unit}` : String(value);
}

/** `code` with each `name=value,` line of the dials set to `values`, comments realigned. */
export function settingCode(code, values) {
  const line = /^(\s+)(\w+)=[^,\n]*,\s*(#.*)?$/;
  const lines = code.split("\n").map((text) => {
    const match = line.exec(text);
    if (!match || !(match[2] in values)) return { text };
    return { indent: match[1], arg: `${match[2]}=${literal(values[match[2]])},`, comment: match[3] };
  });
  const width = Math.max(0, ...lines.filter((l) => l.arg).map((l) => l.arg.length));
  return lines
    .map((l) => (l.arg ? `${l.indent}${l.comment ? `${l.arg.padEnd(width)}  ${l.comment}` : l.arg}` : l.text))
    .join("\n");
}

export function hubCode(values) {
  const args = Object.entries(values).map(([name, value]) => `${name}=${literal(value)}`);
  return [
    "import json",
    "from simulations import compare, show",
    `report = compare(${args.join(", ")})`,
    "print(json.dumps(report.figures()))",
    "show(report.chart())",
    "",
  ].join("\n");
}

class Hub {
  constructor(form, boxes) {
    this.form = form;
    this.boxes = boxes;
    this.inputs = [...form.querySelectorAll('input[type="range"]')];
    this.output = document.querySelector("[data-velocity-output]");
    this.status = this.output?.querySelector("[data-velocity-status]");
    this.chart = this.output?.querySelector("[data-velocity-chart]");
    this.setting = this.output?.querySelector("[data-velocity-setting]");
    this.note = document.querySelector("[data-velocity-note]");
    this.generation = 0;
    this.run = null;
    this.timer = null;
    this.blob = null;
    this.cleanups = [];
  }

  mount() {
    if (!this.output) return;
    this.saved = [...this.output.childNodes].map((n) => n.cloneNode(true));
    if (this.note) this.note.hidden = true;
    this.status.textContent = LIVE_NOTE;
    const actions = el("div", "velocity-actions");
    const copy = el("button", "md-button", "Copy this setting into the box");
    copy.type = "button";
    copy.addEventListener("click", () => this.copyToBox());
    const reset = el("button", "md-button", "Reset dials");
    reset.type = "button";
    reset.addEventListener("click", () => this.resetDials());
    this.copyNote = el("span", "velocity-copied");
    this.copyNote.setAttribute("role", "status");
    actions.append(copy, reset, this.copyNote);
    this.form.after(actions);
    this.actions = actions;
    const onInput = (event) => this.changed(event.target);
    const warm = () => runtimeAvailable() && client.warm();
    this.form.addEventListener("input", onInput);
    this.form.addEventListener("pointerenter", warm);
    this.form.addEventListener("focusin", warm);
    this.form.addEventListener("submit", (event) => event.preventDefault());
    this.cleanups.push(() => {
      this.form.removeEventListener("input", onInput);
      this.form.removeEventListener("pointerenter", warm);
      this.form.removeEventListener("focusin", warm);
    });
    this.output.dataset.live = "";
  }

  unmount() {
    this.dead = true;
    clearTimeout(this.timer);
    if (this.run && client.active !== this.run) client.stop(this.run, "navigated");
    for (const cleanup of this.cleanups) cleanup();
    this.actions?.remove();
    if (this.blob) URL.revokeObjectURL(this.blob);
  }

  values() {
    return Object.fromEntries(this.inputs.map((input) => [input.name, number(input)]));
  }

  showValue(input) {
    const text = valueText(input);
    input.setAttribute("aria-valuetext", text);
    const out = document.getElementById(`${input.id}-value`);
    if (out) out.textContent = text;
  }

  changed(input) {
    if (!this.inputs.includes(input)) return;
    this.showValue(input);
    this.generation += 1;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.launch();
    }, DEBOUNCE_MS);
  }

  setState(state) {
    this.output.dataset.state = state;
    this.output.setAttribute("aria-busy", String(state === "loading" || state === "running"));
  }

  launch() {
    if (this.dead || this.run) return; // the run in flight ends first, then the latest setting runs
    if (!runtimeAvailable()) {
      this.status.textContent = unavailableMessage();
      return;
    }
    const generation = this.generation;
    const values = this.values();
    const stdout = [];
    let svg = null;
    let title = "";
    let began = performance.now();
    this.setState("loading");
    this.status.textContent = "Loading Python…";
    this.run = client.run(hubCode(values), {
      onStart: () => this.setState("loading"),
      onRunning: () => {
        began = performance.now(); // the run itself, not the wait for Python
        this.setState("running");
        this.status.textContent = "Running both jobs…";
      },
      onOutput: (chunks) => {
        for (const [stream, text] of chunks) if (stream === "stdout") stdout.push(text);
      },
      onChart: (text, name) => {
        svg = text;
        title = name;
      },
      onEnd: (outcome) => this.ended(outcome, { generation, values, stdout, svg, title, took: performance.now() - began }),
    });
  }

  ended(outcome, result) {
    this.run = null;
    if (this.dead) return;
    if (result.generation !== this.generation) {
      if (!this.timer) this.launch(); // a newer setting is waiting: drop this result
      return;
    }
    const { state, error } = outcome;
    if (state === "unavailable") {
      this.restore();
      this.status.textContent = error;
      return;
    }
    if (state !== "success") {
      this.setState(state === "stopped" ? "stopped" : "error");
      this.status.textContent = `The simulation did not finish: ${(error || state).trim().split("\n").pop()}`;
      return;
    }
    let figures;
    try {
      figures = JSON.parse(result.stdout.join("").trim().split("\n").pop());
    } catch {
      this.setState("error");
      this.status.textContent = "The simulation printed something unexpected.";
      return;
    }
    this.fill(figures, result.svg, result.title);
    this.setState("success");
    const took = (result.took / 1000).toFixed(2);
    this.status.textContent = `Computed in your browser for this setting, in ${took} s.`;
  }

  fill(figures, svg, title) {
    for (const row of this.output.querySelectorAll("tr[data-metric]")) {
      const pair = figures[row.dataset.metric];
      if (!pair) continue;
      row.querySelector('[data-side="batch"]').textContent = pair[0];
      row.querySelector('[data-side="stream"]').textContent = pair[1];
    }
    if (this.setting) {
      this.setting.textContent = this.inputs
        .map((input) => `${input.labels[0]?.textContent.toLowerCase() || input.name} ${valueText(input)}`)
        .join(", ");
    }
    if (svg && this.chart) {
      if (this.blob) URL.revokeObjectURL(this.blob);
      this.blob = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
      const img = el("img");
      img.src = this.blob;
      img.alt = title || "Chart";
      const old = this.chart.querySelector(":scope > svg, :scope > img");
      if (old) old.replaceWith(img);
      else this.chart.prepend(img);
    }
  }

  restore() {
    if (this.blob) URL.revokeObjectURL(this.blob);
    this.blob = null;
    this.output.replaceChildren(...this.saved.map((n) => n.cloneNode(true)));
    this.status = this.output.querySelector("[data-velocity-status]");
    this.chart = this.output.querySelector("[data-velocity-chart]");
    this.setting = this.output.querySelector("[data-velocity-setting]");
    this.status.textContent = LIVE_NOTE;
    this.setState("prerendered");
  }

  resetDials() {
    for (const input of this.inputs) {
      input.value = input.defaultValue;
      this.showValue(input);
    }
    this.generation += 1; // a run in flight is now stale
    clearTimeout(this.timer);
    this.timer = null;
    this.restore();
  }

  copyToBox() {
    const root = document.querySelector(`.code-preview[data-box="${BOX_ID}"]`);
    const box = root && this.boxes.get(root);
    if (!box) return;
    box.setCode(settingCode(box.original, this.values()));
    this.copyNote.textContent = "Copied into the code box below.";
    clearTimeout(this.copyTimer);
    this.copyTimer = setTimeout(() => (this.copyNote.textContent = ""), 4000);
  }
}
