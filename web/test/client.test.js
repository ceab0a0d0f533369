// The worker client, with a fake worker: lazy start, one run at a time, output in order, Stop,
// the time limit, and a worker that cannot start.

import { FakeWorker } from "./fake-browser.js";
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { Client } from "../src/client.js";

beforeEach(() => {
  FakeWorker.made.length = 0;
});

/** A run whose handlers record every call in order. */
function recorder() {
  const calls = [];
  const handlers = {
    onStart: () => calls.push(["start"]),
    onRunning: () => calls.push(["running"]),
    onOutput: (chunks) => calls.push(["out", chunks]),
    onChart: (svg, title) => calls.push(["chart", svg, title]),
    onEnd: (outcome) => calls.push(["end", outcome]),
  };
  return { calls, handlers };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

test("the worker starts on the first run (or warm), once, as a module worker", () => {
  const client = new Client();
  assert.equal(FakeWorker.made.length, 0);
  client.warm();
  client.warm();
  assert.equal(FakeWorker.made.length, 1);
  assert.match(FakeWorker.made[0].url, /\/assets\/javascripts\/runner\/worker\.js$/);
  assert.equal(FakeWorker.made[0].options.type, "module");
});

test("a run is sent once Python is ready; output, charts and the end reach its handlers", async () => {
  const client = new Client();
  const { calls, handlers } = recorder();
  const run = client.run("print(1)", handlers);
  const worker = FakeWorker.made[0];
  assert.deepEqual(worker.sent, []); // not before "ready"
  worker.say({ type: "ready" });
  await tick();
  assert.deepEqual(worker.sent, [{ type: "run", id: run.id, code: "print(1)" }]);
  worker.say({ type: "out", id: run.id, chunks: [["stdout", "1\n"]] });
  worker.say({ type: "chart", id: run.id, svg: "<svg/>", title: "t" });
  worker.say({ type: "done", id: run.id, ok: true, error: null, truncated: false });
  assert.deepEqual(calls, [
    ["start"],
    ["running"],
    ["out", [["stdout", "1\n"]]],
    ["chart", "<svg/>", "t"],
    ["end", { state: "success", error: null, truncated: false }],
  ]);
});

test("runs wait their turn: the second is sent after the first is done", async () => {
  const client = new Client();
  const first = recorder();
  const second = recorder();
  const a = client.run("a", first.handlers);
  const b = client.run("b", second.handlers);
  const worker = FakeWorker.made[0];
  worker.say({ type: "ready" });
  await tick();
  assert.deepEqual(worker.sent.map((m) => m.code), ["a"]);
  worker.say({ type: "done", id: a.id, ok: false, error: "Traceback", truncated: false });
  await tick();
  assert.deepEqual(worker.sent.map((m) => m.code), ["a", "b"]);
  assert.deepEqual(first.calls.at(-1), ["end", { state: "error", error: "Traceback", truncated: false }]);
  worker.say({ type: "done", id: b.id, ok: true, error: null, truncated: false });
  assert.equal(second.calls.at(-1)[1].state, "success");
});

test("Stop ends a running run, terminates the worker and starts a fresh one", async () => {
  const client = new Client();
  const { calls, handlers } = recorder();
  const run = client.run("while True: pass", handlers);
  const old = FakeWorker.made[0];
  old.say({ type: "ready" });
  await tick();
  client.stop(run);
  assert.equal(old.terminated, true);
  assert.equal(FakeWorker.made.length, 2);
  assert.deepEqual(calls.at(-1), ["end", { state: "stopped", reason: "stopped" }]);
  old.say({ type: "done", id: run.id, ok: true }); // too late: ignored
  assert.equal(calls.filter(([kind]) => kind === "end").length, 1);
});

test("a waiting run is dropped by Stop without touching the worker", () => {
  const client = new Client();
  client.run("a", recorder().handlers);
  const { calls, handlers } = recorder();
  const waiting = client.run("b", handlers);
  client.stop(waiting);
  assert.equal(FakeWorker.made[0].terminated, false);
  assert.deepEqual(calls, [["end", { state: "stopped", reason: "stopped" }]]);
});

test("a run past the time limit is stopped with the reason 'time'", async () => {
  const client = new Client();
  client.timeLimit = 5;
  const { calls, handlers } = recorder();
  client.run("while True: pass", handlers);
  FakeWorker.made[0].say({ type: "ready" });
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.deepEqual(calls.at(-1), ["end", { state: "stopped", reason: "time" }]);
  assert.equal(FakeWorker.made[0].terminated, true);
});

test("a worker that fails to start ends the run with an error; the next run tries afresh", async () => {
  const client = new Client();
  const { calls, handlers } = recorder();
  client.run("print(1)", handlers);
  FakeWorker.made[0].say({ type: "failed", message: "no WebAssembly" });
  await tick();
  assert.deepEqual(calls.at(-1), ["end", { state: "error", error: "Python could not start: no WebAssembly" }]);
  client.run("print(2)", recorder().handlers);
  assert.equal(FakeWorker.made.length, 2);
});
