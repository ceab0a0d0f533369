// Bundles the runner's source (web/src/) with esbuild into overrides/assets/javascripts/runner/,
// which MkDocs copies into the site as theme files:
//   runner.js   the page side (boxes, worker client, storage): a small classic script
//   editor.js   CodeMirror, loaded on the first sign of interest in a box
//   worker.js   the Python worker (a module worker; it imports the vendored Pyodide at run time)
//   worker-file.js  the same worker as a classic script, for file:// (packed into runtime.pack.js
//               by offline/bundle.py, in the offline copy only)
//   file-runtime.js  loads runtime.pack.js and starts that worker; loaded by runner.js on file://
//   runner.css  the boxes' look
// Usage: node web/build.mjs  (npm run build)

import { mkdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const web = dirname(fileURLToPath(import.meta.url));
const here = join(web, "src");
const outdir = join(web, "..", "overrides", "assets", "javascripts", "runner");

const common = {
  bundle: true,
  minify: true,
  legalComments: "none",
  target: ["es2020"],
  logLevel: "warning",
  charset: "utf8",
};

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await Promise.all([
  esbuild.build({ ...common, entryPoints: { runner: join(here, "index.js") }, format: "iife", outdir }),
  esbuild.build({ ...common, entryPoints: { editor: join(here, "editor.js") }, format: "iife", outdir }),
  esbuild.build({ ...common, entryPoints: { worker: join(here, "worker.js") }, format: "esm", outdir }),
  esbuild.build({ ...common, entryPoints: { "worker-file": join(here, "worker-file.js") }, format: "iife", outdir }),
  esbuild.build({ ...common, entryPoints: { "file-runtime": join(here, "file-runtime.js") }, format: "iife", outdir }),
  esbuild.build({ ...common, entryPoints: { runner: join(here, "runner.css") }, outdir }),
]);
