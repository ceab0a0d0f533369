// The Python runtime of a page opened from a folder on disk (file://). The browser refuses fetch,
// module scripts and module workers there, but runs classic scripts and classic workers made from
// Blob URLs. So the offline copy packs the runtime into one classic script (runtime.pack.js,
// written by offline/bundle.py; the published site does not carry it), loaded here on the first
// sign of interest in a box, never over http.
//
// This file is its own small bundle (file-runtime.js), loaded by the client only on file://, so
// pages served over http do not carry it. `startWorker` starts the real worker once the packed
// script has arrived and posts it the compressed runtime (a copy of the bytes kept here,
// transferred), so Stop's fresh worker needs nothing from disk.
//
// Material's offline plugin replaces window.Worker on file:// with an iframe shim (for search);
// the runner takes the browser's own Worker from a blank same-origin frame instead.

import { loadScript } from "./dom.js";

const PACK_GLOBAL = "courseRuntimePack";

let packed = null; // Promise of {files, gz: ArrayBuffer, workerURL}

function base64Bytes(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Load runtime.pack.js once per page; resolve to the compressed runtime and the worker's URL. */
function loadPack(url) {
  if (!packed) {
    packed = loadScript(url, "the packed runtime (runtime.pack.js)").then((script) => {
      const pack = window[PACK_GLOBAL];
      delete window[PACK_GLOBAL]; // the base64 text can go once decoded
      script.remove();
      if (!pack || typeof pack.gzip !== "string") throw new Error("the packed runtime is incomplete");
      const worker = new Blob([pack.worker], { type: "text/javascript" });
      return { files: pack.files, gz: base64Bytes(pack.gzip).buffer, workerURL: URL.createObjectURL(worker) };
    });
    packed.catch(() => {
      packed = null; // a later Run tries again
    });
  }
  return packed;
}

let NativeWorker = null;

/** The browser's own Worker constructor, even where a shim has replaced window.Worker. */
function nativeWorker() {
  if (NativeWorker) return NativeWorker;
  if (!window.IFrameWorker || window.Worker !== window.IFrameWorker) return (NativeWorker = window.Worker);
  // A blank frame has the page's origin and a Worker of its own; it must stay in the document
  // for as long as its workers run.
  const frame = document.createElement("iframe");
  frame.hidden = true;
  frame.setAttribute("aria-hidden", "true");
  frame.tabIndex = -1;
  frame.title = "Python runtime";
  document.documentElement.appendChild(frame);
  NativeWorker = frame.contentWindow && frame.contentWindow.Worker;
  if (typeof NativeWorker !== "function") throw new Error("this browser gives no Worker here");
  return NativeWorker;
}

/**
 * Start a Python worker fed with the packed runtime; resolve to the browser's own Worker object
 * (the client wraps it, see lazy-worker.js). Each call is a fresh worker from the same bytes.
 */
async function startWorker(packURL, indexURL) {
  const { files, gz, workerURL } = await loadPack(packURL);
  const Worker = nativeWorker();
  const worker = new Worker(workerURL, { name: "python" });
  const copy = gz.slice(0); // the original stays here for the next fresh worker
  worker.postMessage({ type: "runtime", indexURL, files, gz: copy }, [copy]);
  return worker;
}

window.CourseFileRuntime = { startWorker };
