"""Build-time macros for the Markdown pages (mkdocs-macros-plugin): the one place for them."""

from __future__ import annotations


def define_env(env) -> None:
    """Register the course's macros and variables."""
