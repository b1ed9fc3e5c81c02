"""Errors that reach the user as a one-line message (exit code 1), never as a traceback."""

from __future__ import annotations


class AnalyzerError(Exception):
    """Base class: the message is one line a person can act on."""


class CaptureError(AnalyzerError):
    """The input cannot be read as a capture at all (not a capture, empty, unreadable)."""


class RuleError(AnalyzerError):
    """A rule file is invalid; the message carries file:line."""
