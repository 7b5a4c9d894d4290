"""The demo data (bulk rows for benchmarks: `seed_bulk`).

The demo is built from a fixed random seed, so ids and timestamps are the same on every run
(screenshots stay stable); only the API keys and the personal access token are random. It has
two workspaces with different people. "Acme Property Sandbox" has four access systems of
different brands, 25 identities and 60 ACS users: linked and unlinked, suspended, with past,
current and future access schedules, some with errors, warnings or a pending mutation, and
six unlinked ACS users whose email or phone equals an identity's (suggested matches), and
one object in each pending state that never settles (`seed_pending`).
Acme also has devices, entrances, credentials, device grants and an instant key
(`seed_access`).
"""

from __future__ import annotations

import json
import random
import secrets
import sqlite3
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from seam_tui.sandbox import repo
from seam_tui.sandbox.params import canonical_time
from seam_tui.sandbox.seed_access import seed_acme_access
from seam_tui.sandbox.seed_pending import seed_pending_states

DEMO_SEED = 20250303
DEMO_START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)

# Schedules relative to fixed dates far from "now", so their state stays put for years.
CURRENT = ("2025-01-01T00:00:00.000Z", "2030-12-31T23:59:59.000Z")
PAST = ("2024-09-01T00:00:00.000Z", "2025-06-30T23:59:59.000Z")
FUTURE = ("2031-01-01T00:00:00.000Z", "2031-06-30T23:59:59.000Z")

ACME_PEOPLE = [
    "Jane Doe", "Marcus Chen", "Priya Patel", "Tomás García", "Aisha Bello",
    "Liam O'Connor", "Sofia Rossi", "Kenji Watanabe", "Amara Okafor", "Noah Fischer",
    "Elena Petrova", "David Kim", "Fatima Al-Sayed", "Lucas Martin", "Hannah Schmidt",
    "Omar Haddad", "Grace Lee", "Mateo Silva", "Chloé Dubois", "Ravi Kumar",
    "Isabella Costa", "Ethan Brooks", "Yuki Tanaka", "Zara Ahmed", "Samuel Adeyemi",
]  # fmt: skip
GLOBEX_PEOPLE = [
    "Hank Scorpio", "Frank Grimes", "Lisa Nguyen", "Mona Berg",
    "Victor Lindqvist", "Ana Souza", "Peter Novak", "Ingrid Olsen",
]  # fmt: skip


def new_api_key() -> str:
    """Shaped like a real sandbox key (`seam_test...`), which SDKs check for."""
    return "seam_test" + secrets.token_urlsafe(24)


def new_personal_access_token() -> str:
    return "seam_at" + secrets.token_urlsafe(24)


def insert_workspace(
    db: sqlite3.Connection,
    name: str,
    *,
    workspace_id: str | None = None,
    created_at: str | None = None,
) -> str:
    """A new sandbox workspace with a fresh API key; returns its id."""
    workspace_id = workspace_id or repo.new_id()
    db.execute(
        "INSERT INTO workspaces (workspace_id, name, company_name, api_key, organization_id,"
        " created_at) VALUES (?, ?, ?, ?, NULL, ?)",
        (
            workspace_id,
            name,
            name.removesuffix(" Sandbox"),
            new_api_key(),
            created_at or repo.now(),
        ),
    )
    return workspace_id


def ensure_personal_access_token(db: sqlite3.Connection, *, renew: bool = False) -> None:
    verb = "REPLACE" if renew else "IGNORE"
    db.execute(
        f"INSERT OR {verb} INTO meta (key, value) VALUES ('personal_access_token', ?)",
        (new_personal_access_token(),),
    )


