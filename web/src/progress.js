// The reader's progress: XP and unlocked skills, worked out from what they have done.
//
// Two records, both in localStorage, no server:
//   - quiz answers: mkdocs-quiz's own, `quiz_progress_<pathname>` = {quizId: {answered, correct,
//     selectedValues}} per page (read here, never duplicated);
//   - ours, `course-progress:v1:<site root path>` (the root in the key keeps copies apart on
//     file://, one store for all) = {boxes: {<lesson page>: [box ids]}, exercises: {<lesson
//     page>: {<exercise id>: {attempts, solved, hints, shown}}}}: successful box runs, recorded
//     from the `code-preview:success` event a box dispatches, and each exercise's state
//     (exercise-state.js), saved by exercise.js.
// Everything else (XP, finished lessons, skill statuses) is computed from those two and the
// course data (window.courseData, written by coursekit/course_data.py), so every item
// counts once however often it is repeated: an exercise's XP comes from its `solved` flag.
//
// Listeners get `course-progress:change` on window after any change.

import { rootPath } from "./dom.js";
import { cleanState, mergeStates } from "./exercise-state.js";

const QUIZ_PREFIX = "quiz_progress_";
export const XP = { quiz: 10, box: 20, exercise: 30, lesson: 50 };
export const EXPORT_FORMAT = "batch-vs-streaming-progress";

export function courseData() {
  const data = window.courseData;
  return data && Array.isArray(data.lessons) && Array.isArray(data.skills) ? data : null;
}

const storeKey = () => `course-progress:v1:${rootPath()}`;

const withIndex = (url) => (url === "" || url.endsWith("/") ? `${url}index.html` : url);

/** The lesson (its `page`, e.g. "lessons/batch.md") shown at `pathname`, or null. */
export function lessonAt(pathname = location.pathname) {
  const data = courseData();
  const root = rootPath();
  if (!data || !pathname.startsWith(root)) return null;
  const here = withIndex(pathname.slice(root.length));
  const lesson = data.lessons.find((l) => withIndex(l.url) === here);
  return lesson ? lesson.page : null;
}

/** Every pathname mkdocs-quiz may have keyed a lesson's answers under ("/" and "/index.html"). */
function quizPaths(lesson) {
  const root = rootPath();
  const full = root + withIndex(lesson.url);
  const paths = [full];
  if (full.endsWith("/index.html")) paths.push(full.slice(0, -"index.html".length));
  return paths;
}

