// Entry point of the runner: mounts every code box of the page, on the first load and again on
// every page of Material's instant navigation, and unmounts the boxes of the page left behind.
// The worker client lives as long as the tab, so Python stays warm from page to page.

import { Box } from "./box.js";
import { client } from "./client.js";
import { Exercise } from "./exercise.js";
import { refreshCourse } from "./learning-loop.js";

const boxes = new Map(); // root element -> Box
const exercises = new Map(); // root element -> Exercise (around one of the boxes)

// Speculative start: Python begins loading when a reader is likely to run a box, so that Run
// finds it ready. Signs: a box scrolled into view, the page idle after it has loaded, a pointer
// over a box or focus in it (box.js). Never while the page itself is still loading (the page's
// own files come first), never on a page without a runnable box, never when the reader asked
// the browser to save data.
const saveData = Boolean(navigator.connection && navigator.connection.saveData);
let pageLoaded = document.readyState === "complete";
const visible = new Set(); // roots of live boxes now on screen

const runnable = () => [...boxes.values()].some((box) => !box.static);

function speculate() {
  if (!pageLoaded || saveData || !runnable()) return;
  client.warm();
}

const observer =
  "IntersectionObserver" in window
    ? new IntersectionObserver(
        (entries) => {
          for (const entry of entries) {
            if (entry.isIntersecting) visible.add(entry.target);
            else visible.delete(entry.target);
          }
          if (visible.size) speculate();
        },
        { threshold: 0.5 },
      )
    : null;

function whenIdle(callback) {
  if ("requestIdleCallback" in window) requestIdleCallback(callback, { timeout: 1500 });
  else setTimeout(callback, 300);
}

function onPageLoaded() {
  pageLoaded = true;
  if (visible.size) speculate();
  else whenIdle(speculate);
}

function refresh() {
  for (const [root, exercise] of exercises) {
    if (!root.isConnected) {
      exercise.unmount();
      exercises.delete(root);
    }
  }
  for (const [root, box] of boxes) {
    if (!root.isConnected) {
      box.unmount();
      observer?.unobserve(root);
      visible.delete(root);
      boxes.delete(root);
    }
  }
  for (const root of document.querySelectorAll(".code-preview")) {
    if (boxes.has(root)) continue;
    const box = new Box(root);
    box.mount();
    boxes.set(root, box);
    if (!box.static) observer?.observe(root);
  }
  for (const root of document.querySelectorAll("[data-exercise]")) {
    const box = boxes.get(root.querySelector(".code-preview"));
    if (exercises.has(root) || !box) continue;
    const exercise = new Exercise(root, box);
    exercise.mount();
    exercises.set(root, exercise);
  }
  refreshCourse(boxes); // XP bar, skill matrix, Velocity Hub
  if (pageLoaded) whenIdle(speculate); // a page reached by instant navigation
}

if (!window.courseRunner) {
  window.courseRunner = { client, boxes, exercises, refresh };
  if (!pageLoaded) addEventListener("load", onPageLoaded, { once: true });
  // Material announces every page (the first one and each instant navigation) on document$.
  // On file:// it may have announced the first page before this script ran: mount it too.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => refresh());
  }
  // An edit typed just before a reload or a closed tab is saved now, not after the usual pause.
  addEventListener("pagehide", (event) => {
    for (const box of boxes.values()) box.flushSave();
    // A page kept in the back-forward cache comes back as it was, worker included.
    if (!event.persisted) client.close();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", refresh);
  else refresh();
  if (pageLoaded) onPageLoaded();
}
