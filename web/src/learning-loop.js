// The course's learning loop on top of the boxes: progress (XP), the XP bar, the skill matrix and
// the Velocity Hub. index.js calls `refreshCourse` on every page, after mounting the boxes.

import { refreshHub } from "./velocity-hub.js";
import { watchProgress } from "./progress.js";
import { refreshSkills } from "./skills.js";
import { refreshBar } from "./xp-bar.js";

let started = false;

export function refreshCourse(boxes) {
  if (!started) {
    started = true;
    watchProgress();
    addEventListener("course-progress:change", () => {
      refreshBar();
      refreshSkills();
    });
  }
  refreshBar();
  refreshSkills();
  refreshHub(boxes);
}