function readJSON(key) {
  try {
    const value = JSON.parse(localStorage.getItem(key));
    return value && typeof value === "object" && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

function writeJSON(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

/** A lesson's quiz answers, from mkdocs-quiz's saved state under each of its pathnames. */
function quizAnswers(lesson) {
  const answers = {};
  for (const path of quizPaths(lesson)) {
    const saved = readJSON(QUIZ_PREFIX + path) || {};
    for (const [id, state] of Object.entries(saved)) {
      if (state && state.answered && !(answers[id] && answers[id].correct)) answers[id] = state;
    }
  }
  return answers;
}

const isObject = (value) => Boolean(value) && typeof value === "object" && !Array.isArray(value);

/** Our record: {boxes, exercises}, each an object keyed by page (empty when nothing is saved). */
function readStore() {
  const saved = readJSON(storeKey()) || {};
  return {
    boxes: isObject(saved.boxes) ? saved.boxes : {},
    exercises: isObject(saved.exercises) ? saved.exercises : {},
  };
}

/** Record a successful run of box `boxId` on the current page (if it is a lesson's box). */
export function recordRun(boxId) {
  const page = lessonAt();
  const lesson = page && courseData().lessons.find((l) => l.page === page);
  if (!lesson || !lesson.boxes.includes(boxId)) return;
  const store = readStore();
  const done = store.boxes[page] || [];
  if (done.includes(boxId)) return;
  store.boxes[page] = [...done, boxId];
  writeJSON(storeKey(), store);
  changed();
}

/** Where the current page's exercises are kept: its lesson page, else its path in the site. */
function exercisePage() {
  return lessonAt() || location.pathname.slice(rootPath().length);
}

/** The saved state of exercise `id` of the current page (exercise-state.js), fresh if none. */
export function exerciseState(id) {
  return cleanState(readStore().exercises[exercisePage()]?.[id]);
}

/** Save the state of exercise `id` of the current page; XP and skills follow from it. */
export function saveExerciseState(id, state) {
  const store = readStore();
  const page = exercisePage();
  const saved = isObject(store.exercises[page]) ? store.exercises[page] : {};
  store.exercises[page] = { ...saved, [id]: cleanState(state) };
  writeJSON(storeKey(), store);
  changed();
}

/**
 * Where the reader stands: per lesson {xp, correct, answered, quizzes, boxes, solved, finished,
 * passed}, per skill {xp, status}, and the total. A lesson is finished when all its quiz
 * questions are answered, passed when finished with at least half of them correct; its skills
 * unlock when it is passed, one of its boxes has run successfully or one of its exercises is
 * solved.
 */
export function summary() {
  const data = courseData();
  if (!data) return null;
  const { boxes: runs, exercises: tried } = readStore();
  const lessons = {};
  let total = 0;
  for (const lesson of data.lessons) {
    const answers = quizAnswers(lesson);
    const quizzes = lesson.quizzes || [];
    const answered = quizzes.filter((id) => answers[id]).length;
    const correct = quizzes.filter((id) => answers[id] && answers[id].correct).length;
    const boxes = (runs[lesson.page] || []).filter((id) => (lesson.boxes || []).includes(id)).length;
    const states = isObject(tried[lesson.page]) ? tried[lesson.page] : {};
    const solved = (lesson.exercises || []).filter((id) => cleanState(states[id]).solved).length;
    const finished = quizzes.length > 0 && answered === quizzes.length;
    const passed = finished && correct * 2 >= quizzes.length;
    const xp = correct * XP.quiz + boxes * XP.box + solved * XP.exercise + (finished ? XP.lesson : 0);
    lessons[lesson.page] = { xp, correct, answered, quizzes: quizzes.length, boxes, solved, finished, passed };
    lessons[lesson.page].unlocks = passed || boxes > 0 || solved > 0;
    total += xp;
  }
  const skills = {};
  const unlocked = (skill) => lessons[skill.lesson]?.unlocks;
  for (const skill of data.skills) {
    let status = "locked";
    if (unlocked(skill)) status = "unlocked";
    else if (skill.requires.every((name) => unlocked(data.skills.find((s) => s.name === name) || {}))) {
      status = "available";
    }
    skills[skill.name] = { xp: lessons[skill.lesson]?.xp || 0, status };
  }
  return { total, lessons, skills };
}

function changed() {
  window.dispatchEvent(new CustomEvent("course-progress:change"));
}

// ----- export, import, reset ------------------------------------------------------------------

/** Everything the reader has done, keyed by lesson page (not by address, which differs). */
export function exportProgress() {
  const data = courseData();
  const quizzes = {};
  for (const lesson of data ? data.lessons : []) {
    const answers = quizAnswers(lesson);
    if (Object.keys(answers).length) quizzes[lesson.page] = answers;
  }
  const { boxes, exercises } = readStore();
  return { format: EXPORT_FORMAT, version: 1, boxes, exercises, quizzes };
}

/** Merge an exported record into this browser's. Throws an Error with a reader's message. */
export function importProgress(record) {
  const data = courseData();
  if (!data || !record || record.format !== EXPORT_FORMAT || record.version !== 1) {
    throw new Error("This file is not a progress file of this course.");
  }
  const store = readStore();
  const boxes = store.boxes;
  for (const lesson of data.lessons) {
    const ran = record.boxes?.[lesson.page];
    if (Array.isArray(ran)) {
      const known = ran.filter((id) => typeof id === "string" && lesson.boxes.includes(id));
      boxes[lesson.page] = [...new Set([...(boxes[lesson.page] || []), ...known])];
    }
    const states = record.exercises?.[lesson.page];
    if (isObject(states)) {
      const mine = isObject(store.exercises[lesson.page]) ? store.exercises[lesson.page] : {};
      for (const id of lesson.exercises || []) {
        if (isObject(states[id])) mine[id] = mergeStates(cleanState(mine[id]), cleanState(states[id]));
      }
      store.exercises[lesson.page] = mine;
    }
    const answers = record.quizzes?.[lesson.page];
    if (!answers || typeof answers !== "object") continue;
    for (const path of quizPaths(lesson)) {
      const saved = readJSON(QUIZ_PREFIX + path) || {};
      for (const id of lesson.quizzes) {
        const state = answers[id];
        if (!state || typeof state.answered !== "boolean" || typeof state.correct !== "boolean") continue;
        if (saved[id]?.correct) continue;
        const values = Array.isArray(state.selectedValues) ? state.selectedValues.map(String) : [];
        saved[id] = { answered: state.answered, correct: state.correct, selectedValues: values };
      }
      writeJSON(QUIZ_PREFIX + path, saved);
    }
  }
  writeJSON(storeKey(), store);
  changed();
}

/** Forget all progress: our record and mkdocs-quiz's saved answers for this copy of the site. */
export function resetProgress() {
  const prefix = QUIZ_PREFIX + rootPath();
  try {
    localStorage.removeItem(storeKey());
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const key = localStorage.key(i);
      if (key && key.startsWith(prefix)) localStorage.removeItem(key);
    }
  } catch {
    // storage refused: nothing was saved either
  }
  changed();
}

let listening = false;

/** Start listening to boxes and quizzes (once per tab). */
export function watchProgress() {
  if (listening) return;
  listening = true;
  document.addEventListener("code-preview:success", (event) => recordRun(event.detail?.box));
  window.addEventListener("quizProgressUpdate", changed);
}
