"""What the new-identity form says about a creation: the plan before saving, and exactly what was
done (and what undo would do) after a partial failure.

Every name from Seam is a JSON string (`seam_tui.visible.quoted`, the rule the MCP tools and
the CLI follow too): a quote inside it is escaped, so a name can never close its quotes and go
on as our own words."""

from __future__ import annotations

import re

from seam_tui.core.results import CreateIdentityResult, CreatePlan, PlannedAcsUser, SystemOutcome
from seam_tui.tui.literal import DATA_STYLE, NAME_WIDTH, Cell, join, lit, say, styled
from seam_tui.visible import quoted, visible

_PLAIN_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")


def name_text(value: str | None, *, width: int = NAME_WIDTH) -> str:
    """A name for a sentence: a JSON string of its visible form, cut to `width` characters
    (with …) inside its quotes."""
    shown = visible(value or "")
    if len(shown) > width:
        shown = shown[: width - 1] + "…"
    return quoted(shown)


def _name(value: str | None) -> Cell:
    return styled(name_text(value), DATA_STYLE)


def _id(value: str | None) -> Cell:
    """An id in brackets: bare when it is only id characters, else quoted like a name."""
    if not value:
        return ""
    return styled(f"({value if _PLAIN_ID.fullmatch(value) else name_text(value)})", "dim")


def _why(step: PlannedAcsUser) -> str:
    if not step.matched_on:
        return "the ACS user you chose"
    return "same " + " and ".join(m.replace("_", " ") for m in step.matched_on)


def plan_lines(plan: CreatePlan) -> list[Cell]:
    """The plan, one line per system, and how to go on."""
    data = plan.identity
    name = data.full_name or data.email_address or data.phone_number or data.user_identity_key
    out: list[Cell] = [say("Saving creates identity {name}, then:", name=_name(name))]
    for step in plan.acs_users:
        if step.action == "create":
            out.append(say("  + a new ACS user in {system}", system=_name(step.system_name)))
        else:
            out.append(
                say(
                    "  ⇄ links existing ACS user {user} {id} in {system} ({why})",
                    user=_name(step.acs_user_name),
                    id=_id(step.acs_user_id),
                    system=_name(step.system_name),
                    why=styled(_why(step), "dim"),
                )
            )
    out.append("Nothing is done yet: Ctrl+S again saves; change anything to plan again.")
    return out


def _outcome_line(o: SystemOutcome) -> Cell:
    if o.status == "created":
        return say(
            "  ✓ created ACS user {id} in {system}",
            id=_id(o.acs_user_id),
            system=_name(o.system_name),
        )
    if o.status == "linked":
        return say(
            "  ✓ linked existing ACS user {user} {id} in {system}",
            user=_name(o.acs_user_name),
            id=_id(o.acs_user_id),
            system=_name(o.system_name),
        )
    what = "create an ACS user" if o.action == "create" else "link the existing ACS user"
    return say(
        f"  ✗ {{system}}: could not {what}: {{error}}",
        system=_name(o.system_name),
        error=lit(o.error or "failed"),
    )


def undo_lines(result: CreateIdentityResult) -> list[Cell]:
    """What undo does, step by step: unlink first (they stay), then delete what was created."""
    out: list[Cell] = []
    for o in result.to_unlink:
        out.append(
            say(
                "unlink existing ACS user {user} {id} in {system} (it stays)",
                user=_name(o.acs_user_name),
                id=_id(o.acs_user_id),
                system=_name(o.system_name),
            )
        )
    identity = result.identity
    made = len(result.created)
    out.append(
        say(
            f"{'then ' if out else ''}delete identity {{name}} {{id}} and the {made} ACS "
            "user(s) it created",
            name=_name(identity.display_name or identity.user_identity_id),
            id=_id(identity.user_identity_id),
        )
    )
    return out


def result_lines(result: CreateIdentityResult) -> list[Cell]:
    """Exactly what exists now, and the two ways on: retry the failures, or undo."""
    identity = result.identity
    out: list[Cell] = [
        say(
            "Identity {name} was created {id}; in the chosen systems:",
            name=_name(identity.display_name or identity.user_identity_id),
            id=_id(identity.user_identity_id),
        )
    ]
    out.extend(_outcome_line(o) for o in result.outcomes)
    if result.audit_error:
        out.append(say("  ! {error}", error=lit(result.audit_error)))
    if not result.complete:
        out.append("Ctrl+S retries the failed system(s).")
    out.append(join(["Ctrl+Z undoes it: ", join(undo_lines(result), "; "), "."]))
    out.append("Esc closes and keeps what exists.")
    return out
