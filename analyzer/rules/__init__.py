"""Rules: YAML files that turn events into findings.

A rule names an event type, a Sigma-style ``detection`` over that event type's documented
fields, and what a match means (``mechanism``, ``confidence``, ``summary``). See
``rules/README.md`` for the language and :mod:`analyzer.rules.schema` for the model.

Typical use::

    from analyzer.rules import load_rules, evaluate
    rules = load_rules(["my-rules/"])  # built-ins + user rules; RuleError at the first issue
    for match in evaluate(rules, "tcp.reset", event):
        print(match.rule.id, match.summary())
"""

from __future__ import annotations

from .engine import RuleMatch, RuleSet, evaluate
from .loader import (
    builtin_rule_dirs,
    check_rule_text,
    collect_rules,
    load_rule_file,
    load_rule_text,
    load_rules,
)
from .modifiers import MODIFIERS, Modifier
from .schema import (
    EVENTS,
    FIELD_TYPES,
    MECHANISMS,
    EventRegistry,
    EventType,
    FieldSpec,
    Rule,
    RuleIssue,
    RuleTest,
    Template,
    register_event_type,
)

__all__ = [
    "EVENTS",
    "FIELD_TYPES",
    "MECHANISMS",
    "MODIFIERS",
    "EventRegistry",
    "EventType",
    "FieldSpec",
    "Modifier",
    "Rule",
    "RuleIssue",
    "RuleMatch",
    "RuleSet",
    "RuleTest",
    "Template",
    "builtin_rule_dirs",
    "check_rule_text",
    "collect_rules",
    "evaluate",
    "load_rule_file",
    "load_rule_text",
    "load_rules",
    "register_event_type",
]
