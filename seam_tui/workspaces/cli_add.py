"""`seam-tui workspace add`: read the secret (a hidden prompt on a terminal, else stdin with
--api-key-stdin / --pat-stdin; never argv), pick a token's workspace, then verify and save
through `add_profile`. No key to read is a usage error (exit 2), never a hang or a traceback."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from seam_tui.console_text import PROG, ask, ask_secret, say
from seam_tui.core.models import Workspace
from seam_tui.exit_codes import UsageError
from seam_tui.visible import quoted
from seam_tui.workspaces.cli_io import insecure_file_store, interactive, yes
from seam_tui.workspaces.errors import WorkspaceError
from seam_tui.workspaces.manage import (
    AddedProfile,
    add_profile,
    check_can_add,
    is_personal_access_token,
    list_token_workspaces,
    token_profile_name,
)


def _read_secret(args: argparse.Namespace) -> str:
    flag = "--pat-stdin" if args.pat_stdin else "--api-key-stdin"
    if args.api_key_stdin or args.pat_stdin:
        secret = sys.stdin.readline().strip()
        if not secret:
            raise UsageError(
                f"nothing on stdin for {flag}: pipe the key in as one line, e.g. "
                f"`printf '%s\\n' \"$KEY\" | {PROG} workspace add {args.name} {flag}`; "
                "nothing was saved"
            )
    elif not interactive():
        raise UsageError(
            "stdin is not a terminal, so the key cannot be asked for: pipe it in with "
            "--api-key-stdin (an API key) or --pat-stdin (a personal access token); "
            "nothing was saved"
        )
    else:
        secret = ask_secret(f"API key or personal access token for {quoted(args.name)}: ")
        if not secret:
            raise WorkspaceError("no key given; nothing was saved")
    if args.pat_stdin and not is_personal_access_token(secret):
        raise WorkspaceError(
            "--pat-stdin expects a personal access token (seam_at...); "
            "for an API key use --api-key-stdin"
        )
    if args.api_key_stdin and is_personal_access_token(secret):
        raise WorkspaceError(
            "that is a personal access token, not an API key: use --pat-stdin "
            "(with --workspace-id ID or --all)"
        )
    return secret


def run_add(args: argparse.Namespace) -> int:
    """Check the name and the secret store first, then ask for the secret, verify and save."""
    insecure = insecure_file_store(args)
    check_can_add(args.name, replace=args.replace, insecure_file_store=insecure)
    secret = _read_secret(args)
    pat = is_personal_access_token(secret)
    if args.all and not pat:
        raise WorkspaceError("--all goes with a personal access token, not an API key")
    options: dict[str, Any] = {
        "endpoint": args.endpoint,
        "read_only": args.profile_read_only,
        "insecure_file_store": insecure,
        "replace": args.replace,
    }
    if not pat or args.workspace_id:
        added = asyncio.run(
            add_profile(
                args.name,
                secret,
                workspace_id=args.workspace_id,
                label=args.label,
                activate=args.use,
                **options,
            )
        )
        _print_added(added, activated=args.use)
        return 0
    workspaces = asyncio.run(list_token_workspaces(secret, endpoint=args.endpoint))
    chosen = _choose_workspaces(workspaces, args)
    if len(chosen) == 1:
        added = asyncio.run(
            add_profile(
                args.name,
                secret,
                workspace_id=chosen[0].workspace_id,
                label=args.label,
                activate=args.use,
                **options,
            )
        )
        _print_added(added, activated=args.use)
        return 0
    for ws in chosen:
        name = token_profile_name(args.name, ws)
        check_can_add(name, replace=args.replace, insecure_file_store=insecure)
    for ws in chosen:
        name = token_profile_name(args.name, ws)
        added = asyncio.run(add_profile(name, secret, workspace_id=ws.workspace_id, **options))
        _print_added(added, activated=False)
    return 0


def _choose_workspaces(workspaces: list[Workspace], args: argparse.Namespace) -> list[Workspace]:
    """Which of a token's workspaces to add: --all, the only one, or the user's pick."""
    if not workspaces:
        raise WorkspaceError("this personal access token has no workspaces; nothing was saved")
    if args.all:
        return workspaces
    if len(workspaces) == 1:
        return workspaces
    _print_choices(workspaces)
    if not interactive():
        raise WorkspaceError(
            f"the token can act in {len(workspaces)} workspaces: pass --workspace-id ID to add "
            "one, or --all to add each as its own profile; nothing was saved"
        )
    while True:
        answer = ask(f"Add which one? [1-{len(workspaces)}, or 'all' for each as NAME-<slug>] ")
        if answer.casefold() == "all":
            return workspaces
        if answer.isdigit() and 1 <= int(answer) <= len(workspaces):
            return [workspaces[int(answer) - 1]]
        say(f"Type a number from 1 to {len(workspaces)}, or 'all'.", file=sys.stderr)


def _print_choices(workspaces: list[Workspace]) -> None:
    say("The token can act in these workspaces:", file=sys.stderr)
    for i, ws in enumerate(workspaces, 1):
        sandbox = "  [sandbox]" if ws.is_sandbox else ""
        say(f"  {i}. {ws.name} ({ws.workspace_id}){sandbox}", file=sys.stderr)


def _print_added(added: AddedProfile, *, activated: bool) -> None:
    ws = added.workspace
    verb = "updated" if added.replaced else "added"
    say(
        f"{verb} profile {quoted(added.profile.name)}: workspace {quoted(ws.name)} "
        f"({ws.workspace_id}), "
        f"sandbox: {yes(ws.is_sandbox)}, endpoint {added.profile.endpoint}, "
        f"read-only: {yes(added.profile.read_only)}"
    )
    if activated:
        say(f"{quoted(added.profile.name)} is now the active profile")
    else:
        say(f"switch to it with: {PROG} workspace use {added.profile.name}")
