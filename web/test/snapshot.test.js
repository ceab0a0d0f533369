// The interpreter's snapshot in Cache Storage (snapshot.js), with a Cache Storage kept in memory:
// stored and read back next to the worker's address over http; never made from a folder, where
// the worker runs from a Blob URL and no snapshot could be kept.

import "./fake-browser.js";
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { canKeepSnapshots, readSnapshot, saveSnapshot } from "../src/snapshot.js";

/** Cache Storage in memory: records which caches were opened and what each holds. */
class MemoryCaches {
  opened = [];
  stored = new Map(); // url -> Response
  async open(name) {
    this.opened.push(name);
    const stored = this.stored;
    return {
      async match(url) {
        return stored.get(url)?.clone();
      },
      async put(url, response) {
        stored.set(url, response);
      },
      async delete(url) {
        return stored.delete(url);
      },
    };
  }
}

const HTTP_WORKER = "http://127.0.0.1:8000/course/assets/javascripts/runner/worker.js";
const FILE_WORKER = "blob:null/1b0e6a7c-5f1e-4d5e-9a0e-2c1f3a4b5c6d"; // from a page on file://

/** Be the worker at `address`, with an empty Cache Storage. */
function worker(address) {
  const caches = new MemoryCaches();
  globalThis.self = { location: new URL(address), caches };
  return caches;
}

afterEach(() => {
  delete globalThis.self;
});

test("over http a snapshot is stored next to the worker and read back for its key only", async () => {
  const caches = worker(HTTP_WORKER);
  assert.equal(await canKeepSnapshots(), true);
  const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
  assert.equal(await saveSnapshot("pyodide 1; simulations aa", bytes), true);
  assert.deepEqual([...caches.stored.keys()], [new URL("python-snapshot.gz", HTTP_WORKER).href]);
  assert.deepEqual(await readSnapshot("pyodide 1; simulations aa"), bytes);
  assert.equal(await readSnapshot("pyodide 1; simulations bb"), null, "another key is stale");
  assert.equal(caches.stored.size, 0, "and a stale snapshot is deleted");
});

test("from a folder (a worker at a Blob URL) no snapshot can be kept, so none is made or read", async () => {
  const caches = worker(FILE_WORKER);
  assert.equal(await canKeepSnapshots(), false);
  assert.equal(await saveSnapshot("pyodide 1; simulations aa", new Uint8Array(10)), false);
  assert.equal(await readSnapshot("pyodide 1; simulations aa"), null);
  assert.deepEqual(caches.opened, [], "Cache Storage is not even opened");
});
