"""Offline packet-capture analyzer: proves, from captured packets, how a network blocked
something.

Library use::

    import analyzer
    result = analyzer.analyze(["capture.pcapng"])
    for flow in result.flows: ...
"""

from __future__ import annotations

__version__ = "0.1.0"

# first: picks the sources over stale compiled modules (see _compiled)
from . import _compiled  # noqa: F401
from .analysis import analyze
from .errors import AnalyzerError, CaptureError, RuleError
from .flows import Flow
from .model import Analysis, InputSummary

__all__ = [
    "Analysis",
    "AnalyzerError",
    "CaptureError",
    "Flow",
    "InputSummary",
    "RuleError",
    "__version__",
    "analyze",
]
