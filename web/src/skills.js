// The skill matrix page (coursekit/skill_graph.py): sets each skill's data-status from the
// reader's progress, on load and on every change, in the graph and in the text list alike.

import { courseData, summary } from "./progress.js";

function lessonNumbers(data) {
  return new Map(data.lessons.map((lesson, i) => [lesson.page, [i + 1, lesson.title]]));
}

export function refreshSkills() {
  const nodes = document.querySelectorAll("a.skill-node[data-skill]");
  const items = document.querySelectorAll("[data-skill-item]");
  if (!nodes.length && !items.length) return;
  const data = courseData();
  const state = summary();
  if (!data || !state) return;
  const numbers = lessonNumbers(data);
  const labels = new Map(data.skills.map((skill) => [skill.name, skill]));
  for (const node of nodes) {
    const skill = labels.get(node.dataset.skill);
    const status = state.skills[node.dataset.skill]?.status;
    if (!skill || !status || node.dataset.status === status) continue;
    node.dataset.status = status;
    const [number, title] = numbers.get(skill.lesson) || [0, ""];
    node.setAttribute("aria-label", `${skill.label} ${status}. Lesson ${number}: ${title}`);
  }
  for (const item of items) {
    const status = state.skills[item.dataset.skillItem]?.status;
    if (!status) continue;
    item.dataset.status = status;
    const word = item.querySelector(".skill-item-status");
    if (word) word.textContent = status;
  }
}
