// The Python side of the runner, shared by both ways the worker starts (worker.js over http,
// worker-file.js from a folder on disk): one Pyodide interpreter that unpacks the `simulations`
// archive into its file system and then runs each box it is sent with the same harness the site
// build uses (simulations._box), in a fresh namespace. Output is streamed back in chunks, at
// most every 50 ms (simulations._box.run_batched).
//
// Messages in:  {type: "run", id, code}
// Messages out: {type: "ready"} | {type: "failed", message}
//               {type: "out", id, chunks: [[stream, text], ...]} | {type: "chart", id, svg, title}
//               {type: "done", id, ok, error, truncated}

const COURSE_DIR = "/home/pyodide/course";

// Runs once, after the archive is unpacked: makes the package importable and picks the harness's
// entry point for the worker, simulations._box.run_batched (which batches the output).
const GLUE = `
import importlib, sys
sys.path.insert(0, ${JSON.stringify(COURSE_DIR)})
importlib.invalidate_caches()
from simulations._box import run_batched as run_box
`;

const message = (error) => String(error && error.message ? error.message : error);

/**
 * Load Python with what `load()` resolves to, {loadPyodide, options, archive}: `options` go to
 * loadPyodide, `archive` is (a promise of) the bytes of simulations.zip. Then serve runs.
 */
export function serve(load) {
  const ready = start(load);
  ready.then(
    () => postMessage({ type: "ready" }),
    (error) => postMessage({ type: "failed", message: message(error) }),
  );
  let queue = Promise.resolve();
  self.onmessage = (event) => {
    const data = event.data;
    if (!data || data.type !== "run") return;
    queue = queue.then(() => runOne(ready, data));
  };
}

async function start(load) {
  const { loadPyodide, options, archive } = await load();
  const quiet = { batched: () => {} };
  const pyodide = await loadPyodide({ ...options, stdout: quiet.batched, stderr: quiet.batched });
  pyodide.unpackArchive(await archive, "zip", { extractDir: COURSE_DIR });
  pyodide.runPython(GLUE);
  return pyodide.globals.get("run_box");
}

async function runOne(ready, { id, code }) {
  let runBox;
  try {
    runBox = await ready;
  } catch {
    return; // "failed" was already posted
  }
  const postOut = (json) => postMessage({ type: "out", id, chunks: JSON.parse(json) });
  const postChart = (svg, title) => postMessage({ type: "chart", id, svg: String(svg), title: String(title) });
  try {
    const result = JSON.parse(runBox(code, postOut, postChart));
    postMessage({ type: "done", id, ...result });
  } catch (error) {
    // Not a Python exception (the harness catches those): the interpreter itself broke.
    postMessage({ type: "failed", id, message: message(error) });
  }
}
