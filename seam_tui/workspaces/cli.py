"""`seam-tui workspace ...`: a thin layer over the profile functions, for people and scripts.

Secrets are read from a hidden prompt or stdin, never from argv, and never printed. Errors are
one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from seam_tui.console_text import CELL_WIDTH, ask, note, say, say_json, table, warn
from seam_tui.core.models import Workspace
from seam_tui.visible import quoted
from seam_tui.workspaces.cli_add import run_add
from seam_tui.workspaces.cli_io import Command, command, insecure_file_store, interactive, yes
from seam_tui.workspaces.endpoints import LOCAL_SANDBOX, normalize_endpoint
from seam_tui.workspaces.errors import WorkspaceError
from seam_tui.workspaces.manage import (
    remove_profile,
    rename_profile,
    saved_profile,
    set_active_profile,
)
from seam_tui.workspaces.profiles import profiles_path
from seam_tui.workspaces.resolve import (
    ENV_CREDENTIAL_VARS,
    ResolvedWorkspace,
    env_has_credentials,
    resolve_workspace,
)
from seam_tui.workspaces.secret_store import keyring_plaintext, keyring_problem
from seam_tui.workspaces.status import ProfileStatus, list_profiles


def add_workspace_arguments(workspace: argparse.ArgumentParser) -> None:
    """Add `add|list|use|show|rename|remove` to the `seam-tui workspace` parser."""
    workspace.description = (
        "Workspace profiles: endpoint, auth kind and label in workspaces.toml in the config "
        "dir; the key or token only in the OS keyring (or, opted in with "
        "--insecure-file-store, a 0600 file). Resolution order: --workspace, "
        "then SEAM_API_KEY / SEAM_PERSONAL_ACCESS_TOKEN + SEAM_WORKSPACE_ID (with "
        "SEAM_ENDPOINT), then the active profile, then the built-in sandbox. "
        f"The endpoint {LOCAL_SANDBOX} means the local sandbox, reached in-process."
    )
    workspace.set_defaults(func=_help(workspace))
    sub = workspace.add_subparsers(title="workspace commands", metavar="COMMAND")

    add = sub.add_parser("add", help="verify a key or token and save it as a profile")
    add.add_argument("name", metavar="NAME")
    add.add_argument(
        "--endpoint",
        metavar="URL",
        help=f"API base URL (default https://connect.getseam.com; {LOCAL_SANDBOX} for the "
        "local sandbox)",
    )
    source = add.add_mutually_exclusive_group()
    source.add_argument(
        "--api-key-stdin", action="store_true", help="read the API key from one line of stdin"
    )
    source.add_argument(
        "--pat-stdin",
        action="store_true",
        help="read a personal access token from one line of stdin",
    )
    target = add.add_mutually_exclusive_group()
    target.add_argument(
        "--workspace-id", metavar="ID", help="the workspace a personal access token acts in"
    )
    target.add_argument(
        "--all",
        action="store_true",
        help="with a personal access token: add each of its workspaces as NAME-<workspace>",
    )
    add.add_argument(
        "--read-only",
        dest="profile_read_only",
        action="store_true",
        help="refuse every change made through this profile",
    )
    add.add_argument("--label", metavar="TEXT", help="a label (default: the workspace's name)")
    add.add_argument(
        "--replace", action="store_true", help="store a new key for an existing profile"
    )
    add.add_argument("--use", action="store_true", help="make it the active profile")
    _insecure_option(add)
    add.set_defaults(func=command(run_add))

    listing = sub.add_parser("list", help="every profile, its endpoint, auth and secret state")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=command(_list))

    use = sub.add_parser("use", help="make a profile the active one")
    use.add_argument("name", metavar="NAME")
    use.set_defaults(func=command(_use))

    show = sub.add_parser("show", help="one profile (default: the one in effect)")
    show.add_argument("name", metavar="NAME", nargs="?")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.add_argument(
        "--check", action="store_true", help="ask the API which workspace the key acts in"
    )
    _insecure_option(show)
    show.set_defaults(func=command(_show))

    rename = sub.add_parser("rename", help="rename a profile (its secret moves with it)")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    rename.set_defaults(func=command(_rename))

    remove = sub.add_parser("remove", help="delete a profile and its secret")
    remove.add_argument("name", metavar="NAME")
    remove.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    remove.set_defaults(func=command(_remove))


def _insecure_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS keeps the top-level `seam-tui --insecure-file-store` when not repeated here.
    parser.add_argument(
        "--insecure-file-store",
        action="store_true",
        default=argparse.SUPPRESS,
        help="keep secrets in an unencrypted 0600 file instead of the keyring (warns each use)",
    )


def _help(parser: argparse.ArgumentParser) -> Command:
    def show_help(args: argparse.Namespace) -> int:
        parser.print_help()
        return 0

    return show_help


def _secret_state(status: ProfileStatus) -> str:
    if status.builtin:
        return "built-in"
    if status.secret_problem:
        return "UNREADABLE"
    if not status.has_secret:
        return "MISSING"
    return "file (insecure)" if status.secret_store == "file" else "keyring"


def _list(args: argparse.Namespace) -> int:
    statuses = list_profiles()
    env_override = env_has_credentials()
    if args.json:
        active = next((s.name for s in statuses if s.active), None)
        say_json(
            {
                "active": active,
                "env_override": env_override,
                "profiles": [s.to_json() for s in statuses],
            }
        )
    else:
        _print_table(statuses)
    if env_override:
        names = " or ".join(ENV_CREDENTIAL_VARS)
        note(f"{names} is set in the environment and overrides the active profile")
    problem = keyring_problem()
    if problem and any(s.secret_store == "keyring" for s in statuses):
        note(f"keyring secrets cannot be read: {problem}")
    plaintext = keyring_plaintext()
    if plaintext and any(s.secret_store == "keyring" and not s.builtin for s in statuses):
        warn(
            f"the keyring backend {plaintext} keeps keys UNENCRYPTED, like "
            "--insecure-file-store; choose an encrypted backend"
        )
    _warn_unreadable_secrets(statuses)
    for status in statuses:
        if not status.builtin and (refused := _endpoint_problem(status.endpoint)):
            warn(
                f"profile {quoted(status.name)} cannot be used: {refused}; "
                f"fix it in {profiles_path()}"
            )
    return 0


def _warn_unreadable_secrets(statuses: list[ProfileStatus]) -> None:
    """One warning per broken secret store (a corrupt secret file, a failing keyring), naming
    the profiles whose secret could not be looked for."""
    by_problem: dict[str, list[str]] = {}
    for status in statuses:
        if status.secret_problem:
            by_problem.setdefault(status.secret_problem, []).append(quoted(status.name))
    for problem, names in by_problem.items():
        which = "profile" if len(names) == 1 else "profiles"
        warn(f"cannot check the secret of {which} {', '.join(names)}: {problem}")


def _endpoint_problem(endpoint: str) -> str | None:
    """Why a saved endpoint (maybe edited by hand) would be refused when used, or None."""
    try:
        normalize_endpoint(endpoint)
    except WorkspaceError as exc:
        return exc.message
    return None


# The NAME column holds any valid profile name (63 characters at most) whole: it is what
# `workspace use NAME` takes. A longer cell is cut with … (`workspace show` prints it whole).
_NAME_CELLS = 63


def _print_table(statuses: list[ProfileStatus]) -> None:
    header = ("", "NAME", "LABEL", "ENDPOINT", "AUTH", "READ-ONLY", "SECRET")
    rows = [
        (
            "*" if s.active else "",
            s.name,
            s.label,
            s.endpoint,
            "api key" if s.auth_kind == "api_key" else "token",
            yes(s.read_only),
            _secret_state(s),
        )
        for s in statuses
    ]
    table(header, rows, max_width=[_NAME_CELLS if c == "NAME" else CELL_WIDTH for c in header])


def _use(args: argparse.Namespace) -> int:
    set_active_profile(args.name)
    say(f"active profile: {args.name}")
    if env_has_credentials():
        note("SEAM_API_KEY / SEAM_PERSONAL_ACCESS_TOKEN in the environment still wins")
    return 0


def _show(args: argparse.Namespace) -> int:
    if args.name and not args.check:
        info = _status_info(args.name)  # a saved profile needs no secret to be shown
    else:
        resolved = resolve_workspace(
            args.name or getattr(args, "profile", None),
            read_only=bool(getattr(args, "read_only", False)),
            insecure_file_store=insecure_file_store(args),
        )
        info = _resolved_info(resolved)
        if args.check:
            live = asyncio.run(_live_workspace(resolved))
            info["checked"] = {
                "workspace_id": live.workspace_id,
                "name": live.name,
                "is_sandbox": live.is_sandbox,
            }
    if args.json:
        say_json(info)
    else:
        for key, value in info.items():
            if isinstance(value, dict):
                value = ", ".join(f"{k}={v}" for k, v in value.items())
            elif isinstance(value, bool):
                value = yes(value)
            say(f"{key.replace('_', ' ') + ':':<16}{'' if value is None else value}")
    return 0


async def _live_workspace(resolved: ResolvedWorkspace) -> Workspace:
    async with resolved.open_client() as client:
        return await client.workspaces.get()


def _status_info(name: str) -> dict[str, Any]:
    statuses = list_profiles()
    status = next((s for s in statuses if s.name == name), None)
    if status is None:
        saved_profile(name)  # raises the error naming the known profiles
        raise WorkspaceError(f"no workspace profile named {quoted(name)}")
    info = status.to_json()
    info["secret"] = _secret_state(status)
    return info


def _resolved_info(resolved: ResolvedWorkspace) -> dict[str, Any]:
    return {
        "name": resolved.name,
        "label": resolved.label,
        "source": resolved.source,
        "endpoint": resolved.endpoint,
        "auth_kind": resolved.auth_kind,
        "workspace_id": resolved.workspace_id,
        "read_only": resolved.read_only,
        "builtin": resolved.is_builtin_sandbox,
    }


def _rename(args: argparse.Namespace) -> int:
    renamed = rename_profile(args.old, args.new)
    say(f"renamed profile {quoted(args.old)} to {quoted(renamed.name)}; its secret moved with it")
    return 0


def _remove(args: argparse.Namespace) -> int:
    profile = saved_profile(args.name, action="removed")
    where = "the insecure file store" if profile.secret_store == "file" else "the keyring"
    if not args.yes:
        if not interactive():
            raise WorkspaceError(
                f"pass --yes to remove profile {quoted(args.name)} without a prompt"
            )
        answer = ask(
            f"Remove profile {quoted(args.name)} ({profile.label or profile.endpoint}) and "
            f"delete its secret from {where}? [y/N] "
        )
        if answer.casefold() not in {"y", "yes"}:
            say("nothing was removed")
            return 1
    removed = remove_profile(args.name)
    if removed.secret_deleted:
        secret = f"its secret was deleted from {where}"
    elif removed.warnings:
        secret = "its secret could not be deleted: see the warning"
    else:
        secret = f"no secret was stored for it in {where}"
    say(f"removed profile {quoted(args.name)}; {secret}")
    if removed.was_active:
        say("it was the active profile: the built-in sandbox is in effect now")
    return 0
