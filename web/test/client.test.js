// The worker client, with a fake worker: lazy start, one run at a time, output in order, Stop
// (interrupt, or end the worker where that cannot work), the time limit, and a worker that cannot
// start.

import { FakeWorker } from "./fake-browser.js";
import assert from "node:assert/strict";
import { resolveObjectURL } from "node:buffer";
import { afterEach, beforeEach, test } from "node:test";
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

// Snapshot helpers start at once (no quiet spell) unless a test says otherwise. Every client is
// closed after its test: a client left behind would start its helper (a new fake worker) during a
// later test, which on a busy machine, where each test takes longer, lands in that test's count.
const clients = [];
const newClient = () => {
  const client = Object.assign(new Client(), { helperQuiet: 0 });
  clients.push(client);
  return client;
};

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

/** The worker says `run` ended without an error. */
const succeed = (worker, run) =>
  worker.say({ type: "done", id: run.id, ok: true, error: null, truncated: false });

/** A first run sent before Python was ready, then a cold start and the run's end: the worker. */
async function firstRunBeforeReady(client) {
  const first = client.run("a", recorder().handlers);
  const worker = FakeWorker.made[0];
  worker.say({ type: "ready", start: "cold" });
  await tick();
  succeed(worker, first);
  return worker;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Wait until `condition()` holds, or fail after `limit` ms. A fixed wait for something the client
 * does after a chain of timers fails on a busy machine: a late event loop fires the test's timer
 * together with the chain's first one, before the chain's next is even set.
 */
async function until(condition, what, limit = 10_000) {
  const began = Date.now();
  while (!condition()) {
    if (Date.now() - began > limit) assert.fail(`not within ${limit} ms: ${what}`);
    await wait(5);
  }
}

test("the worker starts on the first run (or warm), once, as a module worker", () => {
  const client = newClient();
  assert.equal(FakeWorker.made.length, 0);
  client.warm();
  client.warm();
  assert.equal(FakeWorker.made.length, 1);
  assert.match(FakeWorker.made[0].url, /\/assets\/javascripts\/runner\/worker\.js$/);
  assert.equal(FakeWorker.made[0].options.type, "module");
});

test("a run is sent once Python is ready; output, charts and the end reach its handlers", async () => {
  const client = newClient();
  const { calls, handlers } = recorder();
  const run = client.run("print(1)", handlers);
  const worker = FakeWorker.made[0];
  assert.deepEqual(worker.sent, []); // not before "ready"
  worker.say({ type: "ready" });
  await tick();
  assert.deepEqual(worker.sent, [{ type: "run", id: run.id, code: "print(1)", stopUrl: run.stopUrl }]);
  assert.ok(resolveObjectURL(run.stopUrl), "the run's Stop address answers while it runs");
  worker.say({ type: "out", id: run.id, chunks: [["stdout", "1\n"]] });
  worker.say({ type: "chart", id: run.id, svg: "<svg/>", title: "t" });
  succeed(worker, run);
  assert.deepEqual(calls, [
    ["start"],
    ["running"],
    ["out", [["stdout", "1\n"]]],
    ["chart", "<svg/>", "t"],
    ["end", { state: "success", error: null, truncated: false }],
  ]);
  assert.equal(resolveObjectURL(run.stopUrl), undefined, "revoked once the run ended");
});

test("runs wait their turn: the second is sent after the first is done", async () => {
  const client = newClient();
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
  succeed(worker, b);
  assert.equal(second.calls.at(-1)[1].state, "success");
});

/** A client whose worker is ready and running `code` (interruptible or not). */
async function running(code, interruptible) {
  const client = newClient();
  const { calls, handlers } = recorder();
  const run = client.run(code, handlers);
  const worker = FakeWorker.made[0];
  worker.say({ type: "ready", start: "cold" });
  await tick();
  worker.say({ type: "running", id: run.id, interruptible });
  return { client, calls, run, worker };
}

test("Stop interrupts a running run and keeps the worker: the run's Stop address is revoked", async () => {
  const { client, calls, run, worker } = await running("while True: pass", true);
  client.stop(run);
  assert.equal(resolveObjectURL(run.stopUrl), undefined); // the worker's next poll fails: 2 (SIGINT)
  assert.equal(worker.terminated, false);
  assert.equal(calls.at(-1)[0], "running"); // not ended until the worker says so
  worker.say({ type: "done", id: run.id, ok: false, error: null, truncated: false, stoppedAt: 1 });
  assert.deepEqual(calls.at(-1), ["end", { state: "stopped", reason: "stopped", line: 1 }]);
  assert.equal(FakeWorker.made.length, 1);
});

test("a Check sends the solution and check with the code; its end carries the verdict", async () => {
  const client = newClient();
  const { calls, handlers } = recorder();
  const exercise = { solution: "x = 1\n", check: "assert user['x'] == 1\n" };
  const run = client.run("x = 2\n", handlers, exercise);
  const worker = FakeWorker.made[0];
  worker.say({ type: "ready", start: "cold" });
  await tick();
  const sent = worker.sent.find((m) => m.type === "run");
  assert.deepEqual({ code: sent.code, exercise: sent.exercise }, { code: "x = 2\n", exercise });
  const verdict = { status: "failed", message: "x should be 1", line: 1 };
  worker.say({ type: "done", id: run.id, ok: true, verdict });
  assert.deepEqual(calls.at(-1), ["end", { state: "success", error: undefined, truncated: undefined, verdict }]);
});

test("a Check stopped mid-way ends as stopped, without a verdict; the next Check is sent", async () => {
  const { client, calls, run, worker } = await running("while True: pass", true);
  client.stop(run);
  worker.say({ type: "done", id: run.id, ok: false, error: null, truncated: false, stoppedAt: 2 });
  assert.deepEqual(calls.at(-1), ["end", { state: "stopped", reason: "stopped", line: 2 }]);
  const next = client.run("x = 1\n", recorder().handlers, { solution: "x = 1\n", check: "pass\n" });
  await tick();
  assert.equal(worker.sent.filter((m) => m.type === "run").at(-1).id, next.id);
});

test("Stop ends the worker at once where the interrupt cannot work, and starts a fresh one", async () => {
  const { client, calls, run, worker } = await running("while True: pass", false);
  client.stop(run);
  assert.equal(worker.terminated, true);
  assert.equal(FakeWorker.made.length, 2);
  assert.deepEqual(calls.at(-1), ["end", { state: "stopped", reason: "stopped" }]);
  worker.say({ type: "done", id: run.id, ok: true }); // too late: ignored
  assert.equal(calls.filter(([kind]) => kind === "end").length, 1);
});

test("Stop ends the worker when the interrupt is not noticed within the grace period", async () => {
  const { client, calls, run, worker } = await running("sum(range(10**12))", true);
  client.stopGrace = 5;
  client.stop(run);
  assert.equal(worker.terminated, false);
  await until(() => worker.terminated, "the worker is ended");
  assert.equal(FakeWorker.made.length, 2);
  assert.deepEqual(calls.at(-1), ["end", { state: "stopped", reason: "stopped" }]);
});

test("Stop while Python is loading drops the run and lets the worker finish loading", async () => {
  const client = newClient();
  const { calls, handlers } = recorder();
  const run = client.run("print(1)", handlers);
  client.stop(run);
  assert.deepEqual(calls.at(-1), ["end", { state: "stopped", reason: "stopped" }]);
  assert.equal(FakeWorker.made[0].terminated, false);
  FakeWorker.made[0].say({ type: "ready", start: "cold" });
  await tick();
  assert.deepEqual(FakeWorker.made[0].sent, []);
});

test("a waiting run is dropped by Stop without touching the worker", () => {
  const client = newClient();
  client.run("a", recorder().handlers);
  const { calls, handlers } = recorder();
  const waiting = client.run("b", handlers);
  client.stop(waiting);
  assert.equal(FakeWorker.made[0].terminated, false);
  assert.deepEqual(calls, [["end", { state: "stopped", reason: "stopped" }]]);
});

test("a run past the time limit is stopped with the reason 'time'", async () => {
  const client = newClient();
  client.timeLimit = 5;
  client.stopGrace = 5; // the fake worker never notices the interrupt
  const { calls, handlers } = recorder();
  client.run("while True: pass", handlers);
  FakeWorker.made[0].say({ type: "ready" });
  await until(() => calls.at(-1)[0] === "end", "the run ends");
  assert.deepEqual(calls.at(-1), ["end", { state: "stopped", reason: "time" }]);
  assert.equal(FakeWorker.made[0].terminated, true);
});

test("a worker that fails to start ends the run with an error; the next run tries afresh", async () => {
  const client = newClient();
  const { calls, handlers } = recorder();
  client.run("print(1)", handlers);
  FakeWorker.made[0].say({ type: "failed", message: "no WebAssembly" });
  await tick();
  assert.deepEqual(calls.at(-1), ["end", { state: "error", error: "Python could not start: no WebAssembly" }]);
  client.run("print(2)", recorder().handlers);
  assert.equal(FakeWorker.made.length, 2);
});

// How long a test waits to see that something does NOT happen: more than the client's idle
// fallback (200 ms) twice over.
const IDLE = 450;

test("a cold worker no run has touched is asked for the snapshot itself, once the page is idle", async () => {
  const client = newClient();
  client.warm();
  const worker = FakeWorker.made[0];
  worker.say({ type: "ready", start: "cold" });
  await until(() => worker.sent.length > 0, "the worker is asked for a snapshot");
  assert.deepEqual(worker.sent, [{ type: "snapshot" }]);
  await wait(IDLE);
  assert.equal(FakeWorker.made.length, 1, "no helper");
});

test("a run sent before Python was ready: a helper worker makes the snapshot once the run is over", async () => {
  const client = newClient();
  const { handlers } = recorder();
  const run = client.run("print(1)", handlers);
  const worker = FakeWorker.made[0];
  worker.say({ type: "ready", start: "cold" });
  await tick();
  assert.equal(worker.sent[0].type, "run");
  await wait(IDLE);
  assert.equal(FakeWorker.made.length, 1, "no helper while the run is going on");
  succeed(worker, run);
  await until(() => FakeWorker.made.length > 1, "a helper starts");
  assert.equal(FakeWorker.made.length, 2);
  const helper = FakeWorker.made[1];
  assert.deepEqual(helper.sent, [{ type: "snapshot" }]);
  assert.deepEqual(worker.sent.map((m) => m.type), ["run"], "the touched worker is never asked");
  assert.equal(client.worker, worker, "runs still go to the first worker");
  helper.say({ type: "ready", start: "cold" });
  helper.say({ type: "snapshot", saved: true, bytes: 10 });
  assert.ok(helper.terminated, "the helper ends once it has said");
  assert.deepEqual(client.snapshots, [{ type: "snapshot", saved: true, bytes: 10, helper: true }]);
  const again = client.run("print(2)", recorder().handlers);
  await tick();
  succeed(worker, again);
  await wait(IDLE);
  assert.equal(FakeWorker.made.length, 2, "one snapshot is enough");
});

test("the helper waits for runs that keep coming, and ends when a snapshot is already stored", async () => {
  const client = newClient();
  const worker = await firstRunBeforeReady(client);
  const second = client.run("b", recorder().handlers); // before the page is idle again
  await wait(IDLE);
  assert.equal(FakeWorker.made.length, 1, "not while the second run is going on");
  succeed(worker, second);
  await until(() => FakeWorker.made.length > 1, "a helper starts");
  const helper = FakeWorker.made[1];
  assert.ok(helper && !helper.terminated);
  helper.say({ type: "ready", start: "snapshot" }); // another tab stored one meanwhile
  assert.ok(helper.terminated);
  assert.equal(client.helper, null);
});

test("a worker restored from a snapshot is never asked for one, and no helper starts", async () => {
  const client = newClient();
  const run = client.run("a", recorder().handlers);
  const worker = FakeWorker.made[0];
  worker.say({ type: "ready", start: "snapshot" });
  await tick();
  succeed(worker, run);
  await wait(IDLE);
  assert.deepEqual(worker.sent.map((m) => m.type), ["run"]);
  assert.equal(FakeWorker.made.length, 1);
});

test("a run that comes while the worker prepares its snapshot: a helper makes it instead", async () => {
  const client = newClient();
  client.warm();
  const worker = FakeWorker.made[0];
  worker.say({ type: "ready", start: "cold" });
  await until(() => worker.sent.length > 0, "the worker is asked for a snapshot");
  assert.deepEqual(worker.sent, [{ type: "snapshot" }]);
  const run = client.run("print(1)", recorder().handlers);
  await tick();
  worker.say({ type: "snapshot", saved: false, touched: true, error: "a run came first" });
  await wait(IDLE);
  assert.equal(FakeWorker.made.length, 1, "not while the run is going on");
  succeed(worker, run);
  await until(() => FakeWorker.made.length > 1, "a helper starts");
  assert.equal(FakeWorker.made.length, 2);
  const helper = FakeWorker.made[1];
  assert.deepEqual(helper.sent, [{ type: "snapshot" }]);
  helper.say({ type: "snapshot", saved: true, bytes: 10 });
  assert.ok(helper.terminated, "the helper ends once it has said");
});

test("a helper starts only after a quiet spell without runs; a run meanwhile puts it off", async () => {
  const client = newClient();
  client.helperQuiet = 600;
  const worker = await firstRunBeforeReady(client);
  await wait(IDLE); // idle, but not quiet for long enough
  assert.equal(FakeWorker.made.length, 1, "no helper before the quiet spell is over");
  const second = client.run("b", recorder().handlers);
  await tick();
  succeed(worker, second);
  await wait(IDLE);
  assert.equal(FakeWorker.made.length, 1, "the second run started the quiet spell again");
  await until(() => FakeWorker.made.length > 1, "quiet long enough: the helper starts");
  assert.equal(FakeWorker.made.length, 2);
  assert.deepEqual(FakeWorker.made[1].sent, [{ type: "snapshot" }]);
});

test("a run that comes while the helper works ends it; it starts afresh after the run", async () => {
  const client = newClient();
  const worker = await firstRunBeforeReady(client);
  await until(() => FakeWorker.made.length > 1, "a helper starts");
  const helper = FakeWorker.made[1];
  assert.ok(helper && !helper.terminated);
  const second = client.run("b", recorder().handlers);
  assert.ok(helper.terminated, "the run does not share the machine with the helper");
  assert.equal(client.helper, null);
  await tick();
  succeed(worker, second);
  await until(() => FakeWorker.made.length > 2, "a new helper starts");
  const again = FakeWorker.made[2];
  assert.ok(again && !again.terminated, "a new helper once the run is over");
  again.say({ type: "snapshot", saved: true, bytes: 10 });
  assert.ok(again.terminated);
  assert.deepEqual(client.snapshots, [{ type: "snapshot", saved: true, bytes: 10, helper: true }]);
});

test("close ends the worker and any helper at once, and starts none again", async () => {
  const client = newClient();
  const worker = await firstRunBeforeReady(client);
  await until(() => FakeWorker.made.length > 1, "a helper starts");
  const helper = FakeWorker.made[1];
  assert.ok(helper && !helper.terminated);
  client.close();
  assert.ok(worker.terminated, "a page going away leaves no worker loading or running");
  assert.ok(helper.terminated);
  assert.equal(client.worker, null);
  await wait(IDLE);
  assert.equal(client.helper, null, "no helper comes back after close");
  assert.equal(client.worker, null);
});
