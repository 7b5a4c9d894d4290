"""The JSON envelopes of Seam Connect: `{"ok": true, ...}` and `{"ok": false, "error": {...}}`.

Validation failures follow nextlove (the framework the real API runs on): the message is the
single issue's text or `"N Input Errors: a, b"`, and `validation_errors` is zod's "formatted"
tree, `{"_errors": [], "<param>": {"_errors": ["..."]}}`, nesting for nested params.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Issue:
    """One validation problem at a parameter path (empty path = the whole input)."""

    path: Path
    message: str

    def describe(self) -> str:
        """Issue text as nextlove words it in the error message."""
        dotted = ".".join(str(part) for part in self.path)
        if not dotted:
            return self.message
        if self.message == "Required":
            return f"{dotted} is required"
        return f'{self.message} for "{dotted}"'


@dataclass
class ApiError(Exception):
    """An error the API answers with; raising it anywhere in a handler rolls the write back."""

    status: int
    type: str
    message: str
    validation_errors: dict[str, Any] | None = None
    data: dict[str, Any] | None = None

    def body(self, request_id: str) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.validation_errors is not None:
            error["validation_errors"] = self.validation_errors
        if self.data is not None:
            error["data"] = self.data
        error["request_id"] = request_id
        return {"ok": False, "error": error}


def invalid_input(issues: list[Issue]) -> ApiError:
    """400 `invalid_input` with the zod-formatted tree of the issues."""
    if len(issues) == 1:
        message = issues[0].describe()
    else:
        described = ", ".join(issue.describe() for issue in issues)
        message = f"{len(issues)} Input Errors: {described}"
    return ApiError(400, "invalid_input", message, validation_errors=format_issues(issues))


def format_issues(issues: list[Issue]) -> dict[str, Any]:
    """zod's `error.format()`: every node has `_errors`, children keyed by path part."""
    root: dict[str, Any] = {"_errors": []}
    for issue in issues:
        node = root
        for part in issue.path:
            node = node.setdefault(str(part), {"_errors": []})
        node["_errors"].append(issue.message)
    return root


def not_found(error_type: str, message: str) -> ApiError:
    return ApiError(404, error_type, message)


def conflict(error_type: str, message: str, data: dict[str, Any]) -> ApiError:
    """409 for a clash with existing data; `data` names the object clashed with."""
    return ApiError(409, error_type, message, data=data)
