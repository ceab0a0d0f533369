// The worker client on a page opened from a folder (file://), with file-runtime.js faked: a worker
// that fails to start is tried once more with a fresh one before the box is told that live Python
// cannot run here (its own file: which browser rule was found is kept for the page).

import { FakeWorker } from "./fake-browser.js";
import assert from "node:assert/strict";
import { test } from "node:test";
import { Client, runtimeAvailable } from "../src/client.js";

globalThis.location = new URL("file:///home/reader/course/site/lessons/batch.html");
// loadScript's <script>: it "loads" on the next turn; file-runtime.js starts fake workers.
globalThis.document.createElement = () => ({});
globalThis.document.head = { appendChild: (script) => setTimeout(() => script.onload(), 0) };
window.CourseFileRuntime = { startWorker: async () => new FakeWorker("blob:null/python", {}) };

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

/** A run whose end is recorded. */
function running(client) {
  const ends = [];
  client.run("print(1)", { onEnd: (outcome) => ends.push(outcome) });
  return ends;
}

/** The browser refuses the latest worker as it did under load: an error event, no message. */
function refuse() {
  FakeWorker.made.at(-1).onerror({ preventDefault() {} });
}

test("a worker refused once: a fresh one is started and the run goes to it", async () => {
  FakeWorker.made.length = 0;
  const client = new Client();
  const ends = running(client);
  await settle();
  refuse();
  await settle();
  assert.equal(FakeWorker.made.length, 2, "a second worker");
  assert.ok(FakeWorker.made[0].terminated);
  assert.deepEqual(ends, [], "the run waits for it");
  const worker = FakeWorker.made[1];
  worker.say({ type: "ready", start: "cold" });
  await settle();
  const sent = worker.sent.find((m) => m.type === "run");
  worker.say({ type: "done", id: sent.id, ok: true, error: null, truncated: false });
  assert.deepEqual(ends, [{ state: "success", error: null, truncated: false }]);
  assert.ok(runtimeAvailable());
  client.close();
});

test("refused twice in a row: this browser's rule; the run and later ones say so", async () => {
  FakeWorker.made.length = 0;
  const client = new Client();
  const ends = running(client);
  await settle();
  refuse();
  await settle();
  refuse();
  await settle();
  assert.equal(FakeWorker.made.length, 2, "no third try");
  assert.equal(ends.length, 1);
  assert.equal(ends[0].state, "unavailable");
  assert.match(ends[0].error, /could not start in this browser from a folder on disk \(the browser refused/);
  assert.equal(runtimeAvailable(), false, "later Runs say so at once");
});
