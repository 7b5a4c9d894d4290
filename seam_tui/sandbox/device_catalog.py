"""What the sandbox knows about devices: the API's enums and the lock models it seeds.

`DEVICE_TYPES` and `MANUFACTURERS` are the values `/devices/list` accepts (the OpenAPI spec's
enums, seam-api-access.md §2). A stored device has one of the `MODELS` types, which supplies
what the provider would report: manufacturer, model and capabilities.
"""

from __future__ import annotations

from dataclasses import dataclass

LOCK_TYPES = (
    "akuvox_lock", "august_lock", "brivo_access_point", "butterflymx_panel",
    "avigilon_alta_entry", "doorking_lock", "genie_door", "igloo_lock", "linear_lock",
    "lockly_lock", "kwikset_lock", "nuki_lock", "salto_lock", "schlage_lock", "smartthings_lock",
    "wyze_lock", "yale_lock", "two_n_intercom", "controlbyweb_device", "ttlock_lock",
    "igloohome_lock", "four_suites_door", "dormakaba_oracode_door", "tedee_lock", "akiles_lock",
    "ultraloq_lock", "yacan_lock", "keyincode_lock", "omnitec_lock", "kisi_lock", "aqara_lock",
)  # fmt: skip
DEVICE_TYPES = (
    *LOCK_TYPES, "keynest_key", "noiseaware_activity_zone", "minut_sensor", "ecobee_thermostat",
    "nest_thermostat", "honeywell_resideo_thermostat", "tado_thermostat", "sensi_thermostat",
    "smartthings_thermostat", "ios_phone", "android_phone", "ring_camera",
)  # fmt: skip
MANUFACTURERS = (
    "akuvox", "august", "avigilon_alta", "brivo", "butterflymx", "doorking", "four_suites",
    "genie", "igloo", "keywe", "kwikset", "linear", "nuki", "philia", "salto", "samsung",
    "schlage", "seam", "unknown", "wyze", "yale", "two_n", "ttlock", "igloohome",
    "controlbyweb", "tedee", "keyincode", "akiles", "aqara", "ecobee", "honeywell_resideo",
    "keynest", "korelock", "lockly", "minut", "nest", "noiseaware", "sensi", "smartthings",
    "tado", "ultraloq", "ring", "ical", "lodgify", "hostaway", "guesty", "acuity_scheduling",
    "omnitec", "kisi", "slack", "yacan",
)  # fmt: skip


@dataclass(frozen=True)
class Model:
    """A lock model as its provider reports it."""

    manufacturer: str
    manufacturer_display_name: str
    display_name: str
    remote: bool  # can be locked and unlocked remotely (else offline codes only)
    keypad: bool = True

    @property
    def image_url(self) -> str:
        logo = self.manufacturer
        return f"https://connect.getseam.com/assets/images/logos/{logo}_logo_square.png"

    @property
    def capabilities(self) -> list[str]:
        return ["access_code", "lock", "battery"] if self.keypad else ["lock", "battery"]


MODELS: dict[str, Model] = {
    "schlage_lock": Model("schlage", "Schlage", "Encode Plus Smart WiFi Deadbolt", remote=True),
    "yale_lock": Model("yale", "Yale", "Assure Lock 2 Touch", remote=True),
    "august_lock": Model("august", "August", "Wi-Fi Smart Lock", remote=True, keypad=False),
    "salto_lock": Model("salto", "Salto", "XS4 One Escutcheon", remote=True, keypad=False),
    "kwikset_lock": Model("kwikset", "Kwikset", "Halo Touch", remote=True),
    "nuki_lock": Model("nuki", "Nuki", "Smart Lock Pro", remote=True, keypad=False),
    "igloohome_lock": Model("igloohome", "igloohome", "Smart Deadbolt 2S", remote=False),
}


def battery_status(level: float) -> str:
    """`properties.battery.status` for a level in 0..1 (our thresholds; the API's are not
    documented)."""
    if level < 0.1:
        return "critical"
    if level < 0.3:
        return "low"
    if level < 0.9:
        return "good"
    return "full"
