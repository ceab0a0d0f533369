// One code box: takes over the element the build wrote (see coursekit/boxes.py),
// adds the buttons, the editor and the live output, and gives it back on unmount.
//
// data-state on the root: prerendered | loading | running | success | error | stopped.
// Reader output is only ever written as text (textContent, text nodes); charts are SVG files
// shown through <img> with a Blob URL, so nothing the code prints becomes markup. A diagram
// (simulations.diagram) is the one exception: its slider must reach its elements, so it is
// inlined after diagram.js has kept only known SVG elements and attributes.

import { client, runtimeAvailable, unavailableMessage } from "./client.js";
import { inlineSvg, isDiagram, mountDiagram, mountDiagrams } from "./diagram.js";
import { el } from "./dom.js";
import { loadEditor } from "./load-editor.js";
import { forgetCode, loadCode, saveCode } from "./storage.js";

const WORDS = {
  prerendered: ["Status:", "Pre-rendered at build time"],
  loading: ["Status:", "Loading Python…"],
  waiting: ["Status:", "Waiting for another box…"],
  running: ["Status:", "Running"],
  success: ["Result:", "Success"],
  error: ["Result:", "Error"],
  stopped: ["Result:", "Stopped"],
};

export function button(name, className, onClick) {
  const node = el("button", `code-preview-button ${className}`);
  node.type = "button";
  node.append(el("span", "code-preview-button-icon"), el("span", "code-preview-button-label", name));
  node.setAttribute("aria-label", name);
  node.title = name;
  node.addEventListener("click", onClick);
  return node;
}

// Output reaches the page in batches (at most every 50 ms, see worker-core.js); writing a batch
// makes the browser lay the output out again, which costs more as the output grows (a single
// line a million characters long: about 60 ms each time here). So a write is followed by a pause
// WRITE_PAUSE times as long as the write took, during which batches only gather: output takes at
// most a seventh of the main thread, however fast a box prints. Small outputs are written at once.
const WRITE_PAUSE = 6;

