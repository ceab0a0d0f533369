// Loads the editor bundle (CodeMirror) once, on the first sign of interest in a box.
// A classic <script>, so it works from file:// as well.

import { RUNNER_BASE, loadScript } from "./dom.js";

/** Resolve to `window.CourseEditor` ({createEditor}), loading editor.js the first time. */
export function loadEditor() {
  if (window.CourseEditor) return Promise.resolve(window.CourseEditor);
  // A failed load is tried again on the next sign of interest.
  return loadScript(new URL("editor.js", RUNNER_BASE).href).then(() =>
    window.CourseEditor ? window.CourseEditor : Promise.reject(new Error("editor.js did not load")),
  );
}
