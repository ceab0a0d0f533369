"""`mkdocs serve` restarts itself when coursekit's own code changes (:mod:`coursekit.rebuild`).

Each test runs a short script in a copy of the project (the tests edit the copy's coursekit,
never the checkout's), with the copy first on ``PYTHONPATH``: the script imports the copy's
coursekit, edits it, and calls what the plugin calls on the next rebuild.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sitebuild import build_env, copy_project


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def run(project: Path, script: str) -> subprocess.CompletedProcess:
    (project / "script.py").write_text(textwrap.dedent(script))
    return subprocess.run(
        [sys.executable, "script.py"],
        cwd=project,
        env={**build_env(), "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_coursekit_edit_is_seen_and_undoing_it_is_too(project):
    proc = run(
        project,
        """
        from pathlib import Path
        from coursekit import rebuild
        source = Path("coursekit/twin_tab.py")
        text = source.read_text()
        print(rebuild.coursekit_changed())
        source.write_text(text + "# edited\\n")
        print(rebuild.coursekit_changed())
        source.write_text(text)
        print(rebuild.coursekit_changed())
        """,
    )
    assert proc.stdout.split() == ["False", "True", "False"], proc.stderr


def test_restart_runs_the_same_command_again_in_the_same_process(project):
    """The process execs itself: same pid, same arguments, the temporary site removed."""
    (project / "tmp-site").mkdir()
    proc = run(
        project,
        """
        import os, sys
        from pathlib import Path
        from coursekit import rebuild
        marker = Path("restarted")
        if marker.exists():
            print("second run", os.getpid(), marker.read_text(), " ".join(sys.argv))
            print("site kept" if Path("tmp-site").exists() else "site removed")
        else:
            marker.write_text(str(os.getpid()))
            Path("coursekit/twin_tab.py").write_text(
                Path("coursekit/twin_tab.py").read_text() + "# edited\\n"
            )
            assert rebuild.coursekit_changed()
            rebuild.restart("tmp-site")
            print("not restarted")
        """,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "not restarted" not in lines
    assert lines[0].startswith("second run "), lines
    pid, first_pid, argv = lines[0].removeprefix("second run ").split(" ", 2)
    assert pid == first_pid, "a new process, not the same one run again"
    assert argv == "script.py"
    assert lines[1] == "site removed"


def test_no_restart_into_code_that_does_not_import(project):
    """A coursekit that fails to import fails the rebuild, naming the error; the server (here,
    the script) keeps running and its site stays."""
    (project / "tmp-site").mkdir()
    proc = run(
        project,
        """
        from pathlib import Path
        from mkdocs.exceptions import PluginError
        from coursekit import rebuild
        glossary = Path("coursekit/glossary.py")
        glossary.write_text(glossary.read_text() + "undefined_name_here\\n")
        try:
            rebuild.restart("tmp-site")
        except PluginError as error:
            print(error)
        print("still running")
        """,
    )
    assert proc.returncode == 0, proc.stderr
    assert "coursekit changed and no longer imports" in proc.stdout
    assert "NameError: name 'undefined_name_here' is not defined" in proc.stdout
    assert proc.stdout.rstrip().endswith("still running")
    assert (project / "tmp-site").is_dir()
