// The Worker-like object for a worker that does not exist yet (file://, lazy-worker.js), with the
// start's promise settled by hand: messages wait for the worker and keep their order, a worker
// ended before it exists is ended on arrival, and a start that fails says so as a message.

import { FakeWorker } from "./fake-browser.js";
import assert from "node:assert/strict";
import { test } from "node:test";
import { LazyWorker } from "../src/lazy-worker.js";

/** A start the test settles: `lazy` is the LazyWorker, `arrive()` gives it its worker. */
function lazily() {
  let resolve, reject;
  const started = new Promise((yes, no) => {
    resolve = yes;
    reject = no;
  });
  const lazy = new LazyWorker(() => started);
  const heard = [];
  lazy.onmessage = (event) => heard.push(event.data);
  const worker = new FakeWorker("blob:null/worker", { name: "python" });
  const settle = () => new Promise((done) => setTimeout(done, 0));
  return {
    lazy,
    heard,
    worker,
    arrive: () => (resolve(worker), settle()),
    fail: (error) => (reject(error), settle()),
  };
}

test("messages posted before the worker exists reach it in order once it does, later ones at once", async () => {
  const { lazy, worker, arrive } = lazily();
  lazy.postMessage({ type: "interrupt" });
  lazy.postMessage({ type: "snapshot" });
  assert.deepEqual(worker.sent, []);
  await arrive();
  assert.deepEqual(worker.sent, [{ type: "interrupt" }, { type: "snapshot" }]);
  lazy.postMessage({ type: "run", id: 1 });
  assert.deepEqual(worker.sent.at(-1), { type: "run", id: 1 });
});

test("what the worker says reaches the page's handler", async () => {
  const { heard, worker, arrive } = lazily();
  await arrive();
  worker.say({ type: "ready", start: "cold" });
  assert.deepEqual(heard, [{ type: "ready", start: "cold" }]);
});

test("a worker ended before it exists is ended when it arrives, and gets nothing", async () => {
  const { lazy, heard, worker, arrive } = lazily();
  lazy.postMessage({ type: "run", id: 1 });
  lazy.terminate(); // the page went away while the runtime was still loading
  await arrive();
  assert.equal(worker.terminated, true);
  assert.deepEqual(worker.sent, []);
  assert.deepEqual(heard, [], "an ended worker reports nothing, not even a failure");
});

test("a start that fails is a 'failed' message; once ended, a failure is not reported", async () => {
  const failing = lazily();
  await failing.fail(new Error("the browser did not load the packed runtime (runtime.pack.js)"));
  assert.deepEqual(failing.heard, [
    { type: "failed", message: "the browser did not load the packed runtime (runtime.pack.js)" },
  ]);
  const ended = lazily();
  ended.lazy.terminate();
  await ended.fail(new Error("too late"));
  assert.deepEqual(ended.heard, []);
});

test("an error the worker raises while starting becomes a 'failed' message", async () => {
  const { heard, worker, arrive } = lazily();
  await arrive();
  let prevented = false;
  worker.onerror({ message: "SyntaxError in the worker", preventDefault: () => (prevented = true) });
  assert.ok(prevented, "the browser does not also report it as the page's error");
  assert.deepEqual(heard, [{ type: "failed", message: "SyntaxError in the worker" }]);
});
