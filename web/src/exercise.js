// One exercise: takes over the element the build wrote (coursekit/exercises.py) around a box,
// and adds Check, the result line, hints one at a time and "Show solution".
//
// The box (box.js) keeps what it does for any box: the editor, Run, Stop, Reset, saved code.
// Check sends the box's code with the exercise's solution and check to the worker, which grades
// it with simulations.grading (Box.check). What the reader has done (failed checks, solved,
// hints seen, solution shown) is kept with their progress (progress.js); the rules are in
// exercise-state.js.
//
// The result element (data-exercise-result) has data-status unchecked | checking | passed |
// failed and is an aria-live region: its text is what a screen reader announces.

import { button } from "./box.js";
import { el } from "./dom.js";
import {
  afterCheck,
  attemptsNote,
  hintLabel,
  revealHint,
  solutionAvailable,
} from "./exercise-state.js";
import { exerciseState, saveExerciseState } from "./progress.js";

const NOT_CHECKED = "Not checked yet.";

/** Append `text` to `node`, `like this` spans as <code>: a verdict's message is plain text. */
function appendMessage(node, text) {
  text.split("`").forEach((part, i) => {
    if (!part) return;
    node.append(i % 2 ? el("code", "", part) : document.createTextNode(part));
  });
}

export class Exercise {
  constructor(root, box) {
    this.root = root;
    this.box = box;
    this.id = root.dataset.exercise;
    this.allowed = Number(root.dataset.attempts) || 3;
    this.result = root.querySelector("[data-exercise-result]");
    this.hintList = root.querySelector(".code-exercise-hints");
    this.hints = [...root.querySelectorAll(".code-exercise-hint")];
    this.solution = root.querySelector("[data-exercise-solution]");
    const data = root.querySelector("[data-exercise-data]");
    this.data = JSON.parse(data.dataset.exerciseData);
    this.added = [];
    this.cleanups = [];
    this.checking = false;
  }

  mount() {
    const box = this.box;
    this.checkButton = button("Check", "code-preview-check", () => this.check());
    box.root.querySelector(".code-preview-actions").prepend(this.checkButton);
    box.runLike.push(this.checkButton); // disabled while the box runs or checks
    box.onRunKey = () => this.check(); // Mod-Enter / Shift-Enter in an exercise's editor checks

    this.bar = el("div", "code-exercise-actions");
    this.hintButton = button("Hint", "code-exercise-hint-button", () => this.hint());
    this.solutionButton = button("Show solution", "code-exercise-solution-button", () => this.showSolution());
    this.note = el("p", "code-exercise-note");
    this.bar.append(this.hintButton, this.solutionButton);
    this.hintList.after(this.bar, this.note); // result, hints seen, then what comes next
    this.added.push(this.checkButton, this.bar, this.note);

    const onReset = () => this.reset();
    box.resetButton?.addEventListener("click", onReset);
    const onChange = () => this.render();
    addEventListener("course-progress:change", onChange);
    this.cleanups.push(
      () => box.resetButton?.removeEventListener("click", onReset),
      () => removeEventListener("course-progress:change", onChange),
    );
    this.root.classList.add("code-exercise--live");
    this.render();
  }

  unmount() {
    for (const cleanup of this.cleanups) cleanup();
    for (const node of this.added) node.remove();
    this.box.onRunKey = null;
    this.box.runLike = this.box.runLike.filter((b) => b !== this.checkButton);
    this.root.classList.remove("code-exercise--live");
  }

  get state() {
    return exerciseState(this.id);
  }

  /** Show what the saved state says: hints revealed, buttons offered, solution if shown. */
  render() {
    const state = this.state;
    this.hints.forEach((hint, i) => {
      hint.hidden = i >= state.hints;
    });
    this.hintList.hidden = state.hints === 0;
    const label = hintLabel(state, this.hints.length);
    this.hintButton.hidden = label === null;
    if (label) {
      this.hintButton.querySelector(".code-preview-button-label").textContent = label;
      this.hintButton.setAttribute("aria-label", label);
      this.hintButton.title = label;
    }
    const available = solutionAvailable(state, this.allowed);
    this.solutionButton.hidden = !available || state.shown;
    if (state.shown) this.fillSolution();
    else this.solution.hidden = true;
    const note = attemptsNote(state, this.allowed);
    this.note.textContent = note || "";
    this.note.hidden = !note;
    this.bar.hidden = this.hintButton.hidden && this.solutionButton.hidden;
    this.root.dataset.solved = String(state.solved);
  }

  setResult(status, message) {
    this.result.dataset.status = status;
    this.result.replaceChildren();
    appendMessage(this.result, message);
  }

  // ----- the reader's actions ---------------------------------------------------------------

  check() {
    if (this.checking) return;
    this.box.showNote(null);
    const began = performance.now();
    const started = this.box.check(this.data, (outcome) => this.checked(outcome, began));
    if (!started) return;
    this.checking = true;
    this.setResult("checking", "Checking…");
  }

  checked(outcome, began) {
    this.checking = false;
    this.root.dataset.checkMs = String(Math.round(performance.now() - began));
    const { state, verdict, reason, line, error } = outcome;
    if (state === "unavailable") {
      this.box.showNote(error);
      this.setResult("unchecked", NOT_CHECKED);
      return;
    }
    if (state === "stopped") {
      const where = line ? ` at line ${line}` : "";
      const why =
        reason === "time"
          ? "it ran past the time limit"
          : reason === "reset"
            ? "Reset was pressed"
            : `Stop was pressed${where}`;
      if (reason === "reset") this.setResult("unchecked", NOT_CHECKED);
      else this.setResult("unchecked", `Check stopped: ${why}. Your code was not judged; fix it and press Check again.`);
      return;
    }
    if (state !== "success" || !verdict) {
      this.setResult("failed", `The check could not run: ${error || "unknown error"}`);
      return;
    }
    if (verdict.status === "error") {
      // A broken check is the course's bug, not the reader's: the build refuses them, so this is rare.
      this.setResult("failed", `The check itself failed (not your fault): ${verdict.message}`);
      return;
    }
    this.setResult(verdict.status === "passed" ? "passed" : "failed", verdict.message);
    saveExerciseState(this.id, afterCheck(this.state, verdict.status));
  }

  hint() {
    const state = revealHint(this.state, this.hints.length);
    saveExerciseState(this.id, state);
    const shown = this.hints[state.hints - 1];
    if (shown) {
      shown.tabIndex = -1;
      shown.focus({ preventScroll: false }); // the newly revealed hint is read next
    }
  }

  fillSolution() {
    if (!this.solution.hidden && this.solution.childElementCount) return;
    const heading = el("p", "code-exercise-solution-title", "A solution");
    const code = el("div");
    code.innerHTML = this.data.solution_html; // the build's own highlighting, not reader input
    this.solution.replaceChildren(heading, ...code.childNodes);
    this.solution.hidden = false;
  }

  showSolution() {
    saveExerciseState(this.id, { ...this.state, shown: true });
    this.solution.tabIndex = -1;
    this.solution.focus();
  }

  reset() {
    if (!this.checking) this.setResult("unchecked", NOT_CHECKED);
  }
}
