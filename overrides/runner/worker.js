// The Python side of the runner: one Pyodide interpreter in a Web Worker.
//
// The worker starts loading as soon as it is created (the page creates it when the reader shows
// interest in a box), unpacks the `simulations` archive into Pyodide's file system, and then runs
// each box it is sent with the same harness the site build uses (simulations._box.run), in a
// fresh namespace. Output is streamed back in chunks, at most every 50 ms.
//
// Messages in:  {type: "run", id, code}
// Messages out: {type: "ready"} | {type: "failed", message}
//               {type: "out", id, chunks: [[stream, text], ...]} | {type: "chart", id, svg, title}
//               {type: "done", id, ok, error, truncated}

const PYODIDE_URL = new URL("../vendor/pyodide/", import.meta.url).href;
const ARCHIVE_URL = new URL("simulations.zip", import.meta.url).href;
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

async function start() {
  const archive = fetch(ARCHIVE_URL).then((response) => {
    if (!response.ok) throw new Error(`simulations.zip: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  const { loadPyodide } = await import(`${PYODIDE_URL}pyodide.mjs`);
  const quiet = { batched: () => {} };
  const pyodide = await loadPyodide({ indexURL: PYODIDE_URL, stdout: quiet.batched, stderr: quiet.batched });
  pyodide.unpackArchive(await archive, "zip", { extractDir: COURSE_DIR });
  pyodide.runPython(GLUE);
  return pyodide.globals.get("run_box");
}

const ready = start();
ready.then(
  () => postMessage({ type: "ready" }),
  (error) => postMessage({ type: "failed", message: String(error && error.message ? error.message : error) }),
);

let queue = Promise.resolve();

self.onmessage = (event) => {
  const message = event.data;
  if (!message || message.type !== "run") return;
  queue = queue.then(() => runOne(message));
};

async function runOne({ id, code }) {
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
    postMessage({ type: "failed", id, message: String(error && error.message ? error.message : error) });
  }
}
