"""The course's build: one MkDocs plugin (``coursekit``, see :mod:`coursekit.plugin`).

It turns ``pyrun`` fences into code boxes with their build-time output (:mod:`~coursekit.boxes`),
adds the glossary's tooltips (:mod:`~coursekit.glossary`), renders the macros
(:mod:`~coursekit.macros`: course map, "Continue learning", API reference, skill matrix, Velocity
Hub), fills the navigation's lessons from ``course.yml`` (:mod:`~coursekit.course`), writes the
course data for the browser (:mod:`~coursekit.course_data`) and vendors the front-end runtime
(:mod:`~coursekit.vendor`).
"""

from pathlib import Path

# The project this package belongs to: `simulations` and `node_modules` live beside it.
PROJECT = Path(__file__).resolve().parents[1]
