// The one worker client of the page: starts the Python worker lazily, keeps it warm across
// Material's instant navigation (this module lives as long as the tab), runs one box at a time,
// and stops a run by interrupting it (the interpreter stays warm), or, where that cannot work, by
// ending the worker and starting a fresh one.
//
// Where the runtime comes from is decided in one place, `createRuntime`: over http(s) a module
// Web Worker that loads the vendored Pyodide; from a folder on disk (file://) the same worker code
// as a classic worker fed by the packed runtime (file-runtime.js, a bundle of its own loaded only
// there). Where neither can start, Run says why and points to the launcher; the pre-rendered
// output stays.

import { RUNNER_BASE, loadScript } from "./dom.js";
import { LazyWorker } from "./lazy-worker.js";

export const NOT_SERVED_MESSAGE =
  "Live Python needs the site to be served over http: run `make serve` in the course's folder, " +
  "or `python3 -m http.server -d site`, then open the address it prints. " +
  "The output shown here was produced when the site was built.";

export const FILE_FAILED_MESSAGE =
  "Live Python could not start in this browser from a folder on disk ({reason}). " +
  "To run the boxes, start the course with its launcher: `python3 launch.py` in the folder of " +
  "the offline copy (or `make serve` in the course's source), then open the address it prints. " +
  "The output shown here was produced when the site was built.";

const fromDisk = () => location.protocol === "file:";
let unavailable = null; // why live Python cannot run on this page, once known

/** Whether live Python can run on this page at all. */
export function runtimeAvailable() {
  if (unavailable) return false;
  return location.protocol === "http:" || location.protocol === "https:" || fromDisk();
}

/** Why Run cannot work here, in words for the reader. */
export function unavailableMessage() {
  return unavailable || NOT_SERVED_MESSAGE;
}

/** Load file-runtime.js (a classic script, so it works from file://) once. */
function loadFileRuntime() {
  return loadScript(new URL("file-runtime.js", RUNNER_BASE).href).then(() =>
    window.CourseFileRuntime
      ? window.CourseFileRuntime
      : Promise.reject(new Error("file-runtime.js did not load")),
  );
}

/** The one place that knows how to start the Python runtime. Returns a Worker-like object. */
function createRuntime() {
  if (fromDisk()) {
    const vendor = new URL("../vendor/pyodide/", RUNNER_BASE).href;
    return new LazyWorker(() =>
      loadFileRuntime().then((runtime) => runtime.startWorker(`${vendor}runtime.pack.js`, vendor)),
    );
  }
  return new Worker(new URL("worker.js", RUNNER_BASE), { type: "module", name: "python" });
}

let nextId = 1;

/** A shared buffer Stop can write to, where the page is cross-origin isolated; else null. */
function sharedStopBuffer() {
  if (!globalThis.crossOriginIsolated || typeof SharedArrayBuffer !== "function") return null;
  return new Int32Array(new SharedArrayBuffer(8)); // [0] Pyodide's signal, [1] "Stop was pressed"
}

export class Client {
  constructor() {
    this.worker = null;
    this.ready = null; // Promise that settles when the current worker has loaded Python
    this.queue = []; // runs waiting for the worker: {id, code, handlers}
    this.active = null; // the run the worker is busy with
    this.timeLimit = 120_000; // ms; generous: Stop is the normal way out of a long run
    // How long a stopped run may take to notice the interrupt before its worker is ended. Python
    // code notices within a poll (about 0.1 s, see worker-core.js); a long call into C (sorting a
    // huge list) only when it returns.
    this.stopGrace = 1500; // ms
    this.starts = []; // how each worker started: "cold", "snapshot", ... (for tests, benchmarks)
    this.snapshots = []; // what each worker said about the snapshot it made
    this.shared = null;
    this.runsPosted = 0; // runs sent to the current worker: one is enough to make it unfit for a snapshot
    this.helper = null; // the worker that only makes a snapshot, while it does
    this.helperWanted = false;
    this.helperLimit = 300_000; // ms a snapshot helper may take before it is ended
    this.helperQuiet = 3000; // ms without a run before a snapshot helper starts
    this.helperTimer = null;
    this.endHelper = null;
  }

  /** Start the worker if it is not running yet (prefetch). Harmless to call often. */
  warm() {
    if (!runtimeAvailable() || this.worker) return;
    const worker = createRuntime();
    this.worker = worker;
    this.runsPosted = 0;
    this.ready = new Promise((resolve, reject) => {
      worker.onmessage = (event) => this.onMessage(worker, event.data, resolve, reject);
      worker.onerror = (event) => {
        event.preventDefault?.();
        this.onMessage(worker, { type: "failed", message: event.message || "the Python worker failed to start" }, resolve, reject);
      };
    });
    this.ready.catch(() => {});
    this.shared = fromDisk() ? null : sharedStopBuffer();
    if (this.shared) worker.postMessage({ type: "interrupt", buffer: this.shared });
  }

