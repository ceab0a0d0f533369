"""The learning loop: XP from quizzes and box runs, once each; skill statuses; export and import."""

from __future__ import annotations

import json

import pytest
from progress_page import (
    BOX_XP,
    LESSON_XP,
    QUIZ_XP,
    answer,
    count_handled,
    open_progress,
    total_xp,
    wait_handled,
    wait_progress_ready,
    wait_xp,
)
from runner_page import box, run, wait_mounted

pytestmark = pytest.mark.browser


def node(page, skill: str):
    return page.locator(f'a.skill-node[data-skill="{skill}"]')


def test_quiz_answer_and_box_run_earn_xp_once_and_survive_reload(page):
    p = page.page
    p.goto(page.url("index.html"))
    wait_mounted(p)
    wait_progress_ready(p)
    assert total_xp(p) == 0
    count_handled(p)
    answer(p, "quiz-0")
    wait_handled(p, "change", 1)
    assert total_xp(p) == QUIZ_XP
    answer(p, "quiz-1", correct=False)  # answered, but no XP for a wrong answer
    wait_handled(p, "change", 2)
    assert total_xp(p) == QUIZ_XP
    root = box(p, "first-contrast")
    assert run(root) == "success"
    wait_handled(p, "success", 1)
    assert total_xp(p) == QUIZ_XP + BOX_XP
    assert run(root) == "success"  # the same box again earns nothing more
    wait_handled(p, "success", 2)
    assert total_xp(p) == QUIZ_XP + BOX_XP
    assert p.locator('.md-banner [data-xp="lesson"]').text_content() == "This lesson: 30 XP"
    p.reload()
    wait_progress_ready(p)
    wait_xp(p, QUIZ_XP + BOX_XP)
    # The quiz is shown as answered after the reload; no second XP for it.
    assert p.locator("#quiz-0 input[data-correct]").is_checked()
    p.goto(page.url("glossary.html"))  # a page without lessons still shows the total
    wait_progress_ready(p)
    wait_xp(p, QUIZ_XP + BOX_XP)


def test_passing_a_lesson_quiz_unlocks_its_skills(page):
    p = page.page
    p.goto(page.url("skills.html"))
    wait_progress_ready(p)
    assert node(p, "latency").get_attribute("data-status") == "available"
    assert node(p, "batch").get_attribute("data-status") == "locked"
    p.goto(page.url("index.html"))
    wait_progress_ready(p)
    for quiz in ("quiz-0", "quiz-1", "quiz-2"):
        answer(p, quiz)
    wait_xp(p, 3 * QUIZ_XP + LESSON_XP)
    p.goto(page.url("skills.html"))
    wait_progress_ready(p)
    latency = node(p, "latency")
    p.wait_for_function("(el) => el.dataset.status === 'unlocked'", arg=latency.element_handle())
    assert latency.get_attribute("aria-label").startswith("Latency unlocked. Lesson 1:")
    assert node(p, "batch").get_attribute("data-status") == "available"  # its needs are met
    item = p.locator("#skill-latency")
    assert item.get_attribute("data-status") == "unlocked"
    assert item.locator(".skill-item-status").text_content() == "unlocked"


def test_export_reset_import_restores_xp(page, tmp_path):
    p = page.page
    p.goto(page.url("index.html"))
    wait_progress_ready(p)
    answer(p, "quiz-0")
    wait_xp(p, QUIZ_XP)
    dialog = open_progress(p)
    assert "Total XP: 10" in dialog.text_content()
    with p.expect_download() as download:
        dialog.get_by_role("button", name="Export progress").click()
    saved = tmp_path / "progress.json"
    download.value.save_as(saved)
    record = json.loads(saved.read_text())
    assert record["quizzes"]["index.md"]["quiz-0"]["correct"] is True  # keyed by page, not path

    p.once("dialog", lambda confirm: confirm.accept())
    dialog.get_by_role("button", name="Reset progress").click()
    p.wait_for_load_state()  # a page with quizzes reloads
    wait_progress_ready(p)
    wait_xp(p, 0)
    assert not p.locator("#quiz-0 input[data-correct]").is_checked()
    keys = p.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('quiz_progress_'))")
    assert all(p.evaluate("(k) => localStorage.getItem(k)", k) == "{}" for k in keys)

    p.goto(page.url("glossary.html"))
    wait_progress_ready(p)
    dialog = open_progress(p)
    dialog.locator("input.xp-file").set_input_files(str(saved))
    dialog.locator(".xp-note", has_text="Progress imported.").wait_for()
    wait_xp(p, QUIZ_XP)
    p.goto(page.url("index.html"))
    wait_progress_ready(p)
    wait_xp(p, QUIZ_XP)
    assert p.locator("#quiz-0 input[data-correct]").is_checked()  # mkdocs-quiz sees it again
