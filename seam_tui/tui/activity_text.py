"""How an audit entry reads in Activity: a short row, and everything about it in the panel.

Ids are shown by the names of their objects: the names the entry recorded, else the newest name
another entry recorded for the same id (a `settled` line, a step, a line written before names
were recorded), else a short id. Every value comes from the log and is shown literally.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from seam_tui.core.audit import AuditEntry, FieldChange
from seam_tui.tui.formatting import DASH
from seam_tui.tui.literal import Cell, data, join, lines, lit, styled
from seam_tui.tui.literal import quoted as said_quoted

COLUMNS: tuple[tuple[str, int], ...] = (
    ("Time", 11),
    ("From", 6),
    ("Operation", 20),
    ("About", 18),
    ("Outcome", 11),
    ("Workspace", 20),
    ("Detail", 60),
)
"""The first five fit 80 columns; workspace and detail are in the panel too."""
OUTCOME_STYLES = {
    "ok": "green",
    "error": "bold red",
    "partial": "yellow",
    "dry_run": "cyan",
    "refused": "magenta",
    "started": "bold yellow",
    "settled": "green",
    "push_failed": "bold red",
}
# A change Seam accepted, then pushed to the access system (`settled`) or failed to.
OUTCOME_LABELS = {"settled": "settled", "push_failed": "push failed"}
OUTCOME_MEANS = {
    "settled": "Seam has pushed this change to the access system",
    "push_failed": "Seam accepted this change but could not push it to the access system",
}
# A change with a `started` line and no outcome: cut short (kill -9, power loss) or running now.
UNFINISHED = "unfinished"
UNFINISHED_MEANS = "no outcome recorded: interrupted (or still running)"
STEP_MARK = "↳ "
SHORT_ID = 8
# The panel shows this much of a detail; the log keeps it whole.
DETAIL_CHARS = 2000
# What each kind of id is called; people come first in a row.
KINDS = {
    "user_identity_id": "identity",
    "acs_user_id": "ACS user",
    "acs_user_ids": "ACS user",
    "acs_system_id": "system",
    "acs_access_group_id": "access group",
    "device_id": "device",
    "instant_key_id": "instant key",
}
PEOPLE = ("user_identity_id", "acs_user_id", "acs_user_ids")
FIELD_LABELS = {
    "full_name": "full name",
    "email_address": "email",
    "phone_number": "phone",
    "user_identity_key": "identity key",
    "starts_at": "access starts",
    "ends_at": "access ends",
    "is_suspended": "suspended",
}
# Fields whose values are our own yes/no, not data.
FLAGS = frozenset({"is_suspended"})


def outcome_label(entry: AuditEntry) -> str:
    if entry.outcome == "started":
        return UNFINISHED
    return OUTCOME_LABELS.get(entry.outcome, entry.outcome)


def when(entry: AuditEntry, *, zone: bool = False) -> str:
    """The entry's time in local time (in UTC when local time cannot hold it, e.g. year 1):
    `MM-DD HH:MM` for a row, the whole date and time with its zone for the panel."""
    try:
        time = entry.time.astimezone()
        name = time.tzname() or ""
    except (OverflowError, ValueError, OSError):
        time, name = entry.time, "UTC"
    if not zone:
        return f"{time:%m-%d %H:%M}"
    stamp = f"{time.year:04d}-{time:%m-%d %H:%M:%S}"
    return f"{stamp} {name}" if name else stamp


def known_names(entries: Sequence[AuditEntry]) -> dict[str, str]:
    """Id → the newest name any entry recorded for it (`entries` newest first)."""
    names: dict[str, str] = {}
    for entry in entries:
        for object_id, name in entry.names.items():
            names.setdefault(object_id, name)
    return names


def named_ids(entry: AuditEntry, names: Mapping[str, str]) -> Iterator[tuple[str, str, str | None]]:
    """(kind, id, name or None) for each id of the entry, people first."""
    keys = sorted(entry.ids, key=lambda key: PEOPLE.index(key) if key in PEOPLE else len(PEOPLE))
    for key in keys:
        value = entry.ids[key]
        kind = KINDS.get(key) or key.removesuffix("_id").replace("_", " ")
        for object_id in value.split(",") if key.endswith("_ids") else [value]:
            yield kind, object_id, entry.names.get(object_id) or names.get(object_id)


def about(entry: AuditEntry, names: Mapping[str, str]) -> Cell:
    """`Jane Doe · Acme Tower`: who and what a change was about, by name (a short id, dim,
    where no name is known); a name said once."""
    parts: list[Cell] = []
    seen: set[str] = set()
    for kind, object_id, name in named_ids(entry, names):
        if name is None:
            parts.append(styled(f"{kind} {object_id[:SHORT_ID]}", "dim"))
        elif name not in seen:
            seen.add(name)
            parts.append(lit(name))
    return join(parts, " · ") if parts else DASH


def value_text(field: str, change: FieldChange, *, before: bool) -> Cell:
    """A value before or after, quoted as data (a yes/no of ours as it is)."""
    if before and change.before_unknown:
        return lit("(not read)", style="dim")
    value = change.before if before else change.after
    if value is None:
        return lit("(empty)", style="dim")
    return lit(value) if field in FLAGS else data(value)


def change_lines(entry: AuditEntry) -> list[Cell]:
    """`full name: “Jane Doe” → “Janet Doe”`, one line per field the change set."""
    return [
        join(
            [
                f"{FIELD_LABELS.get(field, field)}: ",
                value_text(field, change, before=True),
                " → ",
                value_text(field, change, before=False),
            ]
        )
        for field, change in entry.changes.items()
    ]


def changes_said(entry: AuditEntry) -> str:
    """The changes on one line, for the table's detail column."""
    return ", ".join(
        f"{FIELD_LABELS.get(field, field)} "
        f"{'?' if change.before_unknown else _plain(field, change.before)} → "
        f"{_plain(field, change.after)}"
        for field, change in entry.changes.items()
    )


