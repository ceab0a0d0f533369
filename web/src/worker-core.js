// The Python side of the runner, shared by both ways the worker starts (worker.js over http,
// worker-file.js from a folder on disk): one Pyodide interpreter that unpacks the `simulations`
// archive into its file system and then runs each box it is sent with the same harness the site
// build uses (simulations._box), in a fresh namespace. Output is streamed back in chunks, at
// most every 50 ms (simulations._box.run_batched).
//
// Start-up: from a memory snapshot kept in the browser when there is one for this exact Pyodide
// and archive (snapshot.js), else cold; a cold interpreter that no run has touched yet is
// snapshotted for next time, when the page says it is idle. Any failure of a snapshot means a
// cold start.
//
// Stop keeps the interpreter: Pyodide raises KeyboardInterrupt in the running code when element
// [0] of its interrupt buffer reads 2. Where the page is cross-origin isolated that buffer is a
// real SharedArrayBuffer the page writes to. Elsewhere (GitHub Pages cannot isolate) it is an
// object whose [0] getter, at most every POLL_MS (less often when answers are slow), makes a
// synchronous request to a Blob URL the page made for this run: the page revokes the URL to stop,
// the request fails, the getter says 2.
// Pyodide reads that element from any object (314.0.7; undocumented, so the version is pinned and
// the browser tests check it). Where the request fails from the start (Chromium and WebKit on
// file://) the run is reported as not interruptible, and the page ends the worker instead.
//
// Messages in:  {type: "interrupt", buffer: Int32Array(2) on a SharedArrayBuffer}
//               {type: "run", id, code, stopUrl, exercise?: {solution, check}} (with `exercise`,
//               a Check: simulations._exercise.check_batched grades the code, nothing is printed)
//               {type: "snapshot"} (the page is idle: snapshot a cold interpreter no run touched)
// Messages out: {type: "ready", start: "cold" | "snapshot" | "cold after a failed snapshot", ms}
//               (ms: how long each step of the start took, for the benchmarks)
//               {type: "failed", message}
//               {type: "running", id, interruptible}
//               {type: "out", id, chunks: [[stream, text], ...]} | {type: "chart", id, svg, title}
//               {type: "done", id, ok, error, truncated, stoppedAt, ms} (ms: the run in Python)
//               {type: "done", id, ok: true, verdict: {status, message, line}, ms} (a Check)
//               {type: "snapshot", saved, bytes, ms: {imports, copy, store}, error, touched}

import { canKeepSnapshots, forgetSnapshot, readSnapshot, saveSnapshot, snapshotKey } from "./snapshot.js";

const COURSE_DIR = "/home/pyodide/course";
const POLL_MS = 100; // how often, at most, a run asks the page whether Stop was pressed

// Runs after the archive is unpacked, and again after a restore (the file system is not in a
// snapshot): makes the package importable and picks the harness's entry point for the worker,
// simulations._box.run_batched (which batches the output). The package loads each simulation's
// module on first use, so a first run compiles only what its box needs; before a snapshot the
// worker imports them all (LOAD_ALL), so a restored interpreter has them.
const GLUE = `
import importlib, sys
if ${JSON.stringify(COURSE_DIR)} not in sys.path:
    sys.path.insert(0, ${JSON.stringify(COURSE_DIR)})
importlib.invalidate_caches()
import simulations
from simulations._box import run_batched as run_box
from simulations._exercise import check_batched as check_exercise
`;

const SUBMODULES = "import simulations\nsorted(set(simulations._WHERE.values()))";
const LOAD_ALL = "simulations._load_all()";

const message = (error) => String(error && error.message ? error.message : error);

// ----- Stop ----------------------------------------------------------------------------------

const stop = { check: null, reads: 0, last: 0, every: POLL_MS, pressed: false, shared: null };

