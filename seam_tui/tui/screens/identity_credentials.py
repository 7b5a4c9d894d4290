"""The identity screen's Credentials tab: mobile keys, PIN codes (masked until asked) and
cards across the person's systems, then instant keys (show one's QR code, revoke it)."""

from __future__ import annotations

from datetime import UTC, datetime

from textual import on, work
from textual.app import ComposeResult

from seam_tui.core.errors import SeamError
from seam_tui.core.models import InstantKey, UserIdentity
from seam_tui.core.results_access import PersonAccess
from seam_tui.tui.access_text import credential_cells, key_state
from seam_tui.tui.formatting import short_datetime
from seam_tui.tui.literal import lit, quoted, say
from seam_tui.tui.screens.identity_access import problems_text
from seam_tui.tui.screens.instant_key import (
    InstantKeyFormScreen,
    InstantKeyScreen,
    IssuedKey,
    person_name,
)
from seam_tui.tui.widgets.confirm import ConfirmScreen, record
from seam_tui.tui.widgets.key_table import KeyTable
from seam_tui.tui.widgets.pane import Pane, cursor_key, restore_cursor
from seam_tui.tui.widgets.text import Line

CREDENTIAL_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Credential", 30),
    ("System", 22),
    ("Method", 10),
    ("Code / card", 14),
    ("Multi-phone", 11),
    ("Issued", 10),
    ("Window", 35),
    ("Issues", 30),
)
INSTANT_KEY_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Link", 34),
    ("State", 26),
    ("Expires (UTC)", 16),
    ("Created (UTC)", 16),
)


class CredentialsPane(Pane):
    """Credentials across the person's systems, then its instant keys."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.access: PersonAccess | None = None
        self.reveal_codes = False

    def compose(self) -> ComposeResult:
        yield Line(id="credentials-problems", classes="access-problems")
        yield Line("Credentials", id="credentials-title", classes="section-title")
        credentials = KeyTable(id="credentials")
        credentials.add_column_specs(*CREDENTIAL_COLUMNS)
        yield credentials
        yield Line("Instant keys", id="instant-keys-title", classes="section-title")
        keys = KeyTable(id="instant-keys")
        keys.add_column_specs(*INSTANT_KEY_COLUMNS)
        yield keys

    def on_mount(self) -> None:
        self.query_one("#credentials-problems", Line).display = False

    @property
    def credentials_table(self) -> KeyTable:
        return self.query_one("#credentials", KeyTable)

    @property
    def instant_keys_table(self) -> KeyTable:
        return self.query_one("#instant-keys", KeyTable)

    def show(self, access: PersonAccess) -> None:
        self.access = access
        problems = self.query_one("#credentials-problems", Line)
        problems.update(problems_text(access))
        problems.display = bool(access.problems)
        self._fill_credentials()
        self._fill_instant_keys(access.instant_keys)

    def set_reveal(self, reveal: bool) -> None:
        self.reveal_codes = reveal
        self._fill_credentials()

    def _fill_credentials(self) -> None:
        access = self.access
        if access is None:
            return
        table = self.credentials_table
        keep = cursor_key(table)
        table.clear()
        for info in access.credentials:
            table.add_row(
                *credential_cells(
                    info, reveal=self.reveal_codes, person=person_name(access.identity)
                ),
                key=info.credential.acs_credential_id,
            )
        restore_cursor(table, keep)
        codes = any(info.credential.code for info in access.credentials)
        hint = ""
        if codes:
            hint = ": s hides the PIN codes" if self.reveal_codes else ": s shows the PIN codes"
        title = f"Credentials ({len(access.credentials)}){hint}"
        if not access.credentials:
            title = "No credentials: no mobile key, PIN code or card in any system"
        self.query_one("#credentials-title", Line).update(title)

    def _fill_instant_keys(self, keys: list[InstantKey]) -> None:
        table = self.instant_keys_table
        keep = cursor_key(table)
        table.clear()
        now = datetime.now(UTC)
        for key in keys:
            table.add_row(
                key.instant_key_url,
                key_state(key, now),
                short_datetime(key.expires_at),
                short_datetime(key.created_at),
                key=key.instant_key_id,
            )
        restore_cursor(table, keep)
        if self.seam_app.read_only:
            title = (
                f"Instant keys ({len(keys)}): Enter shows the QR code"
                if keys
                else "No instant keys (links that open the mobile keys on a phone)"
            )
        else:
            title = (
                f"Instant keys ({len(keys)}): Enter shows the QR code, i makes another, "
                "x revokes the highlighted one"
                if keys
                else "No instant keys — i makes one (a link that opens the mobile keys on a phone)"
            )
        self.query_one("#instant-keys-title", Line).update(title)
        table.display = bool(keys)

    def highlighted_key(self) -> InstantKey | None:
        key_id = cursor_key(self.instant_keys_table)
        access = self.access
        if key_id is None or access is None:
            return None
        return next((k for k in access.instant_keys if k.instant_key_id == key_id), None)

    # ---------------------------------------------------------------- actions

    def issue_key(self, identity: UserIdentity) -> None:
        """Ask how many uses, generate the key, then show its link and QR code."""

        def issued(result: IssuedKey | None) -> None:
            if result is not None:
                self.app.push_screen(
                    InstantKeyScreen(result.key, person_name(identity), max_uses=result.max_uses)
                )

        self.app.push_screen(InstantKeyFormScreen(identity), issued)

    def show_key(self) -> None:
        key = self.highlighted_key()
        if key is not None and self.access is not None:
            self.app.push_screen(InstantKeyScreen(key, person_name(self.access.identity)))

    @on(KeyTable.RowSelected, "#instant-keys")
    def _key_selected(self) -> None:
        self.show_key()

    def delete_key(self) -> None:
        key = self.highlighted_key()
        if key is None or self.access is None:
            self.notify("This person has no instant key: i makes one.")
            return
        if not self.instant_keys_table.focused_or_say(
            "Tab to the instant keys and highlight the one to revoke, then press x."
        ):
            return
        self._delete(self.access, key)

    @work(exclusive=True, group="access-change")
    async def _delete(self, access: PersonAccess, key: InstantKey) -> None:
        name = person_name(access.identity)
        confirmed = await self.app.push_screen_wait(
            ConfirmScreen(
                say("Revoke the instant key {url}?", url=key.instant_key_url),
                [
                    say("Instant key: {k}", k=record("", key.instant_key_url, key.instant_key_id)),
                    say(
                        "Person: {person}",
                        person=record("", name, access.identity.user_identity_id),
                    ),
                    lit(
                        "The link stops working; a phone that opened it keeps no key. "
                        "i makes a new one."
                    ),
                ],
                confirm_label="Revoke",
            )
        )
        if not confirmed:
            return
        try:
            await self.service.access.delete_instant_key(key.instant_key_id)
        except SeamError as exc:
            self.show_error(exc)
            return
        self.notify(f"Revoked the instant key {quoted(key.instant_key_url)}", title="Revoked")
        self.seam_app.refresh_screens()
