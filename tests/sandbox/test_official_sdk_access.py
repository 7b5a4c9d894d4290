"""The official `seam` SDK against the served sandbox: every access method it has."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from seam.exceptions import SeamHttpApiError, SeamHttpInvalidInputError
from seam.pagination import PaginatedList
from seam.seam import Seam

from tests.sandbox.test_serve import serving


@pytest.fixture(scope="module")
def seam(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seam]:
    """One served sandbox for the module: each test undoes its changes to the demo."""
    db: Path = tmp_path_factory.mktemp("sdk") / "served.sqlite3"
    with (
        serving(db) as (_process, info),
        Seam(api_key=info["workspaces"][0]["api_key"], endpoint=info["url"]) as client,
    ):
        yield client


def identity_id(seam: Seam, name: str) -> str:
    found = seam.user_identities.list(search=name)
    return next(i.user_identity_id for i in found if i.full_name == name)


def test_devices(seam: Seam) -> None:
    page = seam.devices.list(limit=5)
    assert isinstance(page, PaginatedList)
    assert len(page) == 5
    assert page.pagination is not None
    assert page.pagination["has_next_page"] is True
    everything = seam.create_paginator(seam.devices.list, {"limit": 3}).flatten_to_list()
    assert len(everything) == 8
    schlage = seam.devices.list(device_types=["schlage_lock"], manufacturer="schlage")
    assert [d.display_name for d in schlage] == ["Front Door", "Back Door"]
    device = seam.devices.get(device_id=schlage[1].device_id)
    assert device.properties is not None
    assert device.properties.battery is not None
    assert device.properties.battery.status == "low"
    assert device.device_manufacturer is not None
    assert device.device_manufacturer.display_name == "Schlage"
    assert seam.devices.get(name="Cottage Door").device_type == "nuki_lock"
    with pytest.raises(SeamHttpApiError) as caught:
        seam.devices.get(device_id="00000000-0000-4000-8000-000000000000")
    assert caught.value.code == "device_not_found"


def test_device_grants(seam: Seam) -> None:
    zara = identity_id(seam, "Zara Ahmed")
    device = seam.devices.list(search="Pool House")[0]
    seam.user_identities.grant_access_to_device(user_identity_id=zara, device_id=device.device_id)
    seam.user_identities.grant_access_to_device(user_identity_id=zara, device_id=device.device_id)
    granted = seam.user_identities.list_accessible_devices(user_identity_id=zara)
    assert [d.device_id for d in granted] == [device.device_id]
    assert granted[0].errors[0].error_code == "device_offline"
    seam.user_identities.revoke_access_to_device(user_identity_id=zara, device_id=device.device_id)
    assert seam.user_identities.list_accessible_devices(user_identity_id=zara) == []
    marcus = identity_id(seam, "Marcus Chen")
    assert len(seam.user_identities.list_accessible_devices(user_identity_id=marcus)) == 3


def test_entrances(seam: Seam) -> None:
    tower = next(s for s in seam.acs.systems.list() if s.name == "Acme Tower")
    listed = seam.acs.entrances.list(acs_system_id=tower.acs_system_id, limit=2)
    assert isinstance(listed, PaginatedList)
    assert [e.display_name for e in listed] == ["Main Lobby Door", "Gym"]
    assert listed.pagination is not None
    assert listed.pagination["has_next_page"] is True
    pool = seam.acs.entrances.get(
        acs_entrance_id=seam.acs.entrances.list(search="Pool")[0].acs_entrance_id
    )
    assert pool.is_locked is False
    lobby = seam.acs.entrances.list(search="Main Lobby")[0]
    holders = seam.acs.entrances.list_credentials_with_access(acs_entrance_id=lobby.acs_entrance_id)
    assert [c.display_name for c in holders] == [
        "Multi Phone Sync Credential",
        "Mobile key (iPhone 15)",
    ]
    group = next(g for g in seam.acs.access_groups.list() if g.name == "Gym & Pool")
    opened = seam.acs.access_groups.list_accessible_entrances(
        acs_access_group_id=group.acs_access_group_id
    )
    assert [e.display_name for e in opened] == ["Gym", "Pool Gate"]
    marcus = identity_id(seam, "Marcus Chen")
    reached = seam.user_identities.list_accessible_entrances(user_identity_id=marcus)
    assert [e.display_name for e in reached] == [
        "Main Lobby Door",
        "Rooftop Terrace",
        "Bike Storage",
    ]
    by_user = seam.acs.users.list_accessible_entrances(user_identity_id=marcus)
    assert [e.acs_entrance_id for e in by_user] == [e.acs_entrance_id for e in reached]


def test_credential_lifecycle(seam: Seam) -> None:
    demo = seam.acs.credentials.list(limit=4)
    assert len(demo) == 4
    assert isinstance(demo, PaginatedList)
    assert demo.pagination is not None
    assert demo[0].is_multi_phone_sync_credential is True
    assert (
        seam.acs.credentials.get(
            acs_credential_id=demo[1].acs_credential_id
        ).parent_acs_credential_id
        == demo[0].acs_credential_id
    )
    lofts = next(s for s in seam.acs.systems.list() if s.name == "Harbor Lofts")
    person = seam.user_identities.create(
        full_name="SDK Access", email_address="sdk.access@example.com"
    )
    entrance = seam.acs.entrances.list(acs_system_id=lofts.acs_system_id)[0]
    created = seam.acs.credentials.create(
        access_method="code",
        user_identity_id=person.user_identity_id,
        acs_system_id=lofts.acs_system_id,
        code="1357",
        allowed_acs_entrance_ids=[entrance.acs_entrance_id],
        ends_at="2035-01-01T00:00:00Z",
    )
    assert created.code == "1357"
    assert created.user_identity_id == person.user_identity_id
    credential_id = created.acs_credential_id
    mine = seam.acs.credentials.list(user_identity_id=person.user_identity_id)
    assert [c.acs_credential_id for c in mine] == [credential_id]
    opened = seam.acs.credentials.list_accessible_entrances(acs_credential_id=credential_id)
    assert [e.acs_entrance_id for e in opened] == [entrance.acs_entrance_id]
    assert [
        e.acs_entrance_id for e in seam.acs.entrances.list(acs_credential_id=credential_id)
    ] == [entrance.acs_entrance_id]
    seam.acs.credentials.update(acs_credential_id=credential_id, code="2468")
    assert seam.acs.credentials.get(acs_credential_id=credential_id).code == "2468"
    seam.acs.credentials.unassign(
        acs_credential_id=credential_id, user_identity_id=person.user_identity_id
    )
    assert seam.acs.credentials.get(acs_credential_id=credential_id).acs_user_id is None
    seam.acs.credentials.assign(
        acs_credential_id=credential_id, user_identity_id=person.user_identity_id
    )
    assert (
        seam.acs.credentials.get(acs_credential_id=credential_id).user_identity_id
        == person.user_identity_id
    )
    seam.acs.users.revoke_access_to_all_entrances(user_identity_id=person.user_identity_id)
    assert seam.acs.credentials.list_accessible_entrances(acs_credential_id=credential_id) == []
    with pytest.raises(SeamHttpInvalidInputError) as caught:
        seam.acs.credentials.create(
            access_method="code", acs_user_id=created.acs_user_id, code="12ab"
        )
    assert caught.value.validation_errors[0].parameter_name == "code"
    seam.acs.credentials.delete(acs_credential_id=credential_id)
    with pytest.raises(SeamHttpApiError) as missing:
        seam.acs.credentials.get(acs_credential_id=credential_id)
    assert missing.value.code == "acs_credential_not_found"
    seam.user_identities.delete(user_identity_id=person.user_identity_id)


def test_instant_keys(seam: Seam) -> None:
    zara = identity_id(seam, "Zara Ahmed")
    key = seam.user_identities.generate_instant_key(user_identity_id=zara, max_use_count=2)
    assert key.instant_key_url.startswith("https://ik.seam.co/")
    assert key.user_identity_id == zara
    assert [k.instant_key_id for k in seam.instant_keys.list(user_identity_id=zara)] == [
        key.instant_key_id
    ]
    assert (
        seam.instant_keys.get(instant_key_url=key.instant_key_url).instant_key_id
        == key.instant_key_id
    )
    assert seam.instant_keys.get(instant_key_id=key.instant_key_id).expires_at == key.expires_at
    assert len(seam.instant_keys.list()) == 2  # with the demo's key
    seam.instant_keys.delete(instant_key_id=key.instant_key_id)
    with pytest.raises(SeamHttpApiError) as caught:
        seam.instant_keys.get(instant_key_id=key.instant_key_id)
    assert caught.value.code == "instant_key_not_found"
    with pytest.raises(SeamHttpInvalidInputError) as invalid:
        seam.user_identities.generate_instant_key(user_identity_id=zara, max_use_count=0)
    assert invalid.value.validation_errors[0].parameter_name == "max_use_count"