/** Pyodide's interrupt buffer without shared memory: see the top of this file. */
const stopSignal = {
  get 0() {
    // Read every few dozen bytecodes: keep the common case to a counter, not a clock.
    if (!stop.check || ++stop.reads % 64) return 0;
    const now = performance.now();
    if (now - stop.last < stop.every) return 0;
    const asked = stop.check();
    stop.last = performance.now();
    // A slow answer (a busy machine) spaces the next ones out: polling costs at most about 3%.
    stop.every = Math.max(POLL_MS, 30 * (stop.last - now));
    if (!asked) return 0;
    stop.check = null; // one interrupt per Stop
    stop.pressed = true;
    return 2; // SIGINT
  },
  set 0(value) {},
};

/** Whether the Blob URL still answers (a synchronous request: workers may make them). */
function answers(url) {
  try {
    const request = new XMLHttpRequest();
    request.open("GET", url, false);
    request.overrideMimeType("text/plain"); // Firefox would parse an untyped answer as XML
    request.send();
    return request.status === 200;
  } catch {
    return false;
  }
}

/** Arm Stop for one run; return whether Stop can interrupt it. */
function arm(stopUrl) {
  stop.pressed = false;
  stop.check = null;
  if (stop.shared) return true; // the page writes the buffer itself
  if (!stopUrl || !answers(stopUrl)) return false;
  stop.last = performance.now();
  stop.every = POLL_MS;
  stop.check = () => !answers(stopUrl);
  return true;
}

const stopPressed = () => stop.pressed || (stop.shared !== null && Atomics.load(stop.shared, 1) === 1);

// ----- start-up ------------------------------------------------------------------------------

/**
 * Load Python with what `load()` resolves to, {loadPyodide, version, options, archive}: `options`
 * go to loadPyodide, `archive` is (a promise of) the bytes of simulations.zip. Then serve runs.
 */
export function serve(load) {
  let runsReceived = 0;
  const ready = start(load);
  ready.then(
    ({ how, ms }) => postMessage({ type: "ready", start: how, ms }),
    (error) => postMessage({ type: "failed", message: message(error) }),
  );
  let queue = Promise.resolve();
  self.onmessage = (event) => {
    const data = event.data;
    if (data && data.type === "interrupt") {
      stop.shared = data.buffer;
    } else if (data && data.type === "snapshot") {
      // The page asks when it is idle; only an interpreter no run has touched is kept.
      const touched = () => runsReceived > 0;
      ready.then(({ makeSnapshot }) => {
        if (touched()) postMessage({ type: "snapshot", saved: false, touched: true, error: "a run came first" });
        else if (makeSnapshot) makeSnapshot(touched);
        else postMessage({ type: "snapshot", saved: false, error: "no snapshot to make" });
      }, () => {});
    } else if (data && data.type === "run") {
      runsReceived++;
      queue = queue.then(() => runOne(ready, data));
    }
  };
}

async function start(load) {
  const began = performance.now();
  const ms = {}; // how long each step took, for the benchmarks
  const step = (name, since) => {
    const now = performance.now();
    ms[name] = now - since;
    return now;
  };
  const { loadPyodide, version, options, archive } = await load();
  let at = step("import", began);
  const quiet = { batched: () => {} };
  const base = { ...options, stdout: quiet.batched, stderr: quiet.batched };
  const bytes = new Uint8Array(await archive);
  at = step("archive", at);
  // No key where no snapshot can be kept (file://): then none is read, prepared or made.
  const key = (await canKeepSnapshots()) ? await snapshotKey(version, bytes).catch(() => null) : null;
  const saved = key ? await readSnapshot(key) : null;
  at = step("lookup", at);

  if (saved) {
    try {
      const pyodide = await loadPyodide({ ...base, _loadSnapshot: saved });
      at = step("pyodide", at);
      return { how: "snapshot", ms, ...prepare(pyodide, bytes, ms, at) };
    } catch {
      await forgetSnapshot(); // damaged or made by another build: start cold, make a new one
    }
  }
  const pyodide = await loadPyodide({ ...base, _makeSnapshot: Boolean(key) });
  at = step("pyodide", at);
  let made = false;
  const once = (touched) => {
    if (made) return postMessage({ type: "snapshot", saved: false, error: "already made" });
    made = true;
    return snapshot(pyodide, key, touched);
  };
  const how = saved ? "cold after a failed snapshot" : "cold";
  return { how, ms, makeSnapshot: key ? once : null, ...prepare(pyodide, bytes, ms, at) };
}

