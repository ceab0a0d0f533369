// The Python side of the runner, shared by both ways the worker starts (worker.js over http,
// worker-file.js from a folder on disk): one Pyodide interpreter that unpacks the `simulations`
// archive into its file system and then runs each box it is sent with the same harness the site
// build uses (simulations._box.run), in a fresh namespace. Output is streamed back in chunks, at
// most every 50 ms.
//
// Messages in:  {type: "run", id, code}
// Messages out: {type: "ready"} | {type: "failed", message}
//               {type: "out", id, chunks: [[stream, text], ...]} | {type: "chart", id, svg, title}
//               {type: "done", id, ok, error, truncated}

const COURSE_DIR = "/home/pyodide/course";

// Runs once, after the archive is unpacked: the bridge between the harness and postMessage.
const GLUE = `
import importlib, json, sys, time
sys.path.insert(0, ${JSON.stringify(COURSE_DIR)})
importlib.invalidate_caches()
from simulations import _box

FLUSH_EVERY = 0.05

def run_box(code, post_out, post_chart):
    pending = []
    last = 0.0

    def flush():
        nonlocal last
        if pending:
            post_out(json.dumps([[stream, "".join(parts)] for stream, parts in pending]))
            pending.clear()
        last = time.monotonic()

    def write(stream, text):
        if pending and pending[-1][0] == stream:
            pending[-1][1].append(text)
        else:
            pending.append((stream, [text]))
        if time.monotonic() - last >= FLUSH_EVERY:
            flush()

    def chart(svg, title):
        flush()
        post_chart(svg, title)

    try:
        result = _box.run(code, write=write, chart=chart)
    finally:
        flush()
    return json.dumps({"ok": result.ok, "error": result.error, "truncated": result.truncated})
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
