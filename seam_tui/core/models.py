"""Pydantic models of the Seam API's responses.

Unknown fields are kept (`extra="allow"`) so a newer API never breaks parsing; timestamps are
datetimes; ids stay plain strings. Fields the API marks as always present but that a client can
live without get defaults, so one odd object never fails a whole page. Arrays are tuples: a
response is a snapshot, and empty tuples cost neither memory nor garbage-collector time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class SeamModel(BaseModel):
    """Base of every response model: keeps unknown fields, ignores nothing."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class ResourceError(SeamModel):
    """An entry of a resource's `errors` list (discriminated by `error_code`)."""

    error_code: str
    message: str = ""
    created_at: datetime | None = None


class ResourceWarning(SeamModel):
    """An entry of a resource's `warnings` list (discriminated by `warning_code`)."""

    warning_code: str
    message: str = ""
    created_at: datetime | None = None


class PendingMutation(SeamModel):
    """A change still being pushed to the access system (`from`/`to` kept as extra fields)."""

    mutation_code: str
    message: str = ""
    created_at: datetime | None = None


class AccessSchedule(SeamModel):
    """When an ACS user's access starts and (optionally) ends."""

    starts_at: datetime | None = None
    ends_at: datetime | None = None


class UserIdentity(SeamModel):
    """A person in the customer's app; links to at most one ACS user per access system."""

    user_identity_id: str
    user_identity_key: str | None = None
    email_address: str | None = None
    phone_number: str | None = None
    full_name: str | None = None
    display_name: str = ""
    acs_user_ids: tuple[str, ...] = ()
    merged_user_identity_ids: tuple[str, ...] = ()
    merged_user_identity_keys: tuple[str, ...] = ()
    workspace_id: str = ""
    created_at: datetime
    errors: tuple[ResourceError, ...] = ()
    warnings: tuple[ResourceWarning, ...] = ()


class AcsUser(SeamModel):
    """A person's account inside one access control system."""

    acs_user_id: str
    acs_system_id: str
    connected_account_id: str = ""
    workspace_id: str = ""
    created_at: datetime
    display_name: str = ""
    is_managed: bool = True
    full_name: str | None = None
    email_address: str | None = None
    phone_number: str | None = None
    is_suspended: bool | None = None
    access_schedule: AccessSchedule | None = None
    user_identity_id: str | None = None
    user_identity_full_name: str | None = None
    user_identity_email_address: str | None = None
    user_identity_phone_number: str | None = None
    external_type: str | None = None
    external_type_display_name: str | None = None
    last_successful_sync_at: datetime | None = None
    pending_mutations: tuple[PendingMutation, ...] = ()
    errors: tuple[ResourceError, ...] = ()
    warnings: tuple[ResourceWarning, ...] = ()


class AcsSystem(SeamModel):
    """An access control system (a Salto site, a Brivo account, ...) in the workspace."""

    acs_system_id: str
    name: str
    connected_account_id: str = ""
    connected_account_ids: tuple[str, ...] = ()
    workspace_id: str = ""
    created_at: datetime | None = None
    is_credential_manager: bool = False
    location: dict[str, Any] | None = None
    image_url: str | None = None
    image_alt_text: str | None = None
    external_type: str | None = None
    external_type_display_name: str | None = None
    acs_user_count: int | None = None
    acs_access_group_count: int | None = None
    errors: tuple[ResourceError, ...] = ()
    warnings: tuple[ResourceWarning, ...] = ()


class AcsAccessGroup(SeamModel):
    """A group in an access system that grants its members access to entrances."""

    acs_access_group_id: str
    acs_system_id: str
    name: str
    display_name: str = ""
    connected_account_id: str = ""
    workspace_id: str = ""
    external_type: str | None = None
    external_type_display_name: str | None = None
    created_at: datetime | None = None
    is_managed: bool = True
    access_schedule: AccessSchedule | None = None
    pending_mutations: tuple[PendingMutation, ...] = ()
    errors: tuple[ResourceError, ...] = ()
    warnings: tuple[ResourceWarning, ...] = ()


