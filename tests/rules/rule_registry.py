"""The example event types the rule tests match against (from data/events.yaml)."""

from __future__ import annotations

from pathlib import Path

import yaml
from analyzer.rules import EventRegistry, FieldSpec

DATA = Path(__file__).parent / "data"


def make_registry() -> EventRegistry:
    reg = EventRegistry()
    for name, et in yaml.safe_load((DATA / "events.yaml").read_text()).items():
        reg.register(name, {f: FieldSpec(*spec) for f, spec in et["fields"].items()},
                     et["description"])
    return reg
