"""Access tools: find devices, grant or revoke one to a person, and generate an instant key.

What a person can open is read by get_user_identity; access groups by list_acs_systems and
update_acs_user. Summaries name things by id only: names are data, in their own JSON fields.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from agent_tools.context import ToolContext
from agent_tools.outputs_access import (
    DeviceAccessChangeOut,
    DeviceOut,
    DevicePage,
    InstantKeyChangeOut,
    InstantKeyOut,
)
from agent_tools.plans import id_text, previewed
from agent_tools.tool import CHANGE, CREATE, READ, Count, DryRunInput, Flag, Tool, ToolInput, tool
from agent_tools.tools_identities import PageInput
from seam_tui.core.inputs_access import MAX_INSTANT_KEY_USES, DeviceGrant, InstantKeyRequest
from seam_tui.core.paging import exact_page


class SearchDevicesInput(PageInput):
    search: str | None = None


class SetDeviceAccessInput(DryRunInput, DeviceGrant):
    not_sent: ClassVar[frozenset[str]] = DryRunInput.not_sent | {"granted"}

    granted: Flag = Field(description="true grants, false revokes.")


class InstantKeyInput(ToolInput, InstantKeyRequest):
    """Whose key and how many uses (the schema's bounds say enough), plus the workspace."""

    max_use_count: Count = Field(1, ge=1, le=MAX_INSTANT_KEY_USES)


@tool(title="Search devices", hints=READ)
async def search_devices(context: ToolContext, data: SearchDevicesInput) -> DevicePage:
    """Find devices (locks) by name or id.

    Returns device_id, type, brand, online and locked state.
    """
    service = await context.service(data.workspace)
    search = data.search or None
    page = await exact_page(
        lambda cursor, size: service.access.list_devices(search, limit=size, cursor=cursor),
        limit=data.limit,
        cursor=data.cursor,
        filters={"listing": "devices", "workspace": service.workspace, "search": search},
        key=lambda device: device.device_id,
    )
    return DevicePage.of(page, data.limit)


@tool(title="Grant or revoke a device", hints=CHANGE)
async def set_device_access(
    context: ToolContext, data: SetDeviceAccessInput
) -> DeviceAccessChangeOut:
    """Grant a device (lock) to a user identity directly, or revoke that grant.

    Fails, changing nothing, if already granted (or, to revoke, not granted).
    """
    service = await context.service(data.workspace)
    grant = DeviceGrant(user_identity_id=data.user_identity_id, device_id=data.device_id)
    ids = grant.to_params()
    verb, done, where = (
        ("grant", "Granted", "to") if data.granted else ("revoke", "Revoked", "from")
    )
    who = id_text(grant.user_identity_id)
    if data.dry_run:
        device = await service.access.check_device_grant(grant, granted=data.granted)
        preview = f"would {verb} device {id_text(device.device_id)} {where} user identity {who}"
        return DeviceAccessChangeOut(
            summary=previewed(service, f"{verb}_access_to_device", ids, preview),
            dry_run=True,
            user_identity_id=grant.user_identity_id,
            device=DeviceOut.of(device),
        )
    access = service.access
    device = await (access.grant_device(grant) if data.granted else access.revoke_device(grant))
    return DeviceAccessChangeOut(
        summary=f"{done} device {id_text(device.device_id)} {where} user identity {who}.",
        user_identity_id=grant.user_identity_id,
        device=DeviceOut.of(device),
    )


@tool(title="Generate an instant key", hints=CREATE)
async def generate_instant_key(context: ToolContext, data: InstantKeyInput) -> InstantKeyChangeOut:
    """Make an instant key for a user identity: a link that opens their mobile keys on a phone,
    no app.

    Returns instant_key_url (for the person) and expires_at.
    """
    service = await context.service(data.workspace)
    key = await service.access.generate_instant_key(data)  # the workspace is never sent
    return InstantKeyChangeOut(
        summary=f"Generated instant key {id_text(key.instant_key_id)} for user identity "
        f"{id_text(data.user_identity_id)}; it expires at {key.expires_at.isoformat()}.",
        user_identity_id=data.user_identity_id,
        instant_key=InstantKeyOut.of(key),
    )


TOOLS: tuple[Tool[Any, Any], ...] = (search_devices, set_device_access, generate_instant_key)