def _plain(field: str, value: str | None) -> str:
    if value is None:
        return "(empty)"
    return value if field in FLAGS else said_quoted(value, width=24)


def entry_cells(entry: AuditEntry, names: Mapping[str, str]) -> Sequence[Cell]:
    return (
        when(entry),
        entry.front_end,
        STEP_MARK + entry.operation if entry.parent_id else entry.operation,
        about(entry, names),
        styled(outcome_label(entry), OUTCOME_STYLES.get(entry.outcome, "")),
        entry.workspace,
        entry.detail or changes_said(entry) or DASH,
    )


def entry_text(
    entry: AuditEntry, names: Mapping[str, str], parent: AuditEntry | None = None
) -> Cell:
    """Everything about one entry, full ids, names, changes and detail, for the panel."""
    who = f"from {entry.front_end}" + (f", called by {entry.caller}" if entry.caller else "")
    about_lines: list[Cell] = [
        join([f"{when(entry, zone=True)} · {who} · workspace ", data(entry.workspace)]),
        join(
            [
                f"{entry.operation} · ",
                styled(outcome_label(entry), OUTCOME_STYLES.get(entry.outcome, "")),
            ]
        ),
    ]
    if entry.outcome == "started":
        about_lines.append(UNFINISHED_MEANS)
    if entry.outcome in OUTCOME_MEANS:
        about_lines.append(OUTCOME_MEANS[entry.outcome])
    if entry.parent_id:
        of = f"{parent.operation} " if parent else ""
        about_lines.append(f"a step of {of}(change {entry.parent_id})")
    for kind, object_id, name in named_ids(entry, names):
        named: list[Cell] = [f"{kind} "]
        if name is not None:
            named += [data(name), " "]
        about_lines.append(join([*named, styled(object_id, "dim")]))
    about_lines += change_lines(entry)
    if entry.detail:
        cut = len(entry.detail) - DETAIL_CHARS
        about_lines.append(
            entry.detail[:DETAIL_CHARS] + (f"… ({cut} more characters)" if cut > 0 else "")
        )
    return lines(about_lines)


def searchable(entry: AuditEntry, names: Mapping[str, str]) -> str:
    """Every word the text filter looks in, casefolded: fields, ids, names, changed values."""
    fields = [
        entry.front_end,
        entry.workspace,
        entry.operation,
        entry.outcome,
        outcome_label(entry),
        entry.detail,
        entry.caller,
        entry.change_id,
        entry.parent_id,
        *entry.ids.values(),
    ]
    fields += [name for _, _, name in named_ids(entry, names)]
    for field, change in entry.changes.items():
        fields += [field, FIELD_LABELS.get(field), change.before, change.after]
    return "\n".join(f for f in fields if f).casefold()


def steps_of(entry: AuditEntry, entries: Sequence[AuditEntry]) -> list[AuditEntry]:
    """The recorded steps of a multi-step change, oldest first."""
    if not entry.change_id:
        return []
    return [e for e in reversed(entries) if e.parent_id == entry.change_id]


def steps_said(steps: Sequence[AuditEntry], names: Mapping[str, str]) -> str:
    """`create_user_identity ok, link_acs_user ok (ACS user “Jane Doe”), ...`."""
    said = []
    for step in steps:
        parts = [
            f"{kind} {said_quoted(name) if name else object_id[:SHORT_ID]}"
            for kind, object_id, name in named_ids(step, names)
            if kind != "identity"
        ]
        about_step = f" ({', '.join(parts)})" if parts else ""
        said.append(f"{step.operation} {outcome_label(step)}{about_step}")
    return ", ".join(said)
