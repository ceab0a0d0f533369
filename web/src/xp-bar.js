// The XP bar at the top of every page (overrides/main.html writes it with 0) and the Progress
// dialog it opens: XP by skill, export and import as a JSON file, and Reset progress.
// Instant navigation swaps the bar with each page, so `refreshBar` fills it in again every time;
// the dialog is created once and lives in <body>.

import { el } from "./dom.js";
import {
  XP,
  courseData,
  exportProgress,
  importProgress,
  lessonAt,
  resetProgress,
  summary,
} from "./progress.js";

const FILE_NAME = "batch-vs-streaming-progress.json";
let dialog = null;

function actionButton(text, onClick) {
  const node = el("button", "md-button xp-action", text);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

/** Fill the bar of the current page, adding the lesson's XP and the Progress button. */
export function refreshBar() {
  const state = summary();
  if (!state) return;
  for (const total of document.querySelectorAll('[data-xp="total"]')) {
    const strong = total.querySelector("strong");
    if (strong) strong.textContent = String(state.total);
    else total.textContent = `Total XP: ${state.total}`;
  }
  const bar = document.querySelector(".md-banner .xp-bar");
  if (!bar) return;
  let figures = bar.querySelector(".xp-figures");
  if (!figures) {
    figures = el("span", "xp-figures");
    const total = bar.querySelector('[data-xp="total"]');
    bar.prepend(figures);
    if (total) figures.append(total);
    const open = el("button", "xp-open", "Progress");
    open.type = "button";
    open.setAttribute("aria-haspopup", "dialog");
    open.addEventListener("click", openDialog);
    figures.append(open);
  }
  const page = lessonAt();
  let lesson = figures.querySelector('[data-xp="lesson"]');
  if (page && !lesson) {
    lesson = el("span", "xp-lesson");
    lesson.dataset.xp = "lesson";
    figures.querySelector(".xp-open").before(lesson);
  }
  if (lesson) {
    lesson.replaceChildren("This lesson: ", el("strong", "", String(state.lessons[page].xp)), " XP");
  }
  if (dialog?.open) fillDialog();
}

// ----- the dialog -----------------------------------------------------------------------------

function buildDialog() {
  dialog = el("dialog", "xp-dialog");
  dialog.setAttribute("aria-labelledby", "xp-dialog-title");
  const close = el("button", "xp-close", "Close");
  close.type = "button";
  close.addEventListener("click", () => dialog.close());
  const title = el("h2", "xp-dialog-title", "Your progress");
  title.id = "xp-dialog-title";
  const rules = el(
    "p",
    "xp-rules",
    `${XP.quiz} XP per correct quiz answer, ${XP.box} XP per code box of a lesson run ` +
      `successfully, ${XP.lesson} XP per lesson whose questions are all answered; each once. ` +
      "A skill's XP is the XP of the lesson that teaches it. Kept in this browser only.",
  );
  const file = el("input", "xp-file");
  file.type = "file";
  file.accept = "application/json,.json";
  file.hidden = true;
  file.addEventListener("change", () => readImport(file));
  const actions = el("div", "xp-actions");
  actions.append(
    actionButton("Export progress", download),
    actionButton("Import progress", () => file.click()),
    actionButton("Reset progress", confirmReset),
    file,
  );
  dialog.append(
    close,
    title,
    el("p", "xp-dialog-total"),
    rules,
    el("h3", "xp-skills-title", "XP by skill"),
    el("ul", "xp-skills"),
    actions,
    el("p", "xp-note"),
  );
  dialog.querySelector(".xp-note").setAttribute("role", "status");
  // A click on the backdrop (outside the dialog's box) closes it.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) {
      const box = dialog.getBoundingClientRect();
      const inside =
        event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) dialog.close();
    }
  });
  document.body.append(dialog);
}

function fillDialog() {
  const state = summary();
  const data = courseData();
  if (!state || !data) return;
  const total = dialog.querySelector(".xp-dialog-total");
  total.replaceChildren("Total XP: ", el("strong", "", String(state.total)));
  total.dataset.xp = "dialog-total";
  const list = dialog.querySelector(".xp-skills");
  const earned = data.skills.filter((skill) => state.skills[skill.name].xp > 0);
  list.replaceChildren(
    ...earned.map((skill) => {
      const item = el("li");
      item.dataset.xpSkill = skill.name;
      item.append(el("span", "xp-skill-label", skill.label), el("span", "xp-skill-value", `${state.skills[skill.name].xp} XP`));
      return item;
    }),
  );
  if (!earned.length) list.append(el("li", "xp-none", "No XP yet: answer a quiz or run a code box in a lesson."));
}

function openDialog() {
  if (!dialog) buildDialog();
  note("");
  fillDialog();
  dialog.showModal();
}

function note(text) {
  dialog.querySelector(".xp-note").textContent = text;
}

// A page with quizzes keeps mkdocs-quiz's answers in memory: reload it after a reset or an
// import, so it shows (and later saves) the new answers rather than the old ones.
function reloadIfQuizzes() {
  if (document.querySelector(".quiz")) location.reload();
}

function download() {
  const text = JSON.stringify(exportProgress(), null, 2) + "\n";
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const link = el("a");
  link.href = url;
  link.download = FILE_NAME;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  note(`Saved as ${FILE_NAME} in your downloads.`);
}

async function readImport(input) {
  const file = input.files && input.files[0];
  input.value = "";
  if (!file) return;
  try {
    importProgress(JSON.parse(await file.text()));
  } catch (error) {
    note(error instanceof SyntaxError ? "This file is not a progress file of this course." : error.message);
    return;
  }
  fillDialog();
  note("Progress imported.");
  reloadIfQuizzes();
}

function confirmReset() {
  if (!window.confirm("Reset all progress? Your XP, quiz answers and unlocked skills in this browser will be forgotten.")) return;
  resetProgress();
  fillDialog();
  note("Progress reset.");
  reloadIfQuizzes();
}
