// The Python worker over http(s): a module worker that imports the vendored Pyodide and fetches
// the `simulations` archive from the site. The interpreter and the runs: worker-core.js.

import { serve } from "./worker-core.js";

const PYODIDE_URL = new URL("../vendor/pyodide/", import.meta.url).href;
const ARCHIVE_URL = new URL("simulations.zip", import.meta.url).href;

serve(async () => {
  const archive = fetch(ARCHIVE_URL).then((response) => {
    if (!response.ok) throw new Error(`simulations.zip: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  const { loadPyodide } = await import(`${PYODIDE_URL}pyodide.mjs`);
  return { loadPyodide, options: { indexURL: PYODIDE_URL }, archive };
});
