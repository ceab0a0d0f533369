// Progress: XP and skill statuses from box runs and mkdocs-quiz's saved answers; export, import.

import { SITE, goTo } from "./fake-browser.js";
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import {
  XP,
  exportProgress,
  importProgress,
  lessonAt,
  recordRun,
  resetProgress,
  summary,
} from "../src/progress.js";

const ROOT = new URL(SITE).pathname; // "/course/"

beforeEach(() => {
  localStorage.clear();
  goTo("lessons/batch/");
  window.courseData = {
    lessons: [
      { page: "index.md", url: "", title: "Intro", skills: ["a"], quizzes: ["quiz-0"], boxes: ["intro"] },
      { page: "lessons/batch.md", url: "lessons/batch/", title: "Batch", skills: ["b"], quizzes: ["quiz-0", "quiz-1"], boxes: ["b1", "b2"] },
      { page: "lessons/stream.md", url: "lessons/stream/", title: "Stream", skills: ["c"], quizzes: [], boxes: [] },
    ],
    skills: [
      { name: "a", label: "A", requires: [], lesson: "index.md" },
      { name: "b", label: "B", requires: ["a"], lesson: "lessons/batch.md" },
      { name: "c", label: "C", requires: ["b"], lesson: "lessons/stream.md" },
    ],
    statuses: ["locked", "available", "unlocked"],
  };
});

const answers = (page, value) => localStorage.setItem(`quiz_progress_${ROOT}${page}`, JSON.stringify(value));

test("with nothing done, XP is 0 and only skills without prerequisites are available", () => {
  const state = summary();
  assert.equal(state.total, 0);
  assert.deepEqual(
    Object.fromEntries(Object.entries(state.skills).map(([name, s]) => [name, s.status])),
    { a: "available", b: "locked", c: "locked" },
  );
});

test("a lesson's box run counts once and unlocks its skills", () => {
  recordRun("b1");
  recordRun("b1");
  recordRun("not-a-box-of-this-lesson");
  const state = summary();
  assert.equal(state.total, XP.box);
  assert.equal(state.lessons["lessons/batch.md"].boxes, 1);
  assert.equal(state.skills.b.status, "unlocked");
  assert.equal(state.skills.c.status, "available");
});

test("answers: 10 XP each correct one, 50 for a finished lesson, passed at half correct", () => {
  answers("lessons/batch/index.html", {
    "quiz-0": { answered: true, correct: true, selectedValues: ["1"] },
    "quiz-1": { answered: true, correct: false, selectedValues: ["0"] },
  });
  const lesson = summary().lessons["lessons/batch.md"];
  assert.deepEqual(
    { xp: lesson.xp, finished: lesson.finished, passed: lesson.passed },
    { xp: XP.quiz + XP.lesson, finished: true, passed: true },
  );
});

test("the home page's answers count under / and /index.html alike, once", () => {
  answers("", { "quiz-0": { answered: true, correct: true, selectedValues: [] } });
  answers("index.html", { "quiz-0": { answered: true, correct: true, selectedValues: [] } });
  assert.equal(summary().lessons["index.md"].xp, XP.quiz + XP.lesson);
});

test("lessonAt finds the lesson of an address under the site root only", () => {
  assert.equal(lessonAt(`${ROOT}lessons/batch/`), "lessons/batch.md");
  assert.equal(lessonAt(`${ROOT}lessons/batch/index.html`), "lessons/batch.md");
  assert.equal(lessonAt(`${ROOT}`), "index.md");
  assert.equal(lessonAt("/elsewhere/lessons/batch/"), null);
});

test("export then import into an empty browser gives the same progress", () => {
  recordRun("b2");
  answers("lessons/batch/index.html", { "quiz-1": { answered: true, correct: true, selectedValues: ["2"] } });
  const before = summary();
  const record = JSON.parse(JSON.stringify(exportProgress()));
  resetProgress();
  assert.equal(summary().total, 0);
  importProgress(record);
  assert.deepEqual(summary(), before);
});

test("import refuses a file that is not a progress file of this course", () => {
  assert.throws(() => importProgress({ format: "something-else", version: 1 }), /not a progress file/);
});
