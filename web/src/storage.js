// A reader's edits, kept in localStorage under the page's path and the box's id.
// Every access is guarded: storage may be full, disabled, or refused (private modes, file://).

const PREFIX = "course-runner:v1:";

function key(boxId) {
  return `${PREFIX}${location.pathname}#${boxId}`;
}

export function loadCode(boxId) {
  try {
    return localStorage.getItem(key(boxId));
  } catch {
    return null;
  }
}

export function saveCode(boxId, code) {
  try {
    localStorage.setItem(key(boxId), code);
    return true;
  } catch {
    return false;
  }
}

export function forgetCode(boxId) {
  try {
    localStorage.removeItem(key(boxId));
  } catch {
    // nothing saved, nothing to forget
  }
}
