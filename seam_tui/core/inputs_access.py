"""Request models for access: device grants and instant keys (conventions as in `inputs`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from seam_tui.core.inputs import MAX_ID_LENGTH, RequestModel, UserIdentityId, nonempty_text

DeviceId = Annotated[str, AfterValidator(nonempty_text("device id", MAX_ID_LENGTH))]
# The API takes any number >= 1; a key shared for more than this many uses is a typo.
MAX_INSTANT_KEY_USES = 1000


class DeviceGrant(RequestModel):
    """Body of `/user_identities/grant_access_to_device` and `revoke_access_to_device`."""

    user_identity_id: UserIdentityId
    device_id: DeviceId


class InstantKeyRequest(RequestModel):
    """Body of `/user_identities/generate_instant_key`."""

    user_identity_id: UserIdentityId
    max_use_count: int = Field(
        default=1,
        ge=1,
        le=MAX_INSTANT_KEY_USES,
        description="How many times the key may be used (1 to 1000).",
    )
