// The diagram slider's logic: which moments there are, what has happened by each, the watermark's
// step drawn part way, and the table's rows, on the watermark walkthrough of the windows lesson
// (tumbling windows of 10 s, bound 2 s, early panes every 2 s, allowed lateness 5 s).

import "./fake-browser.js";
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  fmt,
  holdEnd,
  inOrder,
  isDiagram,
  moments,
  stateAt,
  summary,
  tableRows,
  yOf,
} from "../src/diagram.js";

const ev = (at, eventTime, value, fate = "on time", window) => ({
  kind: "event",
  at,
  eventTime,
  value: String(value),
  fate,
  window,
});
const wm = (at, watermark) => ({ kind: "watermark", at, watermark: String(watermark) });
const pane = (at, window, timing, value, index, count) => ({
  kind: "pane",
  at,
  window,
  timing,
  value: String(value),
  index,
  count,
});

// As the SVG lists them: watermark steps, then panes, then events (document order).
const ITEMS = [
  wm(1.5, -1),
  wm(5, 2),
  wm(11.2, 9),
  wm(13.1, 11),
  wm(21.3, 19),
  wm(21.3, "+inf"),
  pane(2, "[0, 10)", "EARLY", 1, 0, 1),
  pane(6, "[0, 10)", "EARLY", 3, 1, 2),
  pane(12, "[10, 20)", "EARLY", 4, 0, 1),
  pane(13.1, "[0, 10)", "ON_TIME", 6, 2, 3),
  pane(16, "[0, 10)", "LATE", 12, 3, 4),
  pane(21.3, "[20, 30)", "ON_TIME", 7, 0, 1),
  ev(1.5, 1, 1),
  ev(5, 4, 2),
  ev(12.5, 9, 3),
  ev(11.2, 11, 4),
  ev(13.1, 13, 5),
  ev(16, 8, 6, "late", "[0, 10)"),
  ev(21.3, 21, 7),
];

test("moments are the distinct processing times, in order", () => {
  assert.deepEqual(moments(ITEMS), [1.5, 2, 5, 6, 11.2, 12, 12.5, 13.1, 16, 21.3]);
});

test("at a moment, arrivals come first, then the watermark, then the panes it fires", () => {
  const at131 = inOrder(ITEMS).filter((item) => item.at === 13.1);
  assert.deepEqual(
    at131.map((item) => item.kind),
    ["event", "watermark", "pane"],
  );
});

test("stateAt shows only what had happened by then", () => {
  const early = stateAt(ITEMS, 12);
  assert.equal(early.arrived, 3); // events 1, 2 and 4; event 3 arrives at 12.5
  assert.equal(early.watermark, "9");
  assert.equal(early.fired, 3);
  assert.equal(early.last.window, "[10, 20)");
  assert.deepEqual(
    ITEMS.filter((_, i) => early.visible[i] && ITEMS[i].kind === "pane").map((p) => p.value),
    ["1", "3", "4"],
  );
  const later = stateAt(ITEMS, 13.1);
  assert.equal(later.watermark, "11");
  assert.equal(later.last.timing, "ON_TIME");
  assert.equal(later.last.value, "6");
  const end = stateAt(ITEMS, 21.3);
  assert.equal(end.arrived, 7);
  assert.equal(end.watermark, "+inf");
  assert.equal(end.fired, end.panes);
  assert.ok(end.visible.every(Boolean));
});

test("before the first moment nothing shows and the watermark is not set", () => {
  const state = stateAt(ITEMS, 0);
  assert.equal(state.arrived, 0);
  assert.equal(state.watermark, null);
  assert.ok(state.visible.every((v) => !v));
  assert.match(summary(state), /watermark not set yet, 0 of 6 panes fired$/);
});

test("the summary names the time, the counts, the watermark and the last pane", () => {
  assert.equal(
    summary(stateAt(ITEMS, 16)),
    "processing time 16 s: 6 of 7 events arrived, watermark at 11, 5 of 6 panes fired " +
      "(last: LATE [0, 10) = 12)",
  );
});

test("a watermark step holds from its move to the next one, part way in between", () => {
  // y grows downwards: the step starts at y1=300 (t=5) and would reach y2=200 (t=11.2)
  assert.equal(holdEnd(300, 200, 5, 11.2, 4), 300);
  assert.equal(holdEnd(300, 200, 5, 11.2, 5), 300);
  assert.equal(holdEnd(300, 200, 5, 11.2, 8.1), 250);
  assert.equal(holdEnd(300, 200, 5, 11.2, 11.2), 200);
  assert.equal(holdEnd(300, 200, 5, 11.2, 20), 200);
  assert.equal(holdEnd(300, 200, 5, 5, 5), 200); // a step that lasts no time
});

test("yOf maps processing time to the diagram's pixels", () => {
  const scale = { t0: 0, t1: 20, y0: 400, y1: 70 };
  assert.equal(yOf(scale, 0), 400);
  assert.equal(yOf(scale, 20), 70);
  assert.equal(yOf(scale, 10), 235);
});

test("the table lists every fact once, in processing-time order", () => {
  const rows = tableRows(ITEMS);
  assert.equal(rows.length, ITEMS.length);
  assert.deepEqual(rows[0], ["1.5", "event arrives", "1", "1", "on time"]);
  assert.deepEqual(rows[1], ["1.5", "watermark moves", "-1", "", ""]);
  assert.deepEqual(rows[2], ["2", "EARLY pane fires", "[0, 10)", "1", "pane 0, 1 event"]);
  const late = rows.find((row) => row[1] === "event arrives" && row[3] === "6");
  assert.deepEqual(late, ["16", "event arrives", "8", "6", "late for [0, 10)"]);
  const times = rows.map((row) => Number(row[0]));
  assert.deepEqual(
    times,
    [...times].sort((a, b) => a - b),
  );
});

test("fmt prints times as the diagram does", () => {
  assert.equal(fmt(13), "13");
  assert.equal(fmt(13.1), "13.1");
  assert.equal(fmt(1 / 3), "0.3333");
});

test("isDiagram tells a diagram from another chart", () => {
  assert.ok(isDiagram('<svg xmlns="http://www.w3.org/2000/svg" class="sim-diagram" data-diagram="1">'));
  assert.ok(!isDiagram('<svg xmlns="http://www.w3.org/2000/svg" role="img">'));
  assert.ok(!isDiagram('<div data-diagram="1"><svg>'));
});