  /**
   * Run `code`; `handlers` get onStart(), onOutput(chunks), onChart(svg, title) and exactly one
   * onEnd({state: "success"|"error"|"stopped", error, truncated, reason, line, verdict}). Returns
   * a handle. With `exercise` ({solution, check}) the run is an exercise's Check: the worker
   * grades `code` (simulations.grading) and a successful end carries the `verdict`
   * ({status, message, line}); Stop and the time limit work as for any run.
   */
  run(code, handlers, exercise = null) {
    const run = { id: nextId++, code, exercise, handlers, timer: null, ended: false, posted: false };
    this.pauseHelper();
    this.queue.push(run);
    this.warm();
    this.pump();
    return run;
  }

  /**
   * Stop a run: drop it if it is waiting or Python is still loading (the worker keeps loading);
   * if it is running, interrupt it and keep the interpreter; end the worker only where the
   * interrupt cannot work or is not noticed within `stopGrace`.
   */
  stop(run, reason = "stopped") {
    if (!run || run.ended || run.stopReason) return;
    const waiting = this.queue.indexOf(run);
    if (waiting >= 0) {
      this.queue.splice(waiting, 1);
      this.finish(run, { state: "stopped", reason });
      return;
    }
    if (this.active !== run) return;
    if (!run.posted) {
      this.active = null;
      this.finish(run, { state: "stopped", reason });
      this.pump();
      return;
    }
    run.stopReason = reason;
    if (run.interruptible === false) {
      this.endWorker(run);
      return;
    }
    if (this.shared) {
      Atomics.store(this.shared, 1, 1);
      Atomics.store(this.shared, 0, 2); // SIGINT
    } else {
      URL.revokeObjectURL(run.stopUrl);
    }
    clearTimeout(run.timer);
    run.timer = setTimeout(() => this.endWorker(run), this.stopGrace);
  }

  /** The fallback Stop: end the worker running `run` and start a fresh one. */
  endWorker(run) {
    if (this.active !== run || run.ended) return;
    this.restart();
    this.finish(run, { state: "stopped", reason: run.stopReason });
    this.pump();
  }

  restart() {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.ready = null;
    this.active = null;
    this.warm(); // a fresh interpreter (from the snapshot, if any), loading while the reader reads
  }

  pump() {
    if (this.active || !this.queue.length) return;
    this.warm();
    if (!this.worker) return;
    const run = this.queue.shift();
    this.active = run;
    const worker = this.worker;
    run.handlers.onStart?.();
    this.ready.then(
      () => {
        if (this.active !== run || this.worker !== worker) return;
        run.handlers.onRunning?.();
        run.timer = setTimeout(() => this.stop(run, "time"), this.timeLimit);
        if (this.shared) {
          Atomics.store(this.shared, 0, 0);
          Atomics.store(this.shared, 1, 0);
        } else {
          run.stopUrl = URL.createObjectURL(new Blob(["run"], { type: "text/plain" })); // revoked by Stop
        }
        run.posted = true;
        this.runsPosted++;
        const message = { type: "run", id: run.id, code: run.code, stopUrl: run.stopUrl };
        if (run.exercise) message.exercise = { solution: run.exercise.solution, check: run.exercise.check };
        worker.postMessage(message);
      },
      (error) => {
        if (this.active !== run) return;
        this.active = null;
        this.worker = null; // the next Run tries again with a fresh worker
        worker.terminate();
        if (fromDisk() && !run.retried) {
          // From a folder, a runtime that does not start is mostly this browser's rule, but it can
          // be bad luck too: with both cores busy, Chromium refused one worker among some sixty
          // that started (an error event without a message). One fresh worker is tried first.
          run.retried = true;
          this.queue.unshift(run);
          this.pump();
          return;
        }
        if (fromDisk()) {
          // Twice in a row: this browser's rule, not bad luck.
          unavailable = FILE_FAILED_MESSAGE.replace("{reason}", error.message);
          this.finish(run, { state: "unavailable", error: unavailable });
          for (const waiting of this.queue.splice(0)) this.finish(waiting, { state: "unavailable", error: unavailable });
          return;
        }
        this.finish(run, { state: "error", error: `Python could not start: ${error.message}` });
        this.pump();
      },
    );
  }

