// The Velocity Hub's code builders: the dials' values into the box's code, and the hub's own run.

import "./fake-browser.js";
import assert from "node:assert/strict";
import { test } from "node:test";
import { hubCode, settingCode } from "../src/velocity-hub.js";

// The box as the build writes it (coursekit/velocity_hub.py, box_code): one argument a line.
const BOX = `from simulations import compare, show

report = compare(
    rate=5,              # events per second
    batch_interval=300,  # seconds between batch runs
    late_fraction=0.02,  # share of stragglers (30 s late)
)
print(report.table())
show(report.chart())
`;

test("settingCode sets each dial's argument and realigns the comments", () => {
  const code = settingCode(BOX, { rate: 12, batch_interval: 60, late_fraction: 0.1 });
  assert.equal(
    code,
    `from simulations import compare, show

report = compare(
    rate=12,            # events per second
    batch_interval=60,  # seconds between batch runs
    late_fraction=0.1,  # share of stragglers (30 s late)
)
print(report.table())
show(report.chart())
`,
  );
});

test("settingCode aligns the lines it sets and leaves the others alone", () => {
  const code = settingCode(BOX, { rate: 7 });
  assert.match(code, /^ {4}rate=7, {2}# events per second$/m);
  assert.match(code, /^ {4}batch_interval=300, {2}# seconds between batch runs$/m);
  assert.equal(settingCode("print(1)\n", { rate: 7 }), "print(1)\n");
});

test("settingCode of the values already there gives the code back", () => {
  assert.equal(settingCode(BOX, { rate: 5, batch_interval: 300, late_fraction: 0.02 }), BOX);
});

test("hubCode calls compare() with the dials and prints the figures as JSON", () => {
  const code = hubCode({ rate: 5, window: 60 });
  assert.equal(
    code,
    [
      "import json",
      "from simulations import compare, show",
      "report = compare(rate=5, window=60)",
      "print(json.dumps(report.figures()))",
      "show(report.chart())",
      "",
    ].join("\n"),
  );
});
