// The Python runtime of a page opened from a folder on disk (file://). The browser refuses fetch,
// module scripts and module workers there, but runs classic scripts and classic workers made from
// Blob URLs. So the build packs the runtime into one classic script (runtime.pack.js, written by
// overrides/hooks/vendor.py), loaded here on the first sign of interest in a box, never over http.
//
// `FileWorker` looks like a Worker to the client (postMessage, onmessage, onerror, terminate): it
// starts the real worker once the packed script has arrived, posting the compressed runtime to it
// (a copy of the bytes kept here, transferred), so Stop's fresh worker needs nothing from disk.
//
// Material's offline plugin replaces window.Worker on file:// with an iframe shim (for search);
// the runner takes the browser's own Worker from a blank same-origin frame instead.

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
    packed = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = () => {
        const pack = window[PACK_GLOBAL];
        delete window[PACK_GLOBAL]; // the base64 text can go once decoded
        script.remove();
        if (!pack || typeof pack.gzip !== "string") {
          reject(new Error("the packed runtime is incomplete"));
          return;
        }
        const worker = new Blob([pack.worker], { type: "text/javascript" });
        resolve({ files: pack.files, gz: base64Bytes(pack.gzip).buffer, workerURL: URL.createObjectURL(worker) });
      };
      script.onerror = () => {
        script.remove();
        reject(new Error("the browser did not load the packed runtime (runtime.pack.js)"));
      };
      document.head.appendChild(script);
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

export class FileWorker {
  constructor(packURL, indexURL) {
    this.onmessage = null;
    this.onerror = null;
    this.worker = null;
    this.pending = []; // messages posted before the worker exists
    this.terminated = false;
    loadPack(packURL)
      .then((pack) => this.start(pack, indexURL))
      .catch((error) => this.fail(error));
  }

  start({ files, gz, workerURL }, indexURL) {
    if (this.terminated) return;
    const Worker = nativeWorker();
    const worker = new Worker(workerURL, { name: "python" });
    this.worker = worker;
    worker.onmessage = (event) => this.onmessage?.(event);
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.fail(new Error(event.message || "the browser refused to start the Python worker"));
    };
    const copy = gz.slice(0); // the original stays here for the next fresh worker
    worker.postMessage({ type: "runtime", indexURL, files, gz: copy }, [copy]);
    for (const message of this.pending) worker.postMessage(message);
    this.pending = [];
  }

  fail(error) {
    if (this.terminated) return;
    this.onmessage?.({ data: { type: "failed", message: error.message || String(error) } });
  }

  postMessage(message) {
    if (this.worker) this.worker.postMessage(message);
    else this.pending.push(message);
  }

  terminate() {
    this.terminated = true;
    this.worker?.terminate();
    this.worker = null;
    this.pending = [];
  }
}
