// Memory snapshots of the Python interpreter, kept in the reader's browser (Cache Storage).
//
// A cold start instantiates Pyodide, unpacks `simulations` and imports it: seconds. Pyodide 314
// can copy its whole heap after start-up (`makeMemorySnapshot`, with `_makeSnapshot` given to
// `loadPyodide`) and start from such a copy (`_loadSnapshot`), which skips most of that work.
// These options are private and experimental (pyodide issues #4652, #4720, #6254, #6418), so the
// Pyodide version is pinned and everything here may fail: every caller falls back to a cold start.
//
// The snapshot is made in the reader's browser, never shipped with the site (it would add about
// 6.5 MB to a first visit): after a cold start, when the interpreter is ready and no run has
// touched it yet (a box could change a module, and that change must not outlive the tab).
// It is stored gzip-compressed (a sixth of the size, and the gzip checksum catches a damaged
// copy) under one address, with the key it was made for: the exact Pyodide version and a digest
// of the `simulations` archive. A snapshot for any other key is stale and is deleted.

const CACHE = "course-python";
const KEY_HEADER = "X-Snapshot-Key";

/**
 * The snapshot's address in the cache (never requested): next to the worker, so two courses on
 * one origin keep one snapshot each. Only a worker served over http(s) has one. From a folder
 * (file://) the worker runs from a Blob URL, which no other page can name and no relative address
 * can be made from; Chromium still gives that worker a Cache Storage, so without this rule it
 * would make and compress a snapshot (31.5 MB, seconds of work) that it then cannot store.
 */
function entry() {
  const { protocol, href } = self.location;
  return protocol === "http:" || protocol === "https:" ? new URL("python-snapshot.gz", href).href : null;
}

/** Cache Storage, where this worker can keep a snapshot (not on file://, not in some private modes). */
async function openCache() {
  if (!entry()) return null;
  try {
    return self.caches ? await self.caches.open(CACHE) : null;
  } catch {
    return null;
  }
}

/** Whether this worker can keep a snapshot at all: where it cannot, making one is wasted work. */
export async function canKeepSnapshots() {
  return (await openCache()) !== null;
}

/** The key a snapshot is valid for: Pyodide's version and the archive's SHA-256. */
export async function snapshotKey(version, archive) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", archive));
  const hex = [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  return `pyodide ${version}; simulations ${hex}`;
}

/** The snapshot's bytes if one is stored for exactly `key`, else null (a stale one is deleted). */
export async function readSnapshot(key) {
  const cache = await openCache();
  if (!cache) return null;
  try {
    const response = await cache.match(entry());
    if (!response) return null;
    if (response.headers.get(KEY_HEADER) !== key) {
      await cache.delete(entry());
      return null;
    }
    const stream = response.body.pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    await forgetSnapshot(); // damaged: gzip's checksum or length did not match
    return null;
  }
}

/** Compress and store `bytes` as the snapshot for `key`; errors are ignored (it is a cache). */
export async function saveSnapshot(key, bytes) {
  const cache = await openCache();
  if (!cache || typeof CompressionStream !== "function") return false;
  try {
    const gz = await gzipSlowly(bytes);
    const headers = { "Content-Type": "application/gzip", [KEY_HEADER]: key };
    await cache.put(entry(), new Response(gz, { headers }));
    return true;
  } catch {
    return false;
  }
}

const CHUNK = 256 * 1024;

/**
 * Gzip `bytes` a quarter of a megabyte at a time, yielding to the worker's event loop between
 * pieces: compressing 30 MB in one go blocks the worker for seconds, and a run that arrives
 * meanwhile must not wait for it.
 */
async function gzipSlowly(bytes) {
  const gzip = new CompressionStream("gzip");
  const writer = gzip.writable.getWriter();
  const done = new Response(gzip.readable).arrayBuffer();
  for (let at = 0; at < bytes.length; at += CHUNK) {
    await writer.write(bytes.subarray(at, at + CHUNK));
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  await writer.close();
  return done;
}

/** Delete the stored snapshot (after it failed to restore). */
export async function forgetSnapshot() {
  const cache = await openCache();
  try {
    await cache?.delete(entry());
  } catch {
    // nothing stored, or storage refused: either way there is no snapshot
  }
}
