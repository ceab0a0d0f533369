"""The GitHub Pages workflow builds and tests with the same Makefile as a local checkout."""

from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parents[2] / ".github" / "workflows" / "pages.yml"


def load() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_workflow_parses_with_test_build_and_deploy_jobs():
    jobs = load()["jobs"]
    assert set(jobs) == {"test", "build", "deploy"}


def test_tests_run_before_the_build_and_the_build_before_deploying():
    jobs = load()["jobs"]
    assert "make lint test" in runs(jobs["test"])
    assert jobs["build"]["needs"] == "test"
    assert jobs["deploy"]["needs"] == "build"


def test_build_job_uses_make_build_and_uploads_the_site():
    build = load()["jobs"]["build"]
    assert "make build offline" in runs(build)
    uploads = [s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", "")]
    assert uploads and uploads[0]["with"]["path"] == "site"


def test_actions_are_pinned_to_a_version():
    for job in load()["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert "@v" in step["uses"], step["uses"]
