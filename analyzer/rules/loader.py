"""Reading rule files: a strict YAML loader, validation with ``file:line`` issues, discovery
of the built-in and user rule directories.

Two modes, as in pySigma's ``collect_errors``: :func:`collect_rules` (``analyze rules
check``) reports every issue of every file; :func:`load_rules` (analysis) raises
:class:`analyzer.errors.RuleError` at the first one.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer, ComposerError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, SequenceNode
from yaml.resolver import Resolver

from ..errors import RuleError
from .condition import (
    KEYWORDS,
    SELECTION_NAME_RE,
    ConditionError,
    all_of,
    any_of,
    compile_text,
)
from .engine import RuleSet
from .modifiers import DetectionError, compile_item
from .schema import (
    ID_RE,
    MECHANISMS,
    Event,
    EventRegistry,
    EventType,
    Predicate,
    Rule,
    RuleIssue,
    RuleTest,
    Template,
    TemplateError,
)

#: Largest rule file read (a rule is a page of YAML; anything larger is a mistake).
MAX_RULE_BYTES = 256 * 1024

REQUIRED_KEYS = ("id", "version", "title", "mechanism", "event", "detection", "confidence",
                 "summary")
OPTIONAL_KEYS = ("description", "references", "falsepositives", "trigger",
                 "observation_only", "evidence", "tests")
TOP_LEVEL_KEYS = REQUIRED_KEYS + OPTIONAL_KEYS
TEST_KEYS = ("capture", "expect", "description")
EXPECT_KEYS = ("findings", "observations")


# --- strict YAML -----------------------------------------------------------------------------

class LocatedDict(dict[str, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 1
    lines: dict[str, int]


class LocatedList(list[Any]):
    """A YAML sequence that remembers its own line and the line of each item (1-based)."""

    line: int = 1
    lines: list[int]


class RuleYAMLLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that rejects duplicate keys, non-string keys, anchors and aliases,
    and builds :class:`LocatedDict` / :class:`LocatedList` so every error has a line."""

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        return _compose_node(self, parent, index)


def _compose_node(self: Any, parent: Node | None, index: int) -> Node | None:
    event = self.peek_event()
    if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
        raise ComposerError(None, None, "anchors and aliases (& and *) are not allowed in "
                            "rule files", event.start_mark)
    return Composer.compose_node(self, parent, index)


def _construct_map(loader: RuleYAMLLoader, node: MappingNode) -> LocatedDict:
    out = LocatedDict()
    out.line = node.start_mark.line + 1
    out.lines = {}
    for knode, vnode in node.value:
        key = loader.construct_object(knode, deep=True)
        if not isinstance(key, str):
            raise ConstructorError(None, None, f"keys must be strings, not {key!r}",
                                   knode.start_mark)
        if key in out:
            raise ConstructorError(None, None, f"duplicate key '{key}' (first at line "
                                   f"{out.lines[key]})", knode.start_mark)
        out[key] = loader.construct_object(vnode, deep=True)
        out.lines[key] = knode.start_mark.line + 1
    return out


def _construct_seq(loader: RuleYAMLLoader, node: SequenceNode) -> LocatedList:
    out = LocatedList(loader.construct_object(n, deep=True) for n in node.value)
    out.line = node.start_mark.line + 1
    out.lines = [n.start_mark.line + 1 for n in node.value]
    return out


RuleYAMLLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
RuleYAMLLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def _yaml_issue(path: str, e: yaml.YAMLError) -> RuleIssue:
    if isinstance(e, yaml.MarkedYAMLError):
        mark = e.problem_mark or e.context_mark
        text = "; ".join(p for p in (e.context, e.problem) if p)
        return RuleIssue(path, mark.line + 1 if mark else None, f"YAML: {text}")
    return RuleIssue(path, None, f"YAML: {e}")


