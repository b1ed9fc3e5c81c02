"""Offline packet-capture analyzer: proves, from captured packets, how a network blocked
something.

Library use::

    import analyzer
    result = analyzer.analyze(["capture.pcapng"])
    for flow in result.flows: ...
"""

from __future__ import annotations

__version__ = "0.1.0"

from .analysis import analyze  # noqa: E402
from .errors import AnalyzerError, CaptureError, RuleError  # noqa: E402
from .flows import Flow  # noqa: E402
from .model import Analysis, InputSummary  # noqa: E402

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
