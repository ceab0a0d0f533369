// Small helpers shared by the runner's modules: one way to make an element, one way to load a
// classic script once, and where the runner and the site live.

/** An element with an optional class and text (text is only ever set as textContent). */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const scripts = new Map(); // src -> Promise of the <script> element

/**
 * Load the classic script at `src` once per page (a classic script, so it works from file://
 * too); resolve to its element once it has run. A failed load is forgotten, so a later call tries
 * again; the error says "the browser did not load <what>".
 */
export function loadScript(src, what = src.split("/").pop()) {
  if (!scripts.has(src)) {
    const loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.async = true;
      script.onload = () => resolve(script);
      script.onerror = () => {
        script.remove();
        reject(new Error(`the browser did not load ${what}`));
      };
      document.head.appendChild(script);
    });
    loading.catch(() => scripts.delete(src));
    scripts.set(src, loading);
  }
  return scripts.get(src);
}

/**
 * The runner's folder (assets/javascripts/runner/), from the address of the script that is
 * running when this module is first evaluated: runner.js or file-runtime.js, both in that folder.
 */
export const RUNNER_BASE = /* @__PURE__ */ (() => {
  const script = typeof document !== "undefined" ? document.currentScript : null;
  return new URL(".", script ? script.src : location.href).href;
})();

/** The site root's path (the runner lives in assets/javascripts/runner/). */
export function rootPath(base = RUNNER_BASE) {
  return new URL("../../../", base).pathname;
}
