// Progress: XP and skill statuses from box runs and mkdocs-quiz's saved answers; export, import.

import { SITE, goTo } from "./fake-browser.js";
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import {
  XP,
  exportProgress,
  importProgress,
  lessonAt,
  exerciseState,
  recordRun,
  resetProgress,
  saveExerciseState,
  summary,
} from "../src/progress.js";

const ROOT = new URL(SITE).pathname; // "/course/"

beforeEach(() => {
  localStorage.clear();
  goTo("lessons/batch/");
  window.courseData = {
    lessons: [
      { page: "index.md", url: "", title: "Intro", skills: ["a"], quizzes: ["quiz-0"], boxes: ["intro"] },
      { page: "lessons/batch.md", url: "lessons/batch/", title: "Batch", skills: ["b"], quizzes: ["quiz-0", "quiz-1"], boxes: ["b1", "b2"], exercises: ["e1", "e2"] },
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

test("an exercise's state is kept per lesson; a first solve gives XP once and unlocks skills", () => {
  assert.deepEqual(exerciseState("e1"), { attempts: 0, solved: false, hints: 0, shown: false });
  saveExerciseState("e1", { attempts: 2, solved: false, hints: 1, shown: false });
  assert.equal(summary().total, 0);
  assert.equal(summary().skills.b.status, "locked");
  saveExerciseState("e1", { attempts: 2, solved: true, hints: 1, shown: false });
  saveExerciseState("e1", { attempts: 3, solved: true, hints: 1, shown: false });
  saveExerciseState("not-an-exercise-of-this-lesson", { solved: true });
  const state = summary();
  assert.equal(state.total, XP.exercise);
  assert.equal(state.lessons["lessons/batch.md"].solved, 1);
  assert.equal(state.skills.b.status, "unlocked");
  goTo("lessons/stream/");
  assert.equal(exerciseState("e1").attempts, 0, "another lesson's exercise of the same id is apart");
});

test("box runs and exercise states do not overwrite each other in the one record", () => {
  saveExerciseState("e2", { attempts: 1, solved: false, hints: 0, shown: false });
  recordRun("b1");
  saveExerciseState("e1", { attempts: 0, solved: true, hints: 0, shown: false });
  assert.equal(summary().lessons["lessons/batch.md"].boxes, 1);
  assert.equal(exerciseState("e2").attempts, 1);
});

test("export and import carry exercise states; an import merges them and ignores unknown ids", () => {
  saveExerciseState("e1", { attempts: 4, solved: true, hints: 2, shown: true });
  const record = JSON.parse(JSON.stringify(exportProgress()));
  assert.deepEqual(record.exercises, { "lessons/batch.md": { e1: { attempts: 4, solved: true, hints: 2, shown: true } } });
  resetProgress();
  assert.equal(exerciseState("e1").solved, false);
  saveExerciseState("e2", { attempts: 1, solved: false, hints: 0, shown: false });
  record.exercises["lessons/batch.md"].unknown = { solved: true };
  record.exercises["lessons/nowhere.md"] = { e1: { solved: true } };
  importProgress(record);
  assert.deepEqual(exerciseState("e1"), { attempts: 4, solved: true, hints: 2, shown: true });
  assert.equal(exerciseState("e2").attempts, 1, "an exercise only this browser has stays");
  assert.equal(summary().total, XP.exercise);
  assert.equal(JSON.stringify(exportProgress()).includes("unknown"), false);
});

test("import refuses a file that is not a progress file of this course", () => {
  assert.throws(() => importProgress({ format: "something-else", version: 1 }), /not a progress file/);
});
