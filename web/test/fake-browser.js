// The few browser globals the runner's pure parts touch, for Node's test runner: an address, a
// localStorage, window events and a Worker that the test drives by hand. Import this module
// before importing any module of ../src/.

export const SITE = "http://127.0.0.1:8000/course/";

class MemoryStorage {
  #items = new Map();
  get length() {
    return this.#items.size;
  }
  key(i) {
    return [...this.#items.keys()][i] ?? null;
  }
  getItem(key) {
    return this.#items.has(key) ? this.#items.get(key) : null;
  }
  setItem(key, value) {
    this.#items.set(key, String(value));
  }
  removeItem(key) {
    this.#items.delete(key);
  }
  clear() {
    this.#items.clear();
  }
}

/** A Worker the test answers for: it records what it is sent and whether it was terminated. */
export class FakeWorker {
  static made = [];
  constructor(url, options) {
    this.url = String(url);
    this.options = options;
    this.sent = [];
    this.terminated = false;
    this.onmessage = null;
    this.onerror = null;
    FakeWorker.made.push(this);
  }
  postMessage(message) {
    this.sent.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  /** The worker says something to the page. */
  say(data) {
    this.onmessage?.({ data });
  }
}

const events = new EventTarget();
globalThis.window = globalThis;
globalThis.addEventListener = events.addEventListener.bind(events);
globalThis.removeEventListener = events.removeEventListener.bind(events);
globalThis.dispatchEvent = events.dispatchEvent.bind(events);
globalThis.localStorage = new MemoryStorage();
globalThis.location = new URL(`${SITE}lessons/batch/`);
globalThis.document = {
  currentScript: { src: `${SITE}assets/javascripts/runner/runner.js` },
  addEventListener() {},
};
globalThis.Worker = FakeWorker;

/** Show the page at `path` (relative to the site root). */
export function goTo(path) {
  globalThis.location = new URL(path, SITE);
}
