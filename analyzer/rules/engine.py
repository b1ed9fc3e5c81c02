"""Evaluating compiled rules against events.

A :class:`RuleSet` indexes the rules by event type once, so evaluating an event costs one
dictionary look-up plus the compiled detections of the rules that read that event type.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .schema import Event, Rule


@dataclass(frozen=True, slots=True, eq=False)
class RuleMatch:
    """A rule whose detection matched one event (compared by identity: events are mappings)."""

    rule: Rule
    event_type: str
    event: Event

    @property
    def is_finding(self) -> bool:
        """False for ``observation_only`` rules: their matches are observations."""
        return not self.rule.observation_only

    def summary(self) -> str:
        """The rule's summary with the event's values (``?`` for a missing field)."""
        return self.rule.summary.render(self.event)

    def trigger(self) -> str | None:
        """The rule's ``trigger`` rendered from the event, or None when it has none."""
        return self.rule.trigger.render(self.event) if self.rule.trigger else None


class RuleSet:
    """Rules in load order, indexed by the event type they read."""

    def __init__(self, rules: Iterable[Rule] = ()) -> None:
        self._rules = tuple(rules)
        index: dict[str, list[Rule]] = {}
        for r in self._rules:
            index.setdefault(r.event, []).append(r)
        self._by_event = {k: tuple(v) for k, v in index.items()}
        self._by_id = {r.id: r for r in self._rules}

    def for_event(self, event_type: str) -> tuple[Rule, ...]:
        return self._by_event.get(event_type, ())

    @property
    def event_types(self) -> frozenset[str]:
        return frozenset(self._by_event)

    def get(self, rule_id: str) -> Rule | None:
        return self._by_id.get(rule_id)

    def evaluate(self, event_type: str, event: Event) -> list[RuleMatch]:
        return [RuleMatch(r, event_type, event) for r in self.for_event(event_type)
                if r.matcher(event)]

    def __getitem__(self, i: int) -> Rule:
        return self._rules[i]

    def __len__(self) -> int:
        return len(self._rules)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules)


def evaluate(rules: RuleSet | Iterable[Rule], event_type: str, event: Event
             ) -> list[RuleMatch]:
    """The matches of ``rules`` on one event of ``event_type`` (a flat mapping of dotted
    field names to values). Pass a :class:`RuleSet` when evaluating many events."""
    if isinstance(rules, RuleSet):
        return rules.evaluate(event_type, event)
    return [RuleMatch(r, event_type, event) for r in rules
            if r.event == event_type and r.matcher(event)]
