"""The course plugin: the whole build of the course, registered with MkDocs as ``coursekit``.

``mkdocs.yml`` lists it after the other plugins, so each of its steps runs where the build needs
it: the macros are rendered before the glossary's tooltips are added to a page's HTML, and quiz
ids are read once mkdocs-quiz has written its markup. Everything it learns during a build (the
course, the glossary's terms, the boxes of each page, their outputs) lives on the plugin instance,
which ``mkdocs serve`` keeps across rebuilds (it does so for a plugin with ``on_startup``). Each
build imports ``simulations`` afresh, and a change to coursekit's own code restarts the server
(:mod:`coursekit.rebuild`).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from . import PROJECT, checks, course_data, glossary, macro_errors, quiz_assets, twin_tab
from .boxes import FENCE, BoxFence, fill_outputs
from .course import lessons_nav, load_course
from .exercises import FENCE as EXERCISE_FENCE
from .exercises import ExerciseFence
from .macros import macros
from .rebuild import coursekit_changed, fresh_simulations, restart
from .vendor import Vendor

# mkdocs-macros lists its modules, macros, variables and filters at INFO on every build: five
# long lines before the build's own. Its warnings and errors still print.
logging.getLogger("mkdocs.plugins.mkdocs_macros").setLevel(logging.WARNING)


class CourseConfig(base.Config):
    course = c.Type(str, default="course.yml")  # lessons and skills, relative to mkdocs.yml
    lessons_section = c.Type(str, default="Lessons")  # the nav section the lessons fill
    glossary = c.Type(bool, default=True)  # tooltips from docs/glossary.md
    vendor = c.Type(bool, default=True)  # Pyodide, the shim and the archive


class CoursePlugin(BasePlugin[CourseConfig]):
    """The course's build. What it keeps between events:

    * ``course``: ``course.yml``, parsed and checked once per build;
    * ``boxes``: the ``pyrun`` fence (:class:`~coursekit.boxes.BoxFence`): boxes, ids, outputs;
    * ``exercises``: the ``pyexercise`` fence (:class:`~coursekit.exercises.ExerciseFence`);
    * ``terms``: the glossary's entries;
    * ``ids``: each page's quiz, box and exercise ids, for the course data;
    * ``page``: the source path of the page being rendered, for the macros;
    * ``vendor``: the vendored runtime (:class:`~coursekit.vendor.Vendor`).
    """

    serving = False  # under `mkdocs serve`, set by on_startup

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Called once per `mkdocs` command; its presence keeps this object across rebuilds."""
        self.serving = command == "serve"
        if self.serving:  # a .pyc written into a watched folder would start another rebuild
            sys.dont_write_bytecode = True

    def on_config(self, config):
        if self.serving and coursekit_changed():
            restart(config.site_dir)
        self.root = PROJECT
        self.page = ""
        self.ids: dict[str, dict[str, list[str]]] = {}
        self.terms: list[glossary.Term] = []
        self.twin_jobs: dict[str, dict] = {}  # page -> box id -> its real-engine twin's job
        try:
            here = Path(config.config_file_path).resolve().parent
            self.course_file = here / self.config.course
            self.course = load_course(self.course_file, Path(config.docs_dir))
            if config.nav:
                config.nav = lessons_nav(config.nav, self.course, self.config.lessons_section)
        except (OSError, ValueError) as exc:
            raise PluginError(str(exc)) from None
        if not hasattr(self, "boxes"):  # kept across `mkdocs serve` rebuilds
            self.boxes = BoxFence(self.root)
            self.exercises = ExerciseFence(self.boxes)
            self.vendor = Vendor(self.root)

        mdx = config.mdx_configs.setdefault("pymdownx.superfences", {})
        ours = (FENCE, EXERCISE_FENCE)
        fences = [f for f in mdx.get("custom_fences", []) if f.get("name") not in ours]
        mdx["custom_fences"] = [*fences, self.boxes.fence(), self.exercises.fence()]
        for extension in ("pymdownx.superfences", "abbr"):
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)

        renderer = config.plugins.get("macros")
        if renderer is not None:
            renderer.register_macros(
                macros(
                    self.course,
                    self.root,
                    lambda: self.page,
                    bool(config.use_directory_urls),
                    self.twin_jobs,
                )
            )
            macro_errors.install(lambda: sorted(renderer.macros))
        return config

    def on_serve(self, server, config, builder):
        """`mkdocs serve` rebuilds when anything the build reads changes, as it does for docs/:
        the course file, the simulations, the engines' jobs shown in the tabs, and coursekit
        (which restarts the server, see on_config)."""
        for path in (
            self.course_file,
            *(self.root / d for d in ("simulations", "engines", "coursekit")),
        ):
            server.watch(str(path))
        return server

    def on_pre_build(self, config, **kwargs) -> None:
        fresh_simulations(self.root)
        self.boxes.start_build()
        self.exercises.start_build()
        if self.config.glossary:
            self.terms = glossary.load_glossary(Path(config.docs_dir))
        if self.config.vendor:
            self.vendor.check()
        self.ids.clear()

    def on_files(self, files, config):
        """Check every page's source (:mod:`coursekit.checks`), start the runs of its boxes and
        exercises (:mod:`coursekit.runs_ahead`: they run while the pages render), then find
        each page's real-engine twins and publish their pipelines and events for download."""
        self.check_pages(files)
        self.twin_jobs.clear()
        published: dict[str, str | bytes] = {}
        for file in files.documentation_pages():
            text = Path(file.abs_src_path).read_text(encoding="utf-8")
            self.boxes.run_ahead(text)
            self.exercises.run_ahead(text)
            try:
                jobs = twin_tab.page_jobs(text)
            except ValueError as exc:
                raise PluginError(f"{file.src_uri}: {exc}") from None
            if jobs:
                self.twin_jobs[file.src_uri] = jobs
                published.update(twin_tab.downloads(jobs))
        for uri, content in sorted(published.items()):
            files.append(File.generated(config, uri, content=content))
        return files

    def check_pages(self, files) -> None:
        """Stop the build with every problem of every page, each naming its file and line."""
        lessons = {lesson["page"] for lesson in self.course["lessons"]}
        problems: list[checks.Problem] = []
        for file in files.documentation_pages():
            path = os.path.relpath(file.abs_src_path)
            text = Path(file.abs_src_path).read_text(encoding="utf-8")
            problems += checks.page_problems(path, text, lesson=file.src_uri in lessons)
            if self.config.glossary and file.src_uri == glossary.GLOSSARY:
                problems += checks.glossary_problems(path, text)
        if problems:
            count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
            raise PluginError(f"{count} in the pages:\n" + "\n".join(map(str, problems)))

    def on_pre_page(self, page, config, files):
        self.page = page.file.src_uri
        self.boxes.start_page(page.file.src_path)
        return page

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        if glossary.applies(page):
            markdown = glossary.add_abbreviations(markdown, self.terms)
        return markdown

    def on_page_content(self, html_text: str, page, config, files) -> str:
        html_text = fill_outputs(html_text, page, self.boxes)
        if glossary.applies(page):
            html_text = glossary.link_terms(html_text, page, files, self.terms)
        return quiz_assets.link_instead_of_inline(html_text, page.url)

    def on_post_page(self, output: str, page, config) -> str:
        boxes = self.boxes.runnable_ids(page.file.src_path)
        for box in self.twin_jobs.get(page.file.src_uri, {}):
            if box not in boxes:
                raise PluginError(
                    f"{page.file.src_uri}: on_a_real_engine({box!r}) wraps no box {box!r}"
                )
        self.ids[page.file.src_uri] = {
            "quizzes": course_data.quiz_ids(output),
            "boxes": boxes,
            "exercises": self.exercises.ids(page.file.src_path),
        }
        return output

    def on_build_error(self, error, **kwargs) -> None:
        """A failed build leaves runs nobody will take: those not started yet never start.
        (A build can fail in on_config, before there are any boxes.)"""
        if hasattr(self, "boxes"):
            self.boxes.ahead.forget()

    def on_post_build(self, config, **kwargs) -> None:
        site = Path(config.site_dir)
        if self.config.vendor:
            self.vendor.copy(site)
        course_data.write_course_data(site, self.course, bool(config.use_directory_urls), self.ids)
        quiz_assets.write(site)
