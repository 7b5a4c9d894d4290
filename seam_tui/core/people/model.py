"""What a plan is: each row's action and writes, the plan of a whole file, and its token.

Built by `plan` (imports) and `offboard`, applied by `apply`.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from seam_tui.core.people.rows import PersonRow, RowProblem

Action = Literal["create", "update", "link", "offboard", "nothing", "conflict", "invalid"]
ACTIONS: tuple[Action, ...] = (
    "create",
    "update",
    "link",
    "offboard",
    "nothing",
    "conflict",
    "invalid",
)
StepKind = Literal[
    "create_identity",
    "update_identity",
    "link_acs_user",
    "create_acs_user",
    "add_to_access_group",
    "update_access_schedule",
    "remove_from_access_group",
    "revoke_device",
    "suspend_acs_user",
    "unlink_acs_user",
    "delete_identity",
]
OffboardMode = Literal["suspend", "unlink", "delete"]


@dataclass(slots=True)
class Step:
    """One write a row needs; `text` says it in words (names quoted, ids bare)."""

    kind: StepKind
    text: str
    acs_system_id: str | None = None
    acs_user_id: str | None = None
    acs_access_group_id: str | None = None
    device_id: str | None = None
    group_ids: tuple[str, ...] = ()
    changes: dict[str, str] = field(default_factory=dict)

    def key(self) -> tuple[object, ...]:
        return (
            self.kind,
            self.acs_system_id,
            self.acs_user_id,
            self.acs_access_group_id,
            self.device_id,
            self.group_ids,
            sorted(self.changes.items()),
        )


@dataclass(slots=True)
class PlannedRow:
    """A row, what it matched, and the writes it needs."""

    person: PersonRow
    action: Action
    user_identity_id: str | None = None
    matched_on: str | None = None
    steps: list[Step] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def is_error(self) -> bool:
        return self.action in ("conflict", "invalid")


@dataclass
class ImportPlan:
    """Every row's plan, or the one problem that stops the file from being read.

    `offboard` is set (the mode) for an offboarding plan (`people.offboard`)."""

    workspace: str
    source: str
    offboard: OffboardMode | None = None
    rows: list[PlannedRow] = field(default_factory=list)
    file_problem: RowProblem | None = None
    token: str = ""

    def counts(self) -> dict[Action, int]:
        found = Counter(r.action for r in self.rows)
        return {action: found.get(action, 0) for action in ACTIONS}

    def problems(self) -> list[RowProblem]:
        if self.file_problem is not None:
            return [self.file_problem]
        return [p for r in self.rows if r.is_error for p in r.problems]

    def to_apply(self, *, skip_invalid: bool = False) -> list[PlannedRow]:
        """The rows with writes to make; raises PlanNotReady while errors stop it."""
        if self.file_problem is not None:
            raise PlanNotReady(self, f"the file cannot be read: {self.file_problem}")
        errors = [r for r in self.rows if r.is_error]
        if errors and not skip_invalid:
            raise PlanNotReady(
                self,
                f"{len(errors)} row(s) have problems (first: {errors[0].problems[0]}); fix "
                "them, or skip them (--skip-invalid); nothing was applied",
            )
        return [r for r in self.rows if r.steps and not r.is_error]

    def summary(self) -> str:
        if self.file_problem is not None:
            return f"nothing can be planned: {self.file_problem}"
        counts = self.counts()
        parts = [f"{n} {a}" for a, n in counts.items() if n]
        return f"{len(self.rows)} row(s): " + ", ".join(parts)


class PlanNotReady(Exception):
    """An apply refused before anything was sent: the plan has errors."""

    def __init__(self, plan: ImportPlan, message: str) -> None:
        super().__init__(message)
        self.plan = plan


def plan_token(plan: ImportPlan) -> str:
    """A digest of the plan (workspace, rows, matches and writes): an apply that must follow a
    preview passes it, and is refused if the plan has changed since."""
    data = [
        plan.workspace,
        plan.offboard,
        [
            (
                r.person.row,
                r.person.content(),
                r.action,
                r.user_identity_id,
                [s.key() for s in r.steps],
            )
            for r in plan.rows
        ],
    ]
    digest = hashlib.sha256(json.dumps(data, default=str).encode()).hexdigest()
    return digest[:24]