@dataclass
class _Demo:
    """Deterministic id and timestamp source for one demo build."""

    db: sqlite3.Connection
    rng: random.Random
    clock: datetime = DEMO_START

    def id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def tick(self) -> str:
        self.clock += timedelta(minutes=self.rng.randint(3, 90), seconds=self.rng.randint(0, 59))
        return canonical_time(self.clock)

    def system(
        self, workspace_id: str, name: str, brand: str, time_zone: str, **issues: Any
    ) -> str:
        system_id = self.id()
        self.db.execute(
            "INSERT INTO acs_systems (acs_system_id, workspace_id, connected_account_id, name,"
            " external_type, time_zone, warnings, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                system_id,
                workspace_id,
                self.id(),
                name,
                brand,
                time_zone,
                json.dumps(issues.get("warnings", [])),
                self.tick(),
            ),
        )
        return system_id

    def identities(
        self, workspace_id: str, people: list[str], domain: str, phone_prefix: str, key: str
    ) -> list[sqlite3.Row]:
        """Identities for `people`: every third has no key, every fifth no phone, and the
        24th (Zara Ahmed in Acme) only a phone."""
        rows = []
        for index, name in enumerate(people):
            rows.append(
                repo.insert_identity(
                    self.db,
                    workspace_id,
                    key=f"{key}-{1001 + index}" if index % 3 != 2 else None,
                    email=None if index == 23 else _email(name, domain),
                    phone=None if index % 5 == 4 else f"{phone_prefix}{100 + index}",
                    full_name=name,
                    identity_id=self.id(),
                    created_at=self.tick(),
                )
            )
        return rows

    def acs_user(
        self,
        workspace_id: str,
        system_id: str,
        *,
        name: str,
        email: str | None = None,
        phone: str | None = None,
        identity: sqlite3.Row | None = None,
        schedule: tuple[str, str] | None = None,
        suspended: bool = False,
        **issues: list[dict[str, Any]],
    ) -> str:
        if identity is not None:
            email, phone = identity["email_address"], identity["phone_number"]
        acs_user_id = repo.insert_acs_user(
            self.db,
            workspace_id,
            system_id,
            full_name=name,
            email=email,
            phone=phone,
            identity_id=None if identity is None else identity["user_identity_id"],
            starts_at=None if schedule is None else schedule[0],
            ends_at=None if schedule is None else schedule[1],
            acs_user_id=self.id(),
            created_at=self.tick(),
        )
        self.db.execute(
            "UPDATE acs_users SET is_suspended = ?, errors = ?, warnings = ?,"
            " pending_mutations = ? WHERE acs_user_id = ?",
            (
                int(suspended),
                json.dumps(issues.get("errors", [])),
                json.dumps(issues.get("warnings", [])),
                json.dumps(issues.get("pending_mutations", [])),
                acs_user_id,
            ),
        )
        return acs_user_id

    def group(self, workspace_id: str, system_id: str, name: str, members: list[str]) -> None:
        group_id = self.id()
        self.db.execute(
            "INSERT INTO acs_access_groups (acs_access_group_id, workspace_id, acs_system_id,"
            " name, created_at) VALUES (?, ?, ?, ?, ?)",
            (group_id, workspace_id, system_id, name, self.tick()),
        )
        self.db.executemany(
            "INSERT INTO acs_access_group_members (acs_access_group_id, acs_user_id) VALUES (?, ?)",
            [(group_id, member) for member in members],
        )

    def issue(self, code_field: str, code: str, message: str, **extra: Any) -> dict[str, Any]:
        """An error, warning or pending mutation, dated a day after the object it is for."""
        created_at = canonical_time(self.clock + timedelta(days=1))
        return {code_field: code, "message": message, "created_at": created_at, **extra}


def seed_demo(db: sqlite3.Connection) -> None:
    """Insert the demo workspaces (into an empty database)."""
    demo = _Demo(db, random.Random(DEMO_SEED))
    _seed_acme(demo)
    _seed_globex(demo)
    seed_acme_access(demo)  # last, so the ids and times above stay as they were
    seed_pending_states(db)  # one object in each pending state (no ids or times drawn)


