"""Helpers for the learning loop's browser tests: XP, quizzes, the Progress dialog."""

from __future__ import annotations

QUIZ_XP, BOX_XP, LESSON_XP = 10, 20, 50


def total_xp(page) -> int:
    return int(page.locator('.md-banner [data-xp="total"] strong').text_content())


def wait_xp(page, value: int) -> None:
    """Wait until the bar shows ``value`` total XP."""
    page.wait_for_function(
        "(value) => document.querySelector('.md-banner [data-xp=\"total\"] strong')"
        "?.textContent === String(value)",
        arg=value,
    )


def count_handled(page) -> None:
    """Count, from now on, the progress changes and the box successes the page has handled.

    Listeners run in the order they were added, so when ours runs the course's own handler has
    already updated the record and the bar: a count is a signal that an answer or a run has been
    taken into account, whatever it changed (a wrong answer or a second run changes no XP).
    """
    page.evaluate(
        """() => {
          window.__handled = {change: 0, success: 0};
          addEventListener('course-progress:change', () => window.__handled.change++);
          document.addEventListener('code-preview:success', () => window.__handled.success++);
        }"""
    )


def wait_handled(page, kind: str, count: int) -> None:
    """Wait until ``count`` events of ``kind`` ("change" or "success") have been handled."""
    page.wait_for_function("([k, n]) => window.__handled[k] >= n", arg=[kind, count])


def wait_progress_ready(page) -> None:
    """Wait until the runner has filled the bar (it adds the Progress button)."""
    page.locator(".md-banner .xp-open").wait_for()


def answer(page, quiz_id: str, correct: bool = True) -> None:
    """Pick an answer of a single-choice quiz (they submit on selection)."""
    quiz = page.locator(f"#{quiz_id}")
    pick = "[data-correct]" if correct else ":not([data-correct])"
    radio = quiz.locator(f'input[name="answer"]{pick}').first
    quiz.locator(f'label[for="{radio.get_attribute("id")}"]').click()
    quiz.locator(".quiz-feedback:not(.hidden)").wait_for()


def open_progress(page):
    page.locator(".md-banner .xp-open").click()
    dialog = page.locator("dialog.xp-dialog")
    dialog.wait_for()
    return dialog
