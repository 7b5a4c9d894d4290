"""Access-system brands the sandbox knows: the `external_type` names and display names.

Brands whose real API objects have no user or access-group `external_type` (Visionline users,
Latch access groups) leave those out, as the real API does.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Brand:
    system_type: str
    system_display_name: str
    user_type: str | None
    user_display_name: str | None
    group_type: str | None
    group_display_name: str | None
    logo: str

    @property
    def image_url(self) -> str:
        return f"https://connect.getseam.com/assets/images/logos/{self.logo}_logo_square.png"


BRANDS: dict[str, Brand] = {
    brand.system_type: brand
    for brand in (
        Brand(
            "salto_ks_site",
            "Salto KS site",
            "salto_site_user",
            "Salto site user",
            "salto_ks_access_group",
            "Salto KS access group",
            "salto",
        ),
        Brand(
            "salto_space_system",
            "Salto Space system",
            "salto_space_user",
            "Salto Space user",
            "salto_space_group",
            "Salto Space user group",
            "salto",
        ),
        Brand(
            "brivo_account",
            "Brivo account",
            "brivo_user",
            "Brivo user",
            "brivo_group",
            "Brivo group",
            "brivo",
        ),
        Brand("latch_building", "Latch building", "latch_user", "Latch user", None, None, "latch"),
        Brand(
            "kisi_organization",
            "Kisi organization",
            "kisi_user",
            "Kisi user",
            "kisi_access_group",
            "Kisi access group",
            "kisi",
        ),
        Brand(
            "visionline_system",
            "Visionline system",
            None,
            None,
            None,
            None,
            "assa_abloy",
        ),
    )
}

# `acs_credential.external_type` (and its display name) by the system's `external_type`.
CREDENTIAL_TYPES: dict[str, tuple[str, str]] = {
    "salto_ks_site": ("salto_ks_credential", "Salto KS credential"),
    "salto_space_system": ("salto_space_key", "Salto Space key"),
    "brivo_account": ("brivo_credential", "Brivo credential"),
    "latch_building": ("latch_access", "Latch access"),
    "kisi_organization": ("kisi_credential", "Kisi credential"),
    "visionline_system": ("visionline_card", "Visionline card"),
}
