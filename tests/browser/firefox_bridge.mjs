// Debian's firefox-esr driven by puppeteer-core over WebDriver BiDi, for the Python tests
// (other_engines.py). One JSON command a line on stdin, one JSON answer a line on stdout:
//   {"op": "goto", "args": [url]}  ->  {"ok": value} or {"error": "..."}
// Every request a page makes is recorded (page and workers); `requests` hands them over.

import readline from "node:readline";
import puppeteer from "puppeteer-core";

const FIREFOX = process.env.FIREFOX || "/usr/bin/firefox-esr";
const QUIET = {
  // Nothing but the pages under test may use the network.
  "app.update.enabled": false,
  "browser.safebrowsing.malware.enabled": false,
  "browser.safebrowsing.phishing.enabled": false,
  "network.captive-portal-service.enabled": false,
  "network.connectivity-service.enabled": false,
  "network.proxy.type": 0,
};

const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: FIREFOX,
  headless: true,
  protocol: "webDriverBiDi",
  extraPrefsFirefox: QUIET,
});

let context = null;
let page = null;
let requests = [];
let errors = [];

async function fresh() {
  if (context) await context.close();
  context = await browser.createBrowserContext();
  page = await context.newPage();
  page.setDefaultTimeout(120_000);
  requests = [];
  errors = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message || error}`));
}

const ops = {
  version: () => browser.version(),
  fresh,
  goto: (url) => page.goto(url, { waitUntil: "load" }).then(() => null),
  reload: () => page.reload({ waitUntil: "load" }).then(() => null),
  url: () => page.url(),
  // `source` is a function's source; its result (awaited) must be JSON.
  js: (source, args) => page.evaluate(`(${source})(...${JSON.stringify(args)})`),
  click: (selector) => page.click(selector).then(() => null),
  press: (key) => page.keyboard.press(key).then(() => null),
  requests: () => requests.splice(0),
  errors: () => errors.splice(0),
};

await fresh();
const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const { op, args = [] } = JSON.parse(line);
  if (op === "quit") break;
  let answer;
  try {
    answer = { ok: (await ops[op](...args)) ?? null };
  } catch (error) {
    answer = { error: String((error && error.message) || error) };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
await browser.close();