/** Files, glue and interrupts for a loaded (or restored) interpreter. */
function prepare(pyodide, archive, ms, at) {
  pyodide.unpackArchive(archive, "zip", { extractDir: COURSE_DIR });
  const unpacked = performance.now();
  ms.unpack = unpacked - at;
  pyodide.runPython(GLUE);
  pyodide.setInterruptBuffer(stop.shared || stopSignal);
  ms.glue = performance.now() - unpacked;
  return { runBox: pyodide.globals.get("run_box"), checkExercise: pyodide.globals.get("check_exercise") };
}

/**
 * Snapshot the interpreter, once every simulation module is imported: one module per task, so a
 * run that arrives meanwhile waits for one import at most; such a run touches the interpreter,
 * and then there is no snapshot (`touched`: the page asks a helper worker instead).
 */
async function snapshot(pyodide, key, touched) {
  const began = performance.now();
  const untouched = () => {
    if (!touched()) return true;
    postMessage({ type: "snapshot", saved: false, touched: true, error: "a run came first" });
    return false;
  };
  let bytes, imported;
  try {
    const names = pyodide.runPython(SUBMODULES);
    const list = names.toJs();
    names.destroy();
    for (const name of list) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (!untouched()) return;
      pyodide.runPython(`import simulations.${name}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (!untouched()) return;
    pyodide.runPython(LOAD_ALL);
    imported = performance.now();
    bytes = pyodide.makeMemorySnapshot();
  } catch (error) {
    postMessage({ type: "snapshot", saved: false, error: message(error) });
    return;
  }
  const copied = performance.now();
  const saved = await saveSnapshot(key, bytes);
  const ms = { imports: imported - began, copy: copied - imported, store: performance.now() - copied };
  postMessage({ type: "snapshot", saved, bytes: bytes.length, ms });
}

// ----- runs ----------------------------------------------------------------------------------

async function runOne(ready, { id, code, stopUrl, exercise }) {
  let runBox, checkExercise;
  try {
    ({ runBox, checkExercise } = await ready);
  } catch {
    return; // "failed" was already posted
  }
  postMessage({ type: "running", id, interruptible: arm(stopUrl) });
  const postOut = (json) => postMessage({ type: "out", id, chunks: JSON.parse(json) });
  const postChart = (svg, title) => postMessage({ type: "chart", id, svg: String(svg), title: String(title) });
  const began = performance.now();
  try {
    if (exercise) {
      const kwargs = { stop_pressed: stopPressed };
      const answer = JSON.parse(checkExercise.callKwargs(code, exercise.solution, exercise.check, kwargs));
      const ms = performance.now() - began;
      if (answer.stopped) postMessage({ type: "done", id, ok: false, error: null, truncated: false, stoppedAt: answer.line, ms });
      else postMessage({ type: "done", id, ok: true, verdict: answer, ms });
      return;
    }
    const result = JSON.parse(runBox.callKwargs(code, postOut, postChart, { stop_pressed: stopPressed }));
    const ms = performance.now() - began;
    postMessage({ type: "done", id, ok: result.ok, error: result.error, truncated: result.truncated, stoppedAt: result.stopped_at, ms });
  } catch (error) {
    if (stopPressed()) {
      // The interrupt landed in the glue around the reader's code: still a Stop.
      postMessage({ type: "done", id, ok: false, error: null, truncated: false, stoppedAt: null });
    } else {
      // Not a Python exception (the harness catches those): the interpreter itself broke.
      postMessage({ type: "failed", id, message: message(error) });
    }
  } finally {
    stop.check = null;
  }
}
