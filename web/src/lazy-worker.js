// A Worker-like object (postMessage, onmessage, onerror, terminate) for a worker that takes a
// while to exist: messages posted before it does are kept and sent once it is there. A failure to
// start becomes a {type: "failed"} message, as if the worker had said so.

export class LazyWorker {
  /** `start()` resolves to a Worker. */
  constructor(start) {
    this.onmessage = null;
    this.onerror = null;
    this.worker = null;
    this.pending = [];
    this.terminated = false;
    Promise.resolve()
      .then(start)
      .then((worker) => {
        if (this.terminated) {
          worker.terminate();
          return;
        }
        this.worker = worker;
        worker.onmessage = (event) => this.onmessage?.(event);
        worker.onerror = (event) => {
          event.preventDefault?.();
          this.fail(new Error(event.message || "the browser refused to start the Python worker"));
        };
        for (const message of this.pending) worker.postMessage(message);
        this.pending = [];
      })
      .catch((error) => this.fail(error));
  }

  fail(error) {
    if (this.terminated) return;
    this.onmessage?.({ data: { type: "failed", message: (error && error.message) || String(error) } });
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