  onMessage(worker, message, resolve, reject) {
    if (worker !== this.worker || !message) return;
    const run = this.active && this.active.id === message.id ? this.active : null;
    switch (message.type) {
      case "ready":
        this.starts.push(message.start);
        resolve();
        if (message.start !== "snapshot") this.snapshotWhenIdle(worker);
        break;
      case "snapshot":
        this.snapshots.push(message);
        if (message.touched) this.snapshotByHelper(); // a run came before it was made
        break;
      case "failed":
        if (run) {
          // The interpreter broke during a run: report it, start afresh.
          this.restart();
          this.finish(run, { state: "error", error: `Python stopped working: ${message.message}` });
          this.pump();
        } else {
          reject(new Error(message.message));
        }
        break;
      case "running":
        if (run) {
          run.interruptible = message.interruptible;
          if (run.stopReason && !run.interruptible) this.endWorker(run);
        }
        break;
      case "out":
        if (run) run.handlers.onOutput?.(message.chunks);
        break;
      case "chart":
        if (run) run.handlers.onChart?.(message.svg, message.title);
        break;
      case "done":
        if (run) {
          this.active = null;
          const stopped = run.stopReason && !message.ok && !message.error;
          const outcome = stopped
            ? { state: "stopped", reason: run.stopReason, line: message.stoppedAt }
            : { state: message.ok ? "success" : "error", error: message.error, truncated: message.truncated };
          if (!stopped && message.verdict) outcome.verdict = message.verdict; // a Check's
          this.finish(run, outcome);
          this.pump();
        }
        break;
    }
  }

  /**
   * Ask a cold worker to snapshot its interpreter for the next visit (snapshot.js), once the page
   * is idle and before any run: making it blocks the worker for a moment, and a run's first output
   * must never wait for it. A run that comes first (the reader clicked Run while Python was
   * loading) leaves an interpreter that code has touched, unfit for a snapshot: then a helper
   * worker makes it, once that run is over and the page is idle (`snapshotByHelper`).
   */
  snapshotWhenIdle(worker) {
    whenIdle(() => {
      if (this.worker !== worker) return;
      if (!this.runsPosted && !this.active && !this.queue.length) worker.postMessage({ type: "snapshot" });
      else this.snapshotByHelper();
    });
  }

  /**
   * Start a second worker that loads Python cold, snapshots its untouched interpreter and ends:
   * only after `helperQuiet` ms without a run, when the page is idle, so it never shares the
   * machine with a reader's run. A run that comes while it works ends it; it starts again after
   * the next quiet spell. Not on file://, where no snapshot can be kept (see snapshot.js).
   */
  snapshotByHelper() {
    if (fromDisk() || this.helper || this.snapshots.some((s) => s.saved)) return;
    this.helperWanted = true;
    this.startHelperWhenIdle();
  }

  /** Whether a snapshot helper is wanted and nothing else is using the machine for Python. */
  helperMayStart() {
    return this.helperWanted && !this.helper && !this.active && !this.queue.length;
  }

  startHelperWhenIdle() {
    if (!this.helperMayStart()) return;
    clearTimeout(this.helperTimer);
    this.helperTimer = setTimeout(() => whenIdle(() => this.startHelper()), this.helperQuiet);
  }

  startHelper() {
    if (!this.helperMayStart()) return;
    this.helperWanted = false;
    const helper = createRuntime();
    this.helper = helper;
    const end = () => {
      clearTimeout(timer);
      helper.terminate();
      if (this.helper === helper) {
        this.helper = null;
        this.endHelper = null;
      }
    };
    this.endHelper = end;
    const timer = setTimeout(end, this.helperLimit);
    helper.onmessage = ({ data }) => {
      if (!data) return;
      if (data.type === "snapshot") {
        this.snapshots.push({ ...data, helper: true });
        end();
      } else if (data.type === "failed" || (data.type === "ready" && data.start === "snapshot")) {
        end(); // it could not start, or another tab has stored a snapshot meanwhile
      }
    };
    helper.onerror = (event) => {
      event.preventDefault?.();
      end();
    };
    helper.postMessage({ type: "snapshot" }); // answered once it is ready
  }

  /**
   * The page is going away for good (a reload, a link, a closed tab): end the Python workers at
   * once. The browser ends them too, but only once the old page is torn down; meanwhile a worker
   * still loading Python (unpacking and compiling some 10 MB, seconds of work) competes with the
   * next page's own load. Measured from a folder with both cores busy: a reload right after a
   * box warmed up made the next page's load take 18-42 s instead of 9-11 s.
   */
  close() {
    this.pauseHelper();
    this.helperWanted = false;
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.ready = null;
  }

  /** A run is coming: a helper waiting or at work gives way, and tries again later. */
  pauseHelper() {
    clearTimeout(this.helperTimer);
    this.helperTimer = null;
    if (this.helper) {
      this.endHelper();
      this.helperWanted = true;
    }
  }

  finish(run, outcome) {
    if (run.ended) return;
    run.ended = true;
    clearTimeout(run.timer);
    if (run.stopUrl) URL.revokeObjectURL(run.stopUrl);
    run.handlers.onEnd?.(outcome);
    if (this.helperWanted) setTimeout(() => this.startHelperWhenIdle(), 0); // once the next run, if any, is sent
  }
}

/** Call `callback` when the page is idle (within 2 s at most). */
function whenIdle(callback) {
  if (typeof requestIdleCallback === "function") requestIdleCallback(callback, { timeout: 2000 });
  else setTimeout(callback, 200);
}

export const client = new Client();