def _c_loader() -> type | None:
    """The same loader with libyaml's scanner and parser (PyYAML's C extension) under the
    Python composer and constructors above: the same located data, 6x faster (rule loading
    runs at every start, and researchers start the tool once per capture)."""
    try:
        from yaml._yaml import CParser
    except ImportError:  # PyYAML built without libyaml
        return None

    class CRuleYAMLLoader(Composer, CParser, SafeConstructor, Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

        compose_node = _compose_node

    CRuleYAMLLoader.yaml_constructors = RuleYAMLLoader.yaml_constructors
    return CRuleYAMLLoader


def parse_yaml(text: str, path: str = "<string>") -> tuple[Any, list[RuleIssue]]:
    """The data of one YAML document with located containers, or the YAML error."""
    if _C_LOADER is not None:
        fast = _C_LOADER(text)
        try:
            return fast.get_single_data(), []
        except yaml.YAMLError:
            pass  # the pure-Python loader below words the error (messages are documented)
        finally:
            fast.dispose()
    loader = RuleYAMLLoader(text)
    try:
        return loader.get_single_data(), []
    except yaml.YAMLError as e:
        return None, [_yaml_issue(path, e)]
    finally:
        loader.dispose()


_C_LOADER = _c_loader()


# --- validation ------------------------------------------------------------------------------

def _suggest(name: str, allowed: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _typename(v: object) -> str:
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    if v is None:
        return "null"
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}.get(
        type(v), type(v).__name__)


def _never(event: Event) -> bool:
    return False


@dataclass
class _Checker:
    """Validates one rule document, recording every issue with its line."""

    path: str
    registry: EventRegistry
    issues: list[RuleIssue]

    def add(self, line: int | None, message: str) -> None:
        self.issues.append(RuleIssue(self.path, line, message))

    def str_value(self, data: LocatedDict, key: str, *, one_line: bool = False,
                  required: bool = True) -> str | None:
        if key not in data:
            return None
        v = data[key]
        if not isinstance(v, str) or (required and not v.strip()):
            self.add(data.lines[key], f"'{key}' must be a non-empty string, not {_typename(v)}")
            return None
        if one_line and "\n" in v.strip():
            self.add(data.lines[key], f"'{key}' must be one line")
            return None
        return v.strip() if one_line else v

    def str_list(self, data: LocatedDict, key: str) -> tuple[str, ...]:
        v = data.get(key)
        if v is None and key not in data:
            return ()
        if not isinstance(v, LocatedList) or not all(isinstance(x, str) and x.strip()
                                                     for x in v):
            self.add(data.lines[key], f"'{key}' must be a list of strings")
            return ()
        return tuple(v)

    def template(self, data: LocatedDict, key: str, etype: EventType | None
                 ) -> Template | None:
        text = self.str_value(data, key)
        if text is None:
            return None
        line = data.lines[key]
        try:
            tpl = Template.parse(text.strip())
        except TemplateError as e:
            self.add(line, f"{key}, column {e.column}: {e}")
            return None
        if etype is not None:
            allowed = sorted(etype.fields)
            for name in tpl.fields:
                if name not in etype.fields:
                    self.add(line, f"{key}: unknown field '{{{name}}}' for event type "
                             f"'{etype.name}'{_suggest(name, allowed)}; allowed: "
                             f"{', '.join(allowed) or '(none)'}")
        return tpl

    def check(self, data: Any, file: Path | None, root: Path | None, source: str,
              check_captures: bool) -> Rule | None:
        start = len(self.issues)
        if not isinstance(data, LocatedDict):
            self.add(1, "a rule file holds one mapping (id:, title:, mechanism: ...), not "
                     f"{_typename(data)}")
            return None
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                self.add(data.lines[key], f"unknown key '{key}'{_suggest(key, TOP_LEVEL_KEYS)};"
                         f" allowed: {', '.join(TOP_LEVEL_KEYS)}")
        for key in REQUIRED_KEYS:
            if key not in data:
                self.add(data.line, f"missing required key '{key}'")

        rule_id = self.str_value(data, "id", one_line=True)
        if rule_id is not None:
            if not ID_RE.match(rule_id):
                self.add(data.lines["id"], f"bad rule id '{rule_id}': lower-case letters, "
                         "digits and '-', segments separated by '/' (e.g. "
                         "rst-injection/ttl-mismatch-after-sni)")
            elif file is not None:
                self._check_file_name(rule_id, data.lines["id"], file, root)

        version = data.get("version")
        if "version" in data and (not isinstance(version, int) or isinstance(version, bool)
                                  or version < 1):
            self.add(data.lines["version"], f"'version' must be an integer >= 1, not "
                     f"{version!r}")
        title = self.str_value(data, "title", one_line=True)
        description = self.str_value(data, "description", required=False) or ""
        references = self.str_list(data, "references")
        falsepositives = self.str_list(data, "falsepositives")

        mechanism = data.get("mechanism")
        if "mechanism" in data and mechanism not in MECHANISMS:
            self.add(data.lines["mechanism"], f"unknown mechanism {_quote(mechanism)}"
                     f"{_suggest(str(mechanism), MECHANISMS)}; allowed: {', '.join(MECHANISMS)}")

        etype: EventType | None = None
        event = data.get("event")
        if "event" in data:
            etype = self.registry.get(event) if isinstance(event, str) else None
            if etype is None:
                names = self.registry.names()
                self.add(data.lines["event"], f"unknown event type {_quote(event)}"
                         f"{_suggest(str(event), names)}; allowed: "
                         f"{', '.join(names) or '(no event types are registered)'}")

        matcher: Predicate = _never
        condition, selections, fields = "", tuple[str, ...](), frozenset[str]()
        if "detection" in data:
            matcher, condition, selections, fields = self._detection(
                data["detection"], data.lines["detection"], etype)

        confidence = data.get("confidence")
        if "confidence" in data:
            if not isinstance(confidence, (int, float)) or isinstance(confidence, bool):
                self.add(data.lines["confidence"], f"'confidence' must be a number from 0 to "
                         f"1, not {_typename(confidence)}")
            elif not 0 <= confidence <= 1:
                self.add(data.lines["confidence"], f"confidence {confidence} is outside 0..1")

        summary = self.template(data, "summary", etype)
        trigger = self.template(data, "trigger", etype)
        obs = data.get("observation_only", False)
        if not isinstance(obs, bool):
            self.add(data.lines["observation_only"], "'observation_only' must be true or "
                     f"false, not {_typename(obs)}")
        evidence = self.str_list(data, "evidence")
        if etype is not None:
            allowed = sorted(etype.fields)
            for name in evidence:
                if name not in etype.fields:
                    self.add(data.lines["evidence"], f"evidence: unknown field '{name}' for "
                             f"event type '{etype.name}'{_suggest(name, allowed)}; allowed: "
                             f"{', '.join(allowed)}")
        tests = self._tests(data, file, check_captures)

        if len(self.issues) > start:
            return None
        assert rule_id is not None and title is not None and summary is not None
        assert isinstance(mechanism, str) and isinstance(event, str)
        assert isinstance(version, int) and isinstance(confidence, (int, float))
        return Rule(
            id=rule_id, version=version, title=title, mechanism=mechanism, event=event,
            condition=condition, confidence=float(confidence), summary=summary,
            trigger=trigger, observation_only=bool(obs), description=description.strip(),
            references=references, falsepositives=falsepositives, tests=tests,
            evidence=evidence,
            selections=selections, fields=fields | frozenset(summary.fields)
            | frozenset(trigger.fields if trigger else ()),
            path=file, line=data.lines.get("id", data.line), source=source, matcher=matcher)

    def _check_file_name(self, rule_id: str, line: int, file: Path, root: Path | None) -> None:
        expected = Path(*rule_id.split("/")).with_suffix(".yaml")
        if root is not None:
            try:
                rel = file.relative_to(root)
            except ValueError:
                rel = None
            if rel != expected:
                self.add(line, f"rule id '{rule_id}' does not match the file's place: it "
                         f"must be {root / expected}")
        elif file.parts[-len(expected.parts):] != expected.parts:
            self.add(line, f"rule id '{rule_id}' does not match the file name: it must be "
                     f"DIR/{expected.as_posix()}")

    def _detection(self, det: Any, line: int, etype: EventType | None
                   ) -> tuple[Predicate, str, tuple[str, ...], frozenset[str]]:
        if not isinstance(det, LocatedDict):
            self.add(line, "'detection' must be a mapping of selections and a 'condition'")
            return _never, "", (), frozenset()
        predicates: dict[str, Predicate] = {}
        fields: set[str] = set()
        for name, sel in det.items():
            if name == "condition":
                continue
            sline = det.lines[name]
            if not SELECTION_NAME_RE.match(name) or name in KEYWORDS:
                self.add(sline, f"bad selection name '{name}': letters, digits and '_', "
                         "not starting with a digit, not a keyword "
                         f"({', '.join(sorted(KEYWORDS))})")
                continue
            predicates[name] = self._selection(name, sel, sline, etype, fields)
        cond = det.get("condition")
        if "condition" not in det:
            self.add(det.line, "'detection' needs a 'condition' (e.g. condition: sel)")
            return _never, "", tuple(predicates), frozenset(fields)
        cline = det.lines["condition"]
        if not isinstance(cond, str):
            self.add(cline, f"'condition' must be a string, not {_typename(cond)}")
            return _never, "", tuple(predicates), frozenset(fields)
        cond = " ".join(cond.split()) if "\n" in cond else cond
        try:
            matcher, used = compile_text(cond, predicates)
        except ConditionError as e:
            self.add(cline, f"condition, column {e.column}: {e.args[0]}")
            return _never, cond, tuple(predicates), frozenset(fields)
        for name in predicates:
            if name not in used:
                self.add(det.lines[name], f"selection '{name}' is not used by the condition")
        return matcher, cond, tuple(predicates), frozenset(fields)

    def _selection(self, name: str, sel: Any, line: int, etype: EventType | None,
                   fields: set[str]) -> Predicate:
        maps: list[LocatedDict] = []
        if isinstance(sel, LocatedDict):
            maps = [sel]
        elif isinstance(sel, LocatedList) and sel and all(isinstance(m, LocatedDict)
                                                          for m in sel):
            maps = list(sel)
        else:
            self.add(line, f"selection '{name}' must be a mapping of 'field|modifier: value' "
                     "items, or a list of such mappings (any of them)")
            return _never
        alternatives: list[Predicate] = []
        for m in maps:
            if not m:
                self.add(m.line, f"selection '{name}' has an empty mapping")
                continue
            items: list[Predicate] = []
            for key, value in m.items():
                if etype is None:
                    continue  # the unknown event type is reported once
                try:
                    item = compile_item(key, value, etype)
                except DetectionError as e:
                    self.add(m.lines[key], str(e))
                    continue
                items.append(item.predicate)
                fields.update(item.fields)
            if items:
                alternatives.append(all_of(items))
        return any_of(alternatives) if alternatives else _never

    def _tests(self, data: LocatedDict, file: Path | None, check_captures: bool
               ) -> tuple[RuleTest, ...]:
        if "tests" not in data:
            return ()
        tests = data["tests"]
        if not isinstance(tests, LocatedList):
            self.add(data.lines["tests"], "'tests' must be a list of {capture: PATH, expect: "
                     "{findings: N}}")
            return ()
        out: list[RuleTest] = []
        for t, tline in zip(tests, tests.lines, strict=True):
            if not isinstance(t, LocatedDict):
                self.add(tline, f"a test must be a mapping with 'capture' and 'expect', not "
                         f"{_typename(t)}")
                continue
            n = len(self.issues)
            for key in t:
                if key not in TEST_KEYS:
                    self.add(t.lines[key], f"unknown test key '{key}'"
                             f"{_suggest(key, TEST_KEYS)}; allowed: {', '.join(TEST_KEYS)}")
            capture = t.get("capture")
            if not isinstance(capture, str) or not capture:
                self.add(t.lines.get("capture", t.line), "a test needs 'capture: PATH' (relative"
                         " to the rule file's directory)")
                capture = ""
            expect = t.get("expect")
            counts: dict[str, int] = {}
            if not isinstance(expect, LocatedDict) or not expect:
                self.add(t.lines.get("expect", t.line), "a test needs 'expect' with "
                         "'findings: N' and/or 'observations: N'")
            else:
                for key, v in expect.items():
                    if key not in EXPECT_KEYS:
                        self.add(expect.lines[key], f"unknown expect key '{key}'"
                                 f"{_suggest(key, EXPECT_KEYS)}; allowed: "
                                 f"{', '.join(EXPECT_KEYS)}")
                    elif not isinstance(v, int) or isinstance(v, bool) or v < 0:
                        self.add(expect.lines[key], f"'{key}' must be a count >= 0, not "
                                 f"{v!r}")
                    else:
                        counts[key] = v
            desc = t.get("description", "")
            if not isinstance(desc, str):
                self.add(t.lines["description"], "a test's 'description' must be a string")
                desc = ""
            resolved = (file.parent / capture) if file is not None else Path(capture)
            if capture and check_captures and not resolved.is_file():
                self.add(t.lines["capture"], f"test capture not found: {resolved}")
            if len(self.issues) == n:
                out.append(RuleTest(resolved, counts.get("findings"),
                                    counts.get("observations"), desc, tline))
        return tuple(out)


def _quote(v: object) -> str:
    return f"'{v}'" if isinstance(v, str) else repr(v)


# --- files and directories -------------------------------------------------------------------

def _read(path: Path) -> tuple[str | None, list[RuleIssue]]:
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_RULE_BYTES + 1)
    except OSError as e:
        return None, [RuleIssue(str(path), None, f"cannot read: {e.strerror or e}")]
    if len(raw) > MAX_RULE_BYTES:
        return None, [RuleIssue(str(path), None, f"larger than {MAX_RULE_BYTES} bytes")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        return None, [RuleIssue(str(path), line, "not UTF-8 text")]


def check_rule_text(text: str, *, path: Path | None = None, root: Path | None = None,
                    source: str = "", registry: EventRegistry | None = None,
                    check_captures: bool = False) -> tuple[Rule | None, list[RuleIssue]]:
    """Validate and compile one rule document; return the rule (None when invalid) and
    every issue found. ``path`` is used in messages and for the file-name check."""
    name = str(path) if path is not None else "<string>"
    data, issues = parse_yaml(text, name)
    if issues:
        return None, issues
    checker = _Checker(name, registry if registry is not None else _events(), [])
    rule = checker.check(data, path, root, source or name, check_captures)
    return rule, sorted(checker.issues, key=lambda i: i.line or 0)


def load_rule_text(text: str, *, path: Path | None = None,
                   registry: EventRegistry | None = None) -> Rule:
    """Load one rule from YAML text; raise :class:`RuleError` with the first issue."""
    rule, issues = check_rule_text(text, path=path, registry=registry)
    if rule is None:
        raise RuleError(str(issues[0]))
    return rule


def load_rule_file(path: str | Path, *, root: Path | None = None, source: str = "",
                   registry: EventRegistry | None = None,
                   check_captures: bool = False) -> Rule:
    """Load one rule file; raise :class:`RuleError` with the first issue."""
    p = Path(path)
    rule, issues = _check_file(p, root, source or str(p), registry, check_captures)
    if rule is None:
        raise RuleError(str(issues[0]))
    return rule


def _check_file(path: Path, root: Path | None, source: str, registry: EventRegistry | None,
                check_captures: bool) -> tuple[Rule | None, list[RuleIssue]]:
    text, issues = _read(path)
    if text is None:
        return None, issues
    return check_rule_text(text, path=path, root=root, source=source, registry=registry,
                           check_captures=check_captures)


def _register_builtin_events(registry: EventRegistry | None) -> None:
    """Make sure the detection event types are in the process-wide registry (imported here,
    late, because :mod:`analyzer.detect` itself imports this package)."""
    if registry is None:
        from ..detect import fields
        fields.register()


def builtin_rule_dirs() -> list[Path]:
    """The built-in rule directories: the source tree's ``rules/`` (only in a checkout, next
    to ``pyproject.toml``) and the package's ``analyzer/builtin_rules``, when they exist."""
    pkg = Path(__file__).resolve().parent.parent
    out = []
    tree = pkg.parent / "rules"
    if tree.is_dir() and (pkg.parent / "pyproject.toml").is_file():
        out.append(tree)
    if (pkg / "builtin_rules").is_dir():
        out.append(pkg / "builtin_rules")
    return out


@dataclass(frozen=True, slots=True)
class _Entry:
    path: Path
    root: Path | None
    source: str
    problem: str | None = None


def _entries(target: Path, source: str | None) -> list[_Entry]:
    """The rule files under ``target`` (a directory, searched recursively, or one file), in
    path order; an entry with a ``problem`` is reported instead of loaded."""
    if target.is_file():
        return [_Entry(target, None, source or str(target))]
    if not target.is_dir():
        return [_Entry(target, None, "", "no such file or directory")]
    out: list[_Entry] = []
    for p in sorted(target.rglob("*")):
        rel = p.relative_to(target)
        if any(part.startswith(".") for part in rel.parts) or not p.is_file():
            continue
        if p.suffix == ".yaml":
            out.append(_Entry(p, target, source or str(p)))
        elif p.suffix == ".yml":
            out.append(_Entry(p, target, "", "rule files end in .yaml, not .yml"))
    return out


def _events() -> EventRegistry:
    from . import schema  # read at call time so tests can swap the registry
    return schema.EVENTS


def _load(targets: Iterable[tuple[Path, str | None]], registry: EventRegistry | None,
          check_captures: bool, on_issue: Callable[[RuleIssue], None]) -> list[Rule]:
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    for target, source in targets:
        for e in _entries(target, source):
            if e.problem is not None:
                on_issue(RuleIssue(str(e.path), None, e.problem))
                continue
            rule, issues = _check_file(e.path, e.root, e.source, registry, check_captures)
            for issue in issues:
                on_issue(issue)
            if rule is None:
                continue
            first = seen.get(rule.id)
            if first is not None:
                on_issue(RuleIssue(str(e.path), rule.line, f"duplicate rule id '{rule.id}' "
                                   f"(also defined in {first.location})"))
                continue
            seen[rule.id] = rule
            rules.append(rule)
    return rules


def collect_rules(paths: Iterable[str | Path], *, registry: EventRegistry | None = None,
                  check_captures: bool = True) -> tuple[list[Rule], list[RuleIssue]]:
    """Validate every rule file under ``paths`` (directories or files); return the valid
    rules and every issue (``analyze rules check``)."""
    _register_builtin_events(registry)
    issues: list[RuleIssue] = []
    rules = _load(((Path(p), None) for p in paths), registry, check_captures, issues.append)
    return rules, issues


def _raise(issue: RuleIssue) -> None:
    raise RuleError(str(issue))


def load_rules(user_dirs: Iterable[str | Path] = (), *, builtin: bool = True,
               registry: EventRegistry | None = None) -> RuleSet:
    """The built-in rules (unless ``builtin`` is false) and the rules of ``user_dirs``, as a
    :class:`RuleSet`; raise :class:`RuleError` (``file:line: message``) at the first issue,
    including a rule id defined twice."""
    _register_builtin_events(registry)
    targets: list[tuple[Path, str | None]] = []
    if builtin:
        targets += [(d, "builtin") for d in builtin_rule_dirs()]
    targets += [(Path(d), None) for d in user_dirs]
    return RuleSet(_load(targets, registry, False, _raise))
