// Loads the editor bundle (CodeMirror) once, on the first sign of interest in a box.
// A classic <script>, so it works from file:// as well.

import { RUNNER_BASE } from "./client.js";

let loading = null;

/** Resolve to `window.CourseEditor` ({createEditor}), loading editor.js the first time. */
export function loadEditor() {
  if (window.CourseEditor) return Promise.resolve(window.CourseEditor);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = new URL("editor.js", RUNNER_BASE).href;
      script.async = true;
      script.onload = () =>
        window.CourseEditor ? resolve(window.CourseEditor) : reject(new Error("editor.js did not load"));
      script.onerror = () => {
        loading = null; // try again on the next sign of interest
        script.remove();
        reject(new Error("editor.js could not be loaded"));
      };
      document.head.appendChild(script);
    });
  }
  return loading;
}