class DeviceProperties(SeamModel):
    """The device properties an admin looks at (the rest are kept as extra fields)."""

    online: bool | None = None
    name: str | None = None
    locked: bool | None = None
    door_open: bool | None = None
    battery_level: float | None = None
    battery: dict[str, Any] | None = None
    model: dict[str, Any] | None = None
    manufacturer: str | None = None
    serial_number: str | None = None


class Device(SeamModel):
    """A lock (or other device) on a connected account."""

    device_id: str
    device_type: str = ""
    display_name: str = ""
    nickname: str | None = None
    connected_account_id: str = ""
    workspace_id: str = ""
    created_at: datetime | None = None
    is_managed: bool = True
    space_ids: tuple[str, ...] = ()
    custom_metadata: dict[str, Any] = Field(default_factory=dict)
    capabilities_supported: tuple[str, ...] = ()
    can_remotely_unlock: bool | None = None
    can_remotely_lock: bool | None = None
    location: dict[str, Any] | None = None
    device_manufacturer: dict[str, Any] | None = None
    properties: DeviceProperties = Field(default_factory=DeviceProperties)
    errors: tuple[ResourceError, ...] = ()
    warnings: tuple[ResourceWarning, ...] = ()


class AcsEntrance(SeamModel):
    """A door, gate or elevator of an access system (synced from it, not created through Seam)."""

    acs_entrance_id: str
    acs_system_id: str
    display_name: str = ""
    connected_account_id: str = ""
    created_at: datetime | None = None
    space_ids: tuple[str, ...] = ()
    is_locked: bool | None = None
    can_unlock_with_card: bool | None = None
    can_unlock_with_code: bool | None = None
    can_unlock_with_mobile_key: bool | None = None
    can_unlock_with_cloud_key: bool | None = None
    errors: tuple[ResourceError, ...] = ()
    warnings: tuple[ResourceWarning, ...] = ()


class AcsCredential(SeamModel):
    """A means of entry held by an ACS user: a mobile key, a PIN code or a card."""

    acs_credential_id: str
    acs_system_id: str
    access_method: str  # code, card, mobile_key, cloud_key
    display_name: str = ""
    connected_account_id: str = ""
    workspace_id: str = ""
    created_at: datetime | None = None
    is_managed: bool = True
    acs_user_id: str | None = None
    user_identity_id: str | None = None
    acs_credential_pool_id: str | None = None
    parent_acs_credential_id: str | None = None
    code: str | None = None
    card_number: str | None = None
    starts_at: str | None = None  # ISO 8601 strings in the API (no date-time format)
    ends_at: str | None = None
    is_multi_phone_sync_credential: bool | None = None
    is_one_time_use: bool | None = None
    is_issued: bool | None = None
    issued_at: datetime | None = None
    is_latest_desired_state_synced_with_provider: bool | None = None
    latest_desired_state_synced_with_provider_at: datetime | None = None
    external_type: str | None = None
    external_type_display_name: str | None = None
    errors: tuple[ResourceError, ...] = ()
    warnings: tuple[ResourceWarning, ...] = ()


class InstantKey(SeamModel):
    """A shareable link that opens a person's mobile keys on a phone, until it expires."""

    instant_key_id: str
    instant_key_url: str
    client_session_id: str = ""
    user_identity_id: str = ""
    workspace_id: str = ""
    created_at: datetime | None = None
    expires_at: datetime
    customization_profile_id: str | None = None
    customization: dict[str, Any] | None = None


class Workspace(SeamModel):
    """A Seam workspace; sandboxes hold test data only."""

    workspace_id: str
    name: str
    company_name: str | None = None
    connect_partner_name: str | None = None
    is_sandbox: bool = False
    is_suspended: bool = False
    is_publishable_key_auth_enabled: bool = False
    organization_id: str | None = None


class Pagination(SeamModel):
    """Where the next page of a list starts."""

    has_next_page: bool = False
    next_page_cursor: str | None = None
    next_page_url: str | None = None


T = TypeVar("T", bound=SeamModel)


class Page(BaseModel, Generic[T]):
    """One page of a paginated list, with the cursor to the next."""

    items: list[T]
    pagination: Pagination = Field(default_factory=Pagination)

    @property
    def has_next_page(self) -> bool:
        return self.pagination.has_next_page and self.pagination.next_page_cursor is not None

    @property
    def next_page_cursor(self) -> str | None:
        return self.pagination.next_page_cursor
