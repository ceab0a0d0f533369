// The Python worker from a folder on disk (file://), where the browser refuses fetch, module
// workers and module scripts. The page starts this as a classic worker from a Blob URL (its source
// travels inside runtime.pack.js) and posts it the packed runtime:
//   {type: "runtime", indexURL, files: [[name, size], ...], gz}
// `gz` (transferred, not copied) is the gzip of the files' bytes one after the other. Here they are
// unpacked with DecompressionStream; pyodide.mjs and pyodide.asm.mjs are imported from Blob URLs;
// `fetch` answers the runtime's own file names (under indexURL) from memory. The rest is the same
// interpreter as over http: worker-core.js.

import { serve } from "./worker-core.js";

const TYPES = { wasm: "application/wasm", json: "application/json", zip: "application/zip" };

const received = new Promise((resolve) => {
  self.addEventListener("message", function onRuntime(event) {
    if (!event.data || event.data.type !== "runtime") return;
    self.removeEventListener("message", onRuntime);
    resolve(event.data);
  });
});

async function unpack({ gz, files }) {
  if (typeof DecompressionStream !== "function") {
    throw new Error("this browser has no DecompressionStream");
  }
  const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
  const all = new Uint8Array(await new Response(stream).arrayBuffer());
  const out = new Map();
  let offset = 0;
  for (const [name, size] of files) {
    out.set(name, all.subarray(offset, offset + size));
    offset += size;
  }
  if (offset !== all.length) throw new Error("the packed runtime is damaged");
  return out;
}

function answerFromMemory(indexURL, files) {
  const networkFetch = self.fetch.bind(self);
  self.fetch = (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const name = url.startsWith(indexURL) ? url.slice(indexURL.length) : null;
    if (name !== null && files.has(name)) {
      const type = TYPES[name.split(".").pop()] || "application/octet-stream";
      return Promise.resolve(new Response(files.get(name), { headers: { "Content-Type": type } }));
    }
    return networkFetch(input, init);
  };
}

const moduleURL = (bytes) => URL.createObjectURL(new Blob([bytes], { type: "text/javascript" }));

serve(async () => {
  const message = await received;
  const files = await unpack(message);
  answerFromMemory(message.indexURL, files);
  // Pyodide refuses a classic worker, which it recognises by a working importScripts. Nothing here
  // needs importScripts, so it is made to fail, and Pyodide loads as in a module worker.
  self.importScripts = () => {
    throw new TypeError("importScripts is not available in the course's Python worker");
  };
  const [{ loadPyodide }, asm] = await Promise.all([
    import(moduleURL(files.get("pyodide.mjs"))),
    import(moduleURL(files.get("pyodide.asm.mjs"))),
  ]);
  const lock = JSON.parse(new TextDecoder().decode(files.get("pyodide-lock.json")));
  return {
    loadPyodide,
    options: { indexURL: message.indexURL, createPyodideModule: asm.default, lockFileContents: lock },
    archive: files.get("simulations.zip"),
  };
});
