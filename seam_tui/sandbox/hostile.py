"""A sandbox workspace full of hostile data, to test that every front end shows values literally.

Names, emails, phones and keys are typed by customers' own users, so anything may be in them:
markup, terminal escapes, bidi overrides, invisible and huge values. `seed_hostile` adds a new
workspace (built-in profile `sandbox-hostile`; the demo workspaces stay clean) through the real
stack: what the API accepts goes through `SeamClient` over HTTP; what only an access system or
Seam itself writes goes straight into the store. Every hostile value holds a readable ASCII
marker (`HOSTILE-07`; the workspace name's is `Hostile`) so tests can find where it is shown.
Ids written directly are fixed; ids and timestamps the API assigns are not, but the order is.
Devices and entrances (`hostile_access`) carry hostile names too. There is no NUL (U+0000): the
real API's database cannot store one, so the API refuses it (400) and it never comes back.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from seam_tui.core import SeamClient
from seam_tui.sandbox.hostile_access import AccessNames, access_fixtures, grant_devices
from seam_tui.sandbox.sandbox import Sandbox
from seam_tui.sandbox.seed import PAST, _Demo, insert_workspace

HOSTILE_PROFILE = "sandbox-hostile"
HOSTILE_WORKSPACE_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "seam-tui:sandbox:hostile"))
HOSTILE_SEED = 20250404
HOSTILE_START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # after the demo: never the first profile
LONG = 10_000
# Far from "now" in both directions, so the API accepts them (ends in the future) for decades.
CURRENT = {"starts_at": "2025-01-01T00:00:00.000Z", "ends_at": "2099-12-31T23:59:59.000Z"}
FUTURE = {"starts_at": "2098-01-01T00:00:00.000Z", "ends_at": "2099-06-30T23:59:59.000Z"}


@dataclass(frozen=True)
class Sample:
    """One hostile value, what it tests (`label`) and the ASCII word inside it (`marker`)."""

    label: str
    value: str
    marker: str


def _s(number: int, label: str, template: str, *, pad: str = "") -> Sample:
    """A sample whose `{M}` is replaced by `HOSTILE-<number>`; with `pad`, LONG characters."""
    marker = f"HOSTILE-{number:02d}"
    value = template.replace("{M}", marker)
    if pad:
        value = (value + pad * LONG)[:LONG]
    return Sample(label, value, marker)


# Identity (and ACS user) full names: one of each kind of trouble.
NAMES: tuple[Sample, ...] = (
    _s(1, "markup: unknown style tag", "Jane [contractor] Doe {M}"),
    _s(2, "markup: leading tag", "[temp] Alice {M}"),
    _s(3, "markup: bold", "[b]{M} bold[/b]"),
    _s(4, "markup: unclosed colour", "[red]{M} x"),
    _s(5, "markup: lone [/]", "{M} [/]"),
    _s(6, "markup: lone [/b]", "{M} [/b]"),
    _s(7, "markup: link", "[link=https://evil.example]{M} click[/link]"),
    _s(8, "click action: suspend", "[@click=screen.suspend]{M} Harmless[/]"),
    _s(9, "click action: confirm", "[@click=screen.confirm]{M} OK[/]"),
    _s(10, "click action: quit", "[@click=app.quit]{M} Quit[/]"),
    _s(11, "OSC 0 window title", "{M} \x1b]0;pwned-title\x07"),
    _s(12, "OSC 8 hyperlink", "{M} \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\"),
    _s(13, "OSC 52 clipboard", "{M} \x1b]52;c;cHduZWQ=\x07"),
    _s(14, "CSI clear screen", "{M} \x1b[2J"),
    _s(15, "CSI colour", "\x1b[31m{M} red\x1b[0m"),
    _s(16, "CSI cursor up", "{M} \x1b[1A"),
    _s(17, "C0: SOH, STX, ETX", "{M} soh\x01stx\x02etx\x03"),
    _s(18, "C0: BEL", "{M} bell\x07"),
    _s(19, "C0: backspaces", "{M} Mallory\x08\x08\x08\x08\x08\x08\x08Alice"),
    _s(20, "C0: carriage return", "{M} Evil\rGood"),
    _s(21, "C0: newline", "{M} line\nbreak"),
    _s(22, "C0: tab", "{M}\ttab"),
    _s(23, "DEL", "{M} del\x7f"),
    _s(24, "C1: CSI clear screen", "{M} \x9b2J"),
    _s(25, "C1: OSC ... ST", "{M} \x9d0;x\x9c"),
    _s(26, "C1: NEL", "{M} next\x85line"),
    _s(27, "bidi: RLO override", "{M} \u202eexe.txt"),
    _s(28, "bidi: unclosed LRI isolate", "{M} \u2066isolate"),
    _s(29, "bidi: RLM mark", "{M} \u200fmark"),
    _s(30, "zero-width space", "{M} zero\u200bwidth"),
    _s(31, "zero-width joiner", "{M} z\u200dwj"),
    _s(32, "BOM", "\ufeff{M} bom"),
    _s(33, "word joiner", "{M} word\u2060joiner"),
    _s(34, "tag characters", "{M} tag\U000e0041\U000e0042"),
    _s(35, "combining marks", "{M} Ze\u0301\u0301\u0301\u0301lgo"),
    _s(
        36,
        "emoji with ZWJ sequences and skin tone",
        "{M} \U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
        " \U0001f3f3\ufe0f\u200d\U0001f308 \U0001f44d\U0001f3fd",
    ),
    _s(37, "right-to-left: Arabic", "{M} محمد عبد الله"),
    _s(38, "right-to-left: Hebrew", "{M} דוד כהן"),
    _s(39, "CJK and fullwidth", "{M} 山田太郎 Ｆｕｌｌｗｉｄｔｈ"),
    _s(40, "10,000 characters of words", "{M} ", pad="Wolfeschlegelsteinhausenberger "),
    _s(41, "10,000 wide characters", "{M} ", pad="長"),
)
KEYS: tuple[Sample, ...] = (
    _s(42, "key: markup", "key:[b]{M}[/b]"),
    _s(43, "key: click action", "key:[@click=app.quit]{M}[/]"),
    _s(44, "key: OSC title", "key:{M}\x1b]0;pwned-title\x07"),
    _s(45, "key: bidi", "key:{M}\u202e\u2066"),
    _s(46, "key: zero-width", "key:{M}\u200b\u200d"),
    _s(47, "key: newline", "key:{M}\nsecond-line"),
    _s(48, "key: 10,000 characters", "key:{M}:", pad="k"),
    _s(49, "key: emoji", "key:{M}:\U0001f511\U0001f5dd\ufe0f"),
)
# The API takes any non-empty string as a phone number (E.164 is documented, not enforced).
PHONES: tuple[Sample, ...] = (
    _s(50, "phone: markup", "+1 555 {M} [b]0100[/b]"),
    _s(51, "phone: CSI", "+1555{M}\x1b[2J"),
    _s(52, "phone: bidi", "+1555{M}\u202e0100"),
    _s(53, "phone: C0 controls", "+1555 {M}\x01\x1f"),
    _s(54, "phone: Arabic-Indic digits", "+١٥٥٥ {M}"),
    _s(55, "phone: CR LF", "+1555{M}\r\n"),
    _s(56, "phone: click action", "tel:[@click=app.quit]{M}[/]"),
    _s(57, "phone: 10,000 characters", "+{M}", pad="9"),
)
# Emails the API accepts (zod's email pattern): odd, but valid.
EMAILS: tuple[Sample, ...] = (
    _s(58, "email: quote and plus", "o'{M}+tag@example.com"),
    _s(59, "email: 500-character local part", "{M}-" + "a" * 489 + "@example.com"),
    _s(60, "email: quoted local part", "'{M}'+@example.com"),
    _s(61, "email: underscores and punycode", "{M}_--+@sub-domain.xn--p1ai.example"),
    _s(62, "email: 63-character label", "{M}@" + "a" * 63 + ".example.com"),
)
# Emails the API would reject, as an access system may sync them.
SYNCED_EMAILS: tuple[Sample, ...] = (
    _s(63, "synced email: markup", "[b]{M}[/b]@example.com"),
    _s(64, "synced email: CSI", "{M}\x1b[2J@evil.example"),
    _s(65, "synced email: bidi", "\u202emoc.elpmaxe@{M}"),
    _s(66, "synced email: click action", "[@click=app.quit]{M}[/]@example.com"),
    _s(67, "synced email: header injection", "{M} <evil@example.com>\r\nBcc: x@example.com"),
)
SYSTEM_NAMES: tuple[Sample, ...] = (
    _s(68, "system: click action", "[@click=app.quit]{M} Tower[/]"),
    _s(69, "system: OSC title", "{M} \x1b]0;pwned-title\x07 HQ"),
    _s(70, "system: bidi and markup", "{M} \u202eHarbor\u202c [red]Lofts"),
)
GROUP_NAMES: tuple[Sample, ...] = (
    _s(71, "group: unclosed bold", "[b]{M} Main Entrance"),
    _s(72, "group: lone [/]", "{M} [/] After Hours"),
    _s(73, "group: CSI colour", "{M} \x1b[31mRed Zone\x1b[0m"),
    _s(74, "group: emoji, zero-width, isolate", "{M} \U0001f6aa\u200b\u2066Lobby"),
)
MESSAGES: tuple[Sample, ...] = (
    _s(75, "ACS user error message", "{M} [@click=app.quit]Fix now[/] \x1b[2J"),
    _s(76, "ACS user warning message", "{M} \u202eWARNING\x07 [b]check[/b]"),
    _s(77, "ACS system warning message", "{M} [red]setup required[/red] \x1b]0;pwned\x07"),
    _s(78, "pending mutation message", "{M} updating\x1b[1A\r[/]"),
)
DEVICE_NAMES: tuple[Sample, ...] = (
    _s(79, "device: click action", "[@click=app.quit]{M} Front Door[/]"),
    _s(80, "device: OSC title", "{M} \x1b]0;pwned-title\x07 Lock"),
    _s(81, "device nickname: bidi override", "{M} \u202erood kcab"),
    _s(82, "device location: markup", "[b]{M}[/b] Unit [red]4"),
)
ENTRANCE_NAMES: tuple[Sample, ...] = (
    _s(83, "entrance: unclosed italic", "[i]{M} Lobby"),
    _s(84, "entrance: CSI clear screen", "{M} \x1b[2J Gate"),
    _s(85, "entrance: emoji and zero-width", "{M} \U0001f6aa\u200bDoor"),
)
ACCESS_MESSAGES: tuple[Sample, ...] = (
    _s(86, "device warning message", "{M} [@click=app.quit]check[/] \x1b[1A"),
    _s(87, "entrance warning message", "{M} \u202eprivacy\x07 [b]mode"),
)
# Slugifies to `hostile`: nothing after the first word is a letter or digit.
WORKSPACE_NAME = Sample(
    "workspace name: lone [/], ESC, BEL, backspace, bidi, zero-width",
    "Hostile [/] [@\x1b] \x07\x08 \u202e\u2066\u200b \U0001f4a3",
    "Hostile",
)
# Every sample, each marker once.
CORPUS: tuple[Sample, ...] = (
    (NAMES + KEYS + PHONES + EMAILS + SYNCED_EMAILS + SYSTEM_NAMES + GROUP_NAMES + MESSAGES)
    + (DEVICE_NAMES + ENTRANCE_NAMES + ACCESS_MESSAGES)
    + (WORKSPACE_NAME,)
)


class HostileSeedExists(ValueError):
    """The sandbox already has the hostile workspace."""


@dataclass(frozen=True)
class HostileSeed:
    """What `seed_hostile` made (counts only: every value is in the corpus)."""

    workspace_id: str
    api_key: str
    identities: int
    acs_users: int
    acs_systems: int
    access_groups: int
    profile: str = HOSTILE_PROFILE


@dataclass(frozen=True)
class _Fixtures:
    api_key: str
    systems: list[str]
    groups: list[str]
    synced: list[str]
    devices: list[str]


async def seed_hostile(sandbox: Sandbox) -> HostileSeed:
    """Add the hostile workspace; raises `HostileSeedExists` if it is there already. On any
    failure the half-built workspace is removed again."""
    fixtures = _write_fixtures(sandbox)
    try:
        async with SeamClient(
            api_key=fixtures.api_key, endpoint=sandbox.base_url, transport=sandbox.transport()
        ) as seam:
            identities, api_users = await _seed_through_api(seam, fixtures)
        with sandbox.write() as db:
            grant_devices(db, ws=HOSTILE_WORKSPACE_ID, devices=fixtures.devices)
    except BaseException:
        with sandbox.write() as db:
            for table in ("acs_users", "user_identities", "workspaces"):
                db.execute(f"DELETE FROM {table} WHERE workspace_id = ?", (HOSTILE_WORKSPACE_ID,))
        raise
    return HostileSeed(
        HOSTILE_WORKSPACE_ID,
        fixtures.api_key,
        identities=identities,
        acs_users=api_users + len(fixtures.synced),
        acs_systems=len(fixtures.systems),
        access_groups=len(fixtures.groups),
    )


def _write_fixtures(sandbox: Sandbox) -> _Fixtures:
    """The workspace, its systems, groups and synced ACS users, written directly: the API has
    no endpoint that creates them (they come from Seam or the access system), and synced
    emails, errors and warnings hold values the API itself would never accept."""
    with sandbox.write() as db:
        exists = db.execute(
            "SELECT 1 FROM workspaces WHERE workspace_id = ?", (HOSTILE_WORKSPACE_ID,)
        ).fetchone()
        if exists is not None:
            raise HostileSeedExists(
                f"the sandbox already has the hostile workspace {HOSTILE_WORKSPACE_ID};"
                " `seam-tui sandbox reset` removes it (with everything else)"
            )
        demo = _Demo(db, random.Random(HOSTILE_SEED), clock=HOSTILE_START)
        ws = insert_workspace(
            db, WORKSPACE_NAME.value, workspace_id=HOSTILE_WORKSPACE_ID, created_at=demo.tick()
        )
        warning = demo.issue("warning_code", "setup_required", MESSAGES[2].value)
        systems = [
            demo.system(ws, SYSTEM_NAMES[0].value, "salto_ks_site", "America/New_York"),
            demo.system(ws, SYSTEM_NAMES[1].value, "brivo_account", "Asia/Tokyo"),
            demo.system(
                ws, SYSTEM_NAMES[2].value, "kisi_organization", "Asia/Jerusalem", warnings=[warning]
            ),
        ]
        groups: list[str] = []
        for system, sample in zip((0, 0, 1, 2), GROUP_NAMES, strict=True):
            groups.append(demo.id())
            db.execute(
                "INSERT INTO acs_access_groups (acs_access_group_id, workspace_id, acs_system_id,"
                " name, created_at) VALUES (?, ?, ?, ?, ?)",
                (groups[-1], ws, systems[system], sample.value, demo.tick()),
            )
        error = demo.issue("error_code", "failed_to_update_on_acs_system", MESSAGES[0].value)
        user_warning = demo.issue("warning_code", "unknown_issue_with_acs_user", MESSAGES[1].value)
        mutation = demo.issue(
            "mutation_code",
            "updating_user_information",
            MESSAGES[3].value,
            **{"from": {"full_name": NAMES[9].value}, "to": {"full_name": NAMES[4].value}},
        )
        issues: list[dict[str, Any]] = [
            {"errors": [error]},
            {"warnings": [user_warning], "schedule": (PAST[0], PAST[1])},
            {"pending_mutations": [mutation]},
            {"suspended": True},
            {},
        ]
        synced = [
            demo.acs_user(
                ws, systems[index % 3], name=NAMES[30 + index].value, email=email.value, **extra
            )
            for index, (email, extra) in enumerate(zip(SYNCED_EMAILS, issues, strict=True))
        ]
        db.execute(
            "INSERT INTO acs_access_group_members (acs_access_group_id, acs_user_id)"
            " VALUES (?, ?), (?, ?)",
            (groups[0], synced[0], groups[2], synced[1]),
        )
        devices = access_fixtures(
            demo,
            AccessNames(
                devices=[sample.value for sample in DEVICE_NAMES],
                entrances=[sample.value for sample in ENTRANCE_NAMES],
                device_warning=ACCESS_MESSAGES[0].value,
                entrance_warning=ACCESS_MESSAGES[1].value,
                credential=NAMES[36].value,
            ),
            systems[0],
            groups,
            synced[0],
        )
        api_key = db.execute(
            "SELECT api_key FROM workspaces WHERE workspace_id = ?", (ws,)
        ).fetchone()[0]
    return _Fixtures(str(api_key), systems, groups, synced, devices)


async def _seed_through_api(seam: SeamClient, fx: _Fixtures) -> tuple[int, int]:
    """Identities and ACS users, linked, suspended, scheduled and grouped, as a client would
    make them; returns (identities, ACS users) created."""
    salto, brivo, kisi = fx.systems
    ids: list[str] = []
    for index, name in enumerate(NAMES):
        identity = await seam.user_identities.create(
            full_name=name.value,
            user_identity_key=KEYS[index].value if index < len(KEYS) else None,
            phone_number=PHONES[index - 4].value if 4 <= index < 4 + len(PHONES) else None,
            email_address=EMAILS[index - 10].value if 10 <= index < 10 + len(EMAILS) else None,
        )
        ids.append(identity.user_identity_id)
    users: list[str] = []
    # Linked at creation, in the Salto system: identities 0-9, some scheduled or grouped.
    for index in range(10):
        user = await seam.acs.users.create(
            acs_system_id=salto,
            full_name=NAMES[index].value,
            phone_number=PHONES[index - 4].value if index >= 4 else None,
            user_identity_id=ids[index],
            acs_access_group_ids=[fx.groups[index % 2]] if index < 6 else None,
            access_schedule={2: CURRENT, 5: FUTURE}.get(index),
        )
        users.append(user.acs_user_id)
    # Created unlinked in Brivo, then linked: by id, and once by the identity's hostile key.
    for index in range(10, 16):
        user = await seam.acs.users.create(
            acs_system_id=brivo,
            full_name=NAMES[50 - index].value,
            email_address=EMAILS[index - 10].value if index < 15 else None,
            phone_number=PHONES[index - 10].value,
        )
        users.append(user.acs_user_id)
        if index == 15:
            await seam.user_identities.add_acs_user(
                acs_user_id=user.acs_user_id, user_identity_key=KEYS[3].value
            )
        else:
            await seam.user_identities.add_acs_user(
                acs_user_id=user.acs_user_id, user_identity_id=ids[index]
            )
    # Unlinked in Kisi, named with click actions and markup.
    for name in (NAMES[7], NAMES[8], NAMES[9], NAMES[2], NAMES[40]):
        user = await seam.acs.users.create(
            acs_system_id=kisi, full_name=name.value, email_address=EMAILS[0].value
        )
        users.append(user.acs_user_id)
    await seam.acs.users.suspend(acs_user_id=users[1])
    await seam.acs.users.suspend(acs_user_id=users[17])
    for user_index, group_index in ((10, 2), (16, 3), (17, 3)):
        await seam.acs.users.add_to_access_group(
            acs_user_id=users[user_index], acs_access_group_id=fx.groups[group_index]
        )
    # A synced user with an error, linked: its identity shows `issue_with_acs_user`.
    await seam.user_identities.add_acs_user(acs_user_id=fx.synced[0], user_identity_id=ids[20])
    return len(ids), len(users)