function seconds(ms) {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

export class Box {
  constructor(root) {
    this.root = root;
    this.id = root.dataset.box || root.dataset.title || "box";
    this.static = root.hasAttribute("data-static");
    this.source = root.querySelector(".code-preview-source");
    this.output = root.querySelector(".code-preview-output");
    this.charts = root.querySelector(".code-preview-charts");
    this.status = root.querySelector(".code-preview-status");
    const code = this.source.querySelector("code");
    // Pygments ends the block with a newline; the editor would show it as an empty last line.
    this.original = (code ? code.textContent : this.source.textContent).replace(/\n$/, "");
    this.code = this.original;
    this.editor = null;
    this.run = null;
    this.blobs = [];
    this.timer = null;
    this.cleanups = [];
    this.unmountDiagrams = [];
    this.pending = []; // output not written yet: [[stream, text], ...]
    this.writeTimer = null;
    this.nextWrite = 0; // performance.now() before which output only gathers
    this.writePause = WRITE_PAUSE; // (tests may lengthen it)
    this.runLike = []; // other buttons that start Python for this box (an exercise's Check)
  }

  // ----- lifecycle --------------------------------------------------------------------------

  mount() {
    const root = this.root;
    // What the build wrote, to give back on Reset and on unmount.
    this.saved = {
      source: [...this.source.childNodes].map((n) => n.cloneNode(true)),
      output: [...this.output.childNodes].map((n) => n.cloneNode(true)),
      charts: [...this.charts.childNodes].map((n) => n.cloneNode(true)),
      status: [...this.status.childNodes].map((n) => n.cloneNode(true)),
    };

    const bar = root.querySelector(".code-preview-bar");
    this.edited = el("span", "code-preview-edited", "edited");
    this.edited.hidden = true;
    this.edited.title = "Your edits are saved in this browser; Reset restores the original";
    const actions = el("span", "code-preview-actions");
    if (!this.static) {
      this.runButton = button("Run", "code-preview-run", () => this.start());
      this.stopButton = button("Stop", "code-preview-stop", () => this.stop());
      this.resetButton = button("Reset", "code-preview-reset", () => this.reset());
      actions.append(this.runButton, this.stopButton, this.resetButton);
    }
    this.copyButton = button("Copy", "code-preview-copy", () => this.copy());
    actions.append(this.copyButton);
    bar.append(this.edited, actions);
    this.added = [this.edited, actions];

    this.note = el("p", "code-preview-note");
    this.note.setAttribute("role", "status");
    this.note.hidden = true;
    this.output.before(this.note);
    this.added.push(this.note);

    this.status.replaceChildren(
      (this.statusLabel = el("span", "code-preview-status-label")),
      " ",
      (this.stateWord = el("span", "code-preview-state")),
      " ",
      (this.elapsed = el("span", "code-preview-time")),
    );
    this.setState("prerendered");
    this.unmountDiagrams.push(mountDiagrams(this.charts));

    // Until the editor arrives, the highlighted code can take focus; focusing it loads the editor.
    this.source.tabIndex = this.static ? -1 : 0;
    if (!this.static) this.source.setAttribute("aria-label", `Code of ${this.id}: press Enter to edit`);
    const interest = () => this.interest();
    for (const type of ["pointerenter", "focusin", "touchstart"]) {
      root.addEventListener(type, interest, { passive: true });
      this.cleanups.push(() => root.removeEventListener(type, interest));
    }
    const focusEditor = () => this.ensureEditor().then((editor) => editor?.focus());
    this.source.addEventListener("click", focusEditor);
    const keyOpen = (event) => {
      if (event.target === this.source && event.key === "Enter") {
        event.preventDefault();
        focusEditor();
      }
    };
    this.source.addEventListener("keydown", keyOpen);
    this.cleanups.push(() => {
      this.source.removeEventListener("click", focusEditor);
      this.source.removeEventListener("keydown", keyOpen);
    });

    const stored = this.static ? null : loadCode(this.id);
    if (stored !== null && stored !== this.original) {
      this.code = stored;
      this.edited.hidden = false;
      const code = this.source.querySelector("code");
      if (code) code.textContent = stored; // plain until the editor arrives
      this.ensureEditor();
    }
    root.classList.add("code-preview--live");
  }

  unmount() {
    if (this.run) client.stop(this.run, "navigated");
    this.run = null;
    this.flushSave();
    clearInterval(this.timer);
    this.dropPending();
    for (const cleanup of this.cleanups) cleanup();
    this.cleanups = [];
    this.dropDiagrams();
    this.editor?.destroy();
    this.editor = null;
    this.revokeBlobs();
    for (const node of this.added || []) node.remove();
    this.source.replaceChildren(...this.saved.source);
    this.root.classList.remove("code-preview--live");
  }

  // ----- editor -----------------------------------------------------------------------------

  interest() {
    if (this.static) return;
    if (runtimeAvailable()) client.warm();
    this.ensureEditor();
  }

  ensureEditor() {
    if (this.static) return Promise.resolve(null);
    if (!this.editorPromise) {
      this.editorPromise = loadEditor().then(
        ({ createEditor }) => {
          if (!this.root.isConnected) return null;
          const parent = el("div", "code-preview-editor");
          this.editor = createEditor({
            parent,
            doc: this.code,
            label: `Python code of ${this.id}`,
            onChange: (code) => this.changed(code),
            onRun: () => (this.onRunKey ? this.onRunKey() : this.start()),
          });
          const hadFocus = this.source.contains(document.activeElement);
          this.source.replaceChildren(parent);
          this.source.removeAttribute("tabindex");
          this.source.removeAttribute("aria-label");
          if (hadFocus) this.editor.focus();
          return this.editor;
        },
        () => {
          this.editorPromise = null;
          return null;
        },
      );
    }
    return this.editorPromise;
  }

  /** Replace the code as if the reader had typed it: saved, marked "edited", in the editor. */
  setCode(code) {
    if (this.static) return;
    if (this.editor) {
      this.editor.setCode(code); // the editor's onChange saves it
      return;
    }
    this.changed(code);
    const plain = this.source.querySelector("code");
    if (plain) plain.textContent = code;
    this.ensureEditor();
  }

  changed(code) {
    this.code = code;
    this.edited.hidden = code === this.original;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.flushSave(), 300);
  }

  flushSave() {
    if (this.saveTimer === undefined) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (this.code === this.original) forgetCode(this.id);
    else saveCode(this.id, this.code);
  }

  // ----- running ----------------------------------------------------------------------------

  start() {
    if (this.static) return;
    if (!runtimeAvailable()) {
      this.showNote(unavailableMessage());
      return;
    }
    if (this.run) return; // already running: Stop first
    this.showNote(null);
    // The output keeps its height until the run ends: the page below does not jump on a re-run.
    this.output.style.minHeight = `${this.output.offsetHeight}px`;
    this.clearOutput();
    this.began = performance.now();
    this.setState("loading");
    this.startClock();
    const handlers = {
      onStart: () => this.setState("loading"),
      onRunning: () => {
        this.began = performance.now();
        this.setState("running");
      },
      onOutput: (chunks) => this.append(chunks),
      onChart: (svg, title) => this.addChart(svg, title),
      onEnd: (outcome) => this.end(outcome),
    };
    const run = client.run(this.code, handlers);
    if (!run.ended) this.run = run;
    if (client.active !== run && !run.ended) this.setState("waiting");
  }

  stop() {
    if (this.run) client.stop(this.run, "stopped");
  }

  /**
   * An exercise's Check (exercise.js): the worker grades this box's code against `exercise`
   * ({solution, check}). The box's Stop stops it and Run waits, as for a run; the output panel
   * is left alone. `onEnd(outcome)` gets the client's outcome (with `verdict` on success), or
   * {state: "unavailable", error} where live Python cannot run. Returns whether it started.
   */
  check(exercise, onEnd) {
    if (this.static || this.run) return false;
    if (!runtimeAvailable()) {
      onEnd({ state: "unavailable", error: unavailableMessage() });
      return false;
    }
    this.flushSave();
    this.setBusy(true);
    const run = client.run(
      this.code,
      {
        onEnd: (outcome) => {
          this.run = null;
          this.setBusy(false);
          onEnd(outcome);
        },
      },
      exercise,
    );
    if (!run.ended) this.run = run;
    return true;
  }

  end({ state, error, truncated, reason, line }) {
    this.run = null;
    const took = performance.now() - this.began;
    clearInterval(this.timer);
    this.writePending(); // all of the output, before any notice and the final state
    this.output.style.minHeight = "";
    if (state === "unavailable") {
      // Live Python cannot start in this browser: the build's output comes back, with the reason.
      this.restoreOutput();
      this.setState("prerendered");
      this.showNote(error);
      return;
    }
    if (state === "success" && truncated) state = "stopped";
    if (state === "stopped" && reason === "time") {
      this.appendNotice(`\n[stopped: a live run may take at most ${Math.round(client.timeLimit / 1000)} s]\n`);
    } else if (state === "stopped" && reason === "stopped") {
      // Stop interrupts Python with KeyboardInterrupt; the reader is told where, in plain words.
      const where = line ? ` at line ${line}` : "";
      this.appendNotice(`\n[stopped${where} after ${seconds(took)}]\n`);
    } else if (state === "error" && error && !this.output.textContent) {
      this.appendNotice(error);
    }
    this.setState(state);
    this.elapsed.textContent = seconds(took);
    if (state === "success") {
      // progress.js records it (XP for a lesson's box, once).
      const detail = { box: this.id, page: location.pathname };
      this.root.dispatchEvent(new CustomEvent("code-preview:success", { bubbles: true, detail }));
    }
  }

  startClock() {
    clearInterval(this.timer);
    this.elapsed.textContent = "";
    this.timer = setInterval(() => {
      this.elapsed.textContent = seconds(performance.now() - this.began);
    }, 100);
  }

  setState(state) {
    const [label, word] = WORDS[state];
    this.root.dataset.state = state === "waiting" ? "loading" : state;
    this.statusLabel.textContent = label;
    this.stateWord.textContent = word;
    if (state === "prerendered") this.elapsed.textContent = "";
    this.setBusy(state === "loading" || state === "waiting" || state === "running");
  }

  /** Run (and `runLike`) disabled, Stop enabled, while Python works for this box (a run or a
   * Check): one thing at a time per box. */
  setBusy(busy) {
    this.root.setAttribute("aria-busy", String(busy));
    if (this.runButton) {
      this.runButton.disabled = busy;
      this.stopButton.disabled = !busy;
    }
    for (const other of this.runLike) other.disabled = busy;
  }

  // ----- output -----------------------------------------------------------------------------

  clearOutput() {
    this.dropPending();
    this.output.replaceChildren();
    this.revokeBlobs();
    this.dropDiagrams();
    this.charts.replaceChildren();
  }

  /** Take a batch of output: written at once, or gathered until the pause after a write ends. */
  append(chunks) {
    const pending = this.pending;
    for (const [stream, text] of chunks) {
      const last = pending[pending.length - 1];
      if (last && last[0] === stream) last[1] += text;
      else pending.push([stream, text]);
    }
    if (this.writeTimer !== null) return;
    const wait = this.nextWrite - performance.now();
    if (wait <= 0) this.writePending();
    else this.writeTimer = setTimeout(() => this.writePending(), wait);
  }

  /** Write the gathered output in one go, keep the view at the end if it was there. */
  writePending() {
    clearTimeout(this.writeTimer);
    this.writeTimer = null;
    if (!this.pending.length) return;
    const began = performance.now();
    const out = this.output;
    const atEnd = out.scrollHeight - out.scrollTop - out.clientHeight < 8;
    for (const [stream, text] of this.pending) {
      const last = out.lastChild;
      if (last && last.nodeType === 1 && last.dataset.stream === stream) {
        last.firstChild.appendData(text);
      } else {
        const span = el("span", `code-preview-${stream === "stderr" ? "stderr" : "stdout"}`, text);
        span.dataset.stream = stream;
        out.append(span);
      }
    }
    this.pending = [];
    // Reading the height lays the output out now, as the next frame would, so the cost is known.
    const height = out.scrollHeight;
    if (atEnd) out.scrollTop = height;
    const now = performance.now();
    this.nextWrite = now + this.writePause * (now - began);
  }

  dropPending() {
    clearTimeout(this.writeTimer);
    this.writeTimer = null;
    this.pending = [];
    this.nextWrite = 0;
  }

  appendNotice(text) {
    const span = el("span", "code-preview-notice", text);
    this.output.append(span);
  }

  addChart(svg, title) {
    const inline = isDiagram(svg) ? inlineSvg(svg) : null;
    if (inline) {
      const figure = el("figure", "code-preview-chart");
      figure.append(inline);
      this.charts.append(figure);
      this.unmountDiagrams.push(mountDiagram(figure));
      return;
    }
    const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
    this.blobs.push(url);
    const figure = el("figure", "code-preview-chart");
    const img = el("img");
    img.src = url;
    img.alt = title || "Chart";
    figure.append(img);
    this.charts.append(figure);
  }

  dropDiagrams() {
    for (const unmount of this.unmountDiagrams) unmount();
    this.unmountDiagrams = [];
  }

  revokeBlobs() {
    for (const url of this.blobs) URL.revokeObjectURL(url);
    this.blobs = [];
  }

  showNote(text) {
    this.note.textContent = text || "";
    this.note.hidden = !text;
  }

  // ----- Reset and Copy ---------------------------------------------------------------------

  reset() {
    if (this.run) client.stop(this.run, "reset");
    this.run = null;
    clearInterval(this.timer);
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    forgetCode(this.id);
    this.code = this.original;
    if (this.editor) this.editor.setCode(this.original);
    else this.source.replaceChildren(...this.saved.source.map((n) => n.cloneNode(true)));
    this.code = this.original;
    this.edited.hidden = true;
    this.showNote(null);
    this.restoreOutput();
    this.setState("prerendered");
  }

  restoreOutput() {
    this.dropPending();
    this.revokeBlobs();
    this.dropDiagrams();
    this.output.replaceChildren(...this.saved.output.map((n) => n.cloneNode(true)));
    this.charts.replaceChildren(...this.saved.charts.map((n) => n.cloneNode(true)));
    this.unmountDiagrams.push(mountDiagrams(this.charts));
  }

  async copy() {
    const text = this.editor ? this.editor.getCode() : this.code;
    let done = false;
    try {
      await navigator.clipboard.writeText(text);
      done = true;
    } catch {
      const area = el("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.append(area);
      area.select();
      try {
        done = document.execCommand("copy");
      } catch {
        done = false;
      }
      area.remove();
    }
    this.copyButton.dataset.copied = done ? "yes" : "no";
    this.copyButton.title = done ? "Copied" : "Copy failed: select the code and copy it";
    clearTimeout(this.copyTimer);
    this.copyTimer = setTimeout(() => {
      delete this.copyButton.dataset.copied;
      this.copyButton.title = "Copy";
    }, 1500);
  }
}
