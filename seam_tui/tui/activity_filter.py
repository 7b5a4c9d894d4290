"""What the Activity filter box means: words that must all appear (in a name, an id, a value, a
detail...), and `from:`, `op:` and `outcome:` tokens for the front end (or caller), the
operation and the outcome. The keys that narrow by front end, operation or outcome write these
tokens into the box, so the box always shows the whole filter and Esc clears it all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from seam_tui.core.audit import AuditEntry

FRONT_ENDS = ("tui", "mcp", "cli", "script")
# In the order `o` steps through them: what went wrong first.
OUTCOMES = ("error", "refused", "unfinished", "push_failed", "partial", "ok", "settled", "dry_run")
TOKENS = ("from", "op", "outcome")


@dataclass(frozen=True)
class ActivityFilter:
    """A parsed filter: every word must be found; each token kind matches any of its values."""

    words: tuple[str, ...] = ()
    tokens: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def parse(cls, query: str) -> ActivityFilter:
        words: list[str] = []
        tokens: dict[str, tuple[str, ...]] = {}
        for word in query.casefold().split():
            key, colon, value = word.partition(":")
            if colon and key in TOKENS and value:
                tokens[key] = (*tokens.get(key, ()), value)
            else:
                words.append(word)
        return cls(tuple(words), tokens)

    def __bool__(self) -> bool:
        return bool(self.words or self.tokens)

    def matches(self, entry: AuditEntry, haystack: str) -> bool:
        """Whether `entry` passes; `haystack` is its searchable text, casefolded."""
        for key, values in self.tokens.items():
            if not any(_token_matches(entry, key, value) for value in values):
                return False
        return all(word in haystack for word in self.words)


def _token_matches(entry: AuditEntry, key: str, value: str) -> bool:
    if key == "from":
        caller = (entry.caller or "").casefold()
        return value == entry.front_end.casefold() or (bool(caller) and value in caller)
    if key == "op":
        return value in entry.operation.casefold()
    return _outcome(value) == outcome_key(entry)


def outcome_key(entry: AuditEntry) -> str:
    """The outcome as `outcome:` names it (`unfinished` for a change with no outcome)."""
    return "unfinished" if entry.outcome == "started" else entry.outcome


def _outcome(value: str) -> str:
    value = value.replace("-", "_")
    return "unfinished" if value == "started" else value


def with_token(query: str, key: str, value: str | None) -> str:
    """`query` with its `key:` tokens replaced by `key:value` (or removed, for None)."""
    kept = [w for w in query.split() if w.casefold().partition(":")[0] != key or ":" not in w]
    return " ".join([*kept, f"{key}:{value}"] if value else kept)


def next_value(query: str, key: str, choices: Sequence[str]) -> str | None:
    """The choice after the one `query` filters `key` by: the first when it filters by none
    (or by something else), none after the last."""
    current = ActivityFilter.parse(query).tokens.get(key, ())
    if len(current) != 1 or current[0] not in choices:
        return choices[0] if choices else None
    index = choices.index(current[0]) + 1
    return choices[index] if index < len(choices) else None