def _seed_acme(demo: _Demo) -> None:
    ws = insert_workspace(
        demo.db, "Acme Property Sandbox", workspace_id=demo.id(), created_at=demo.tick()
    )
    salto = demo.system(ws, "Acme Tower", "salto_ks_site", "America/New_York")
    brivo = demo.system(ws, "Acme HQ Offices", "brivo_account", "America/Chicago")
    latch = demo.system(ws, "Harbor Lofts", "latch_building", "America/Los_Angeles")
    kisi = demo.system(
        ws,
        "Acme Warehouse",
        "kisi_organization",
        "America/Denver",
        warnings=[
            demo.issue(
                "warning_code",
                "setup_required",
                "Finish setting up this Kisi organization to manage its entrances.",
            )
        ],
    )
    people = demo.identities(ws, ACME_PEOPLE, "example.com", "+12125550", "acme")
    members: dict[str, list[str]] = {}

    def linked(system: str, index: int, **options: Any) -> None:
        person = people[index]
        acs_user_id = demo.acs_user(
            ws, system, name=person["full_name"], identity=person, **options
        )
        members.setdefault(system, []).append(acs_user_id)

    for index in range(18):
        options: dict[str, Any] = {}
        if index in (2, 8):
            options["schedule"] = CURRENT
        if index in (7, 16):
            options["suspended"] = True
        if index == 6:
            options["errors"] = [
                demo.issue(
                    "error_code",
                    "salto_ks_subscription_limit_exceeded",
                    "The Salto KS site has no free user subscriptions.",
                )
            ]
            options["warnings"] = [
                demo.issue(
                    "warning_code",
                    "salto_ks_user_not_subscribed",
                    "This user is not subscribed on Salto KS and cannot use mobile keys.",
                )
            ]
        linked(salto, index, **options)
    for index in range(0, 21, 2):
        options = {}
        if index == 10:
            options["schedule"] = PAST
        if index == 12:
            options["errors"] = [
                demo.issue(
                    "error_code",
                    "failed_to_update_on_acs_system",
                    "Brivo rejected the update: the phone number format is not accepted.",
                )
            ]
        if index == 14:
            options["pending_mutations"] = [
                demo.issue(
                    "mutation_code",
                    "updating_user_information",
                    "Seam is updating this user's information on Brivo.",
                    **{
                        "from": {"full_name": "Hannah Schmitt"},
                        "to": {"full_name": "Hannah Schmidt"},
                    },
                )
            ]
        linked(brivo, index, **options)
    for index in range(5, 13):
        options = {}
        if index == 7:
            options["suspended"] = True
        if index == 11:
            options["warnings"] = [
                demo.issue(
                    "warning_code",
                    "latch_resident_user",
                    "This user is a resident and is managed by the property's Latch admin.",
                )
            ]
        linked(latch, index, **options)
    for index in range(15, 20):
        options = {}
        if index == 18:
            options["pending_mutations"] = [
                demo.issue(
                    "mutation_code",
                    "deferring_creation",
                    "The user will be created on Kisi when a credential is issued.",
                    scheduled_at=FUTURE[0],
                )
            ]
        linked(kisi, index, **options)

    # Unlinked ACS users whose email or phone equals an identity's: suggested matches.
    suggestions = [
        (salto, 21, "Ethan Brooks", "email"),
        (brivo, 22, "Yuki T.", "phone"),
        (latch, 24, "Sam Adeyemi", "email"),
        (brivo, 1, "Marcus Chen", "EMAIL"),  # same email in other case
        (brivo, 3, "Tomas Garcia", "phone"),
        (latch, 13, "Lucas Martin", "email"),
    ]
    for system, index, name, match in suggestions:
        person = people[index]
        if match == "phone":
            member = demo.acs_user(ws, system, name=name, phone=person["phone_number"])
        else:
            address = person["email_address"]
            address = address.title() if match == "EMAIL" else address
            member = demo.acs_user(ws, system, name=name, email=address)
        members.setdefault(system, []).append(member)

    # Unlinked ACS users that match nobody.
    others: list[tuple[str, str, str | None, str | None, dict[str, Any]]] = [
        (salto, "Front Desk Tablet", None, None, {}),
        (salto, "Cleaning Crew", "cleaning@contractors.example.net", None, {}),
        (salto, "Alex Moore", "alex.moore@example.org", "+13105550142", {"schedule": PAST}),
        (brivo, "Maintenance - Bob Ray", None, "+13125550177", {}),
        (brivo, "Former Tenant - Dana Wu", "dana.wu@example.org", None, {"suspended": True}),
        (brivo, "Jin Park", "jin.park@contractors.example.net", None, {"schedule": FUTURE}),
        (latch, "Package Room", None, None, {}),
        (latch, "Dog Walker - Rosa", None, "+14155550188", {"schedule": CURRENT}),
        (kisi, "Forklift Team", "forklift@example.net", None, {}),
        (
            kisi,
            "Visitor Pass 17",
            None,
            None,
            {
                "warnings": [
                    demo.issue(
                        "warning_code",
                        "unknown_issue_with_acs_user",
                        "Kisi reported an unknown problem with this user.",
                    )
                ]
            },
        ),
        (kisi, "Night Guard", "guard@security.example.net", "+17205550111", {}),
        (salto, "Pool Lifeguard", "lifeguard@example.net", None, {"schedule": CURRENT}),
    ]
    for system, name, address, phone, extra in others:
        member = demo.acs_user(ws, system, name=name, email=address, phone=phone, **extra)
        members.setdefault(system, []).append(member)

    demo.group(ws, salto, "Main Entrance", members[salto][:10])
    demo.group(ws, salto, "Gym & Pool", members[salto][::3])
    demo.group(ws, brivo, "Office Staff", members[brivo][:11])
    demo.group(ws, brivo, "After Hours", members[brivo][1:6:2])
    demo.group(ws, kisi, "Warehouse Floor", members[kisi][:5])
    demo.group(ws, kisi, "Loading Dock", members[kisi][2:])


def _seed_globex(demo: _Demo) -> None:
    ws = insert_workspace(
        demo.db, "Globex Offices Sandbox", workspace_id=demo.id(), created_at=demo.tick()
    )
    visionline = demo.system(ws, "Globex HQ", "visionline_system", "Europe/London")
    space = demo.system(ws, "Globex Annex", "salto_space_system", "Europe/Berlin")
    people = demo.identities(ws, GLOBEX_PEOPLE, "globex.example.org", "+442079460", "globex")
    annex: list[str] = []
    for index in range(6):
        person = people[index]
        demo.acs_user(ws, visionline, name=person["full_name"], identity=person)
    for index in range(2, 7):
        person = people[index]
        options: dict[str, Any] = {"suspended": True} if index == 4 else {}
        annex.append(demo.acs_user(ws, space, name=person["full_name"], identity=person, **options))
    demo.acs_user(ws, visionline, name="Ingrid Olsen", email=people[7]["email_address"])
    annex.append(demo.acs_user(ws, space, name="Reception Kiosk"))
    demo.group(ws, space, "Staff", annex)
    demo.group(ws, space, "Executives", annex[:2])


def _email(name: str, domain: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    local = ".".join(part.replace("'", "") for part in plain.lower().split())
    return f"{local}@{domain}"
