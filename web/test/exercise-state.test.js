// The rules of an exercise's state: checks, attempts, when the solution is offered, hints.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  FRESH,
  afterCheck,
  attemptsNote,
  cleanState,
  hintLabel,
  mergeStates,
  revealHint,
  solutionAvailable,
} from "../src/exercise-state.js";

test("a failed check counts an attempt; a pass solves it; a stop judges nothing", () => {
  let state = { ...FRESH };
  state = afterCheck(state, "failed");
  state = afterCheck(state, "stopped");
  state = afterCheck(state, "error");
  assert.deepEqual(state, { ...FRESH, attempts: 1 });
  state = afterCheck(state, "passed");
  assert.equal(state.solved, true);
  assert.equal(afterCheck(state, "failed").solved, true, "a later failure does not unsolve it");
});

test("the solution is offered after a pass or once the allowed failed checks are used", () => {
  let state = { ...FRESH };
  for (let i = 0; i < 2; i++) {
    assert.equal(solutionAvailable(state, 3), false);
    state = afterCheck(state, "failed");
  }
  assert.equal(solutionAvailable(state, 3), false);
  assert.equal(attemptsNote(state, 3), "The solution can be shown after a pass or 1 more failed check.");
  assert.equal(solutionAvailable(afterCheck(state, "failed"), 3), true);
  assert.equal(attemptsNote(afterCheck(state, "failed"), 3), null);
  assert.equal(solutionAvailable(afterCheck({ ...FRESH }, "passed"), 3), true);
  assert.equal(attemptsNote({ ...FRESH }, 2), "The solution can be shown after a pass or 2 more failed checks.");
});

test("hints come one at a time, named Hint then Next hint, and stop at the last", () => {
  let state = { ...FRESH };
  assert.equal(hintLabel(state, 2), "Hint");
  state = revealHint(state, 2);
  assert.equal(hintLabel(state, 2), "Next hint");
  state = revealHint(revealHint(state, 2), 2);
  assert.equal(state.hints, 2);
  assert.equal(hintLabel(state, 2), null);
  assert.equal(hintLabel({ ...FRESH }, 0), null, "no hints, no button");
});

test("a stored or imported state is cleaned: bad values become fresh, unknown fields go", () => {
  assert.deepEqual(cleanState(null), FRESH);
  assert.deepEqual(cleanState({ attempts: -2, solved: "yes", hints: 1.5, shown: 1, extra: 9 }), FRESH);
  assert.deepEqual(cleanState({ attempts: 2, solved: true, hints: 1, shown: true }), {
    attempts: 2,
    solved: true,
    hints: 1,
    shown: true,
  });
});

test("merging two states keeps what either has done", () => {
  const a = { attempts: 3, solved: false, hints: 1, shown: false };
  const b = { attempts: 1, solved: true, hints: 0, shown: true };
  assert.deepEqual(mergeStates(a, b), { attempts: 3, solved: true, hints: 1, shown: true });
});
