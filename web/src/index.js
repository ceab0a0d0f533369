// Entry point of the runner: mounts every code box of the page, on the first load and again on
// every page of Material's instant navigation, and unmounts the boxes of the page left behind.
// The worker client lives as long as the tab, so Python stays warm from page to page.

import { Box } from "./box.js";
import { client } from "./client.js";
import { refreshCourse } from "./learning-loop.js";

const boxes = new Map(); // root element -> Box
const visible = new Set(); // roots of live boxes now on screen
let readerScrolled = false;

// Scrolling a box into view counts as interest, but only once the reader has scrolled: a page
// that is merely opened downloads nothing large.
const observer =
  "IntersectionObserver" in window
    ? new IntersectionObserver(
        (entries) => {
          for (const entry of entries) {
            if (entry.isIntersecting) visible.add(entry.target);
            else visible.delete(entry.target);
          }
          prefetchIfScrolled();
        },
        { threshold: 0.5 },
      )
    : null;

function prefetchIfScrolled() {
  if (!readerScrolled || !visible.size) return;
  for (const root of visible) boxes.get(root)?.interest();
}

function onReaderScroll(event) {
  if (event.type === "keydown" && !["PageDown", "ArrowDown", " ", "End"].includes(event.key)) return;
  readerScrolled = true;
  for (const type of ["wheel", "touchmove", "keydown"]) removeEventListener(type, onReaderScroll);
  prefetchIfScrolled();
}

function refresh() {
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
  refreshCourse(boxes); // XP bar, skill matrix, Velocity Hub
}

if (!window.courseRunner) {
  window.courseRunner = { client, boxes, refresh };
  for (const type of ["wheel", "touchmove", "keydown"]) {
    addEventListener(type, onReaderScroll, { passive: true });
  }
  // Material announces every page (the first one and each instant navigation) on document$.
  // On file:// it may have announced the first page before this script ran: mount it too.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => refresh());
  }
  // An edit typed just before a reload or a closed tab is saved now, not after the usual pause.
  addEventListener("pagehide", () => {
    for (const box of boxes.values()) box.flushSave();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", refresh);
  else refresh();
}
