// What a reader has done with one exercise, and what follows from it: the pure rules, kept apart
// from the page so that Node's tests can check them (web/test/exercise-state.test.js).
//
// A state is {attempts, solved, hints, shown}: failed checks so far, whether a check has
// passed, how many hints are revealed, whether the solution has been shown. progress.js keeps
// it with the reader's progress (so export and import carry it); exercise.js shows it.

export const FRESH = Object.freeze({ attempts: 0, solved: false, hints: 0, shown: false });

const count = (value) => (Number.isInteger(value) && value > 0 ? value : 0);

/** A state from anything stored or imported: unknown fields dropped, bad values made fresh. */
export function cleanState(value) {
  if (!value || typeof value !== "object") return { ...FRESH };
  return {
    attempts: count(value.attempts),
    solved: value.solved === true,
    hints: count(value.hints),
    shown: value.shown === true,
  };
}

/**
 * The state after a check ended with `status`: "passed" solves it for good, "failed" counts an
 * attempt; anything else (stopped, the runtime unavailable, a broken check) judged nothing.
 */
export function afterCheck(state, status) {
  if (status === "passed") return { ...state, solved: true };
  if (status === "failed") return { ...state, attempts: state.attempts + 1 };
  return state;
}

/** Whether "Show solution" is offered: after a pass, or once `allowed` checks have failed. */
export function solutionAvailable(state, allowed) {
  return state.solved || state.shown || state.attempts >= allowed;
}

/** The state with one more of `total` hints revealed (never more than there are). */
export function revealHint(state, total) {
  return { ...state, hints: Math.min(total, state.hints + 1) };
}

/** The hint button's name: "Hint" before the first, "Next hint" after; null when all are out. */
export function hintLabel(state, total) {
  if (state.hints >= total) return null;
  return state.hints === 0 ? "Hint" : "Next hint";
}

/** A line saying how far the reader is from the solution, or null when it is available. */
export function attemptsNote(state, allowed) {
  if (solutionAvailable(state, allowed)) return null;
  const left = allowed - state.attempts;
  return `The solution can be shown after a pass or ${left} more failed ${left === 1 ? "check" : "checks"}.`;
}

/** Two states of one exercise merged (an import): what either has done counts. */
export function mergeStates(a, b) {
  return {
    attempts: Math.max(a.attempts, b.attempts),
    solved: a.solved || b.solved,
    hints: Math.max(a.hints, b.hints),
    shown: a.shown || b.shown,
  };
}
