"""`/devices/list` and `/devices/get` (devices come from connected accounts: no create here).

`search` matches part of the display name, location name, connected account id or custom
metadata (as JSON text), or a prefix (4 characters or more) of the device id. `space_id`
matches nothing: the sandbox has no spaces. `/devices/get` takes `device_id` or `name` (the
display name; the first device in list order if several share it).
"""

from __future__ import annotations

from typing import Any

from seam_tui.sandbox import repo_access
from seam_tui.sandbox.device_catalog import DEVICE_TYPES, MANUFACTURERS, MODELS
from seam_tui.sandbox.endpoint import Call, Endpoint, ok, read
from seam_tui.sandbox.pagination import PAGE_PARAMS, page_request
from seam_tui.sandbox.params import (
    Param,
    Schema,
    enum,
    enum_list,
    exactly_one,
    string,
    timestamp,
    uuid_list,
    uuid_param,
)
from seam_tui.sandbox.search import contains_any, like_pattern

SEARCHED_COLUMNS = (
    "coalesce(d.nickname, d.name)",
    "d.location_name",
    "d.connected_account_id",
    "d.custom_metadata",
)
# Filters: (param, column) for one value, and for a list of values (every filter applies).
EQUALS = (("device_type", "d.device_type"), ("connected_account_id", "d.connected_account_id"))
IN_SET = (
    ("device_ids", "d.device_id"),
    ("device_types", "d.device_type"),
    ("connected_account_ids", "d.connected_account_id"),
)
# A device id is matched by prefix from this many characters on.
ID_PREFIX_MIN = 4


def list_devices(call: Call) -> dict[str, Any]:
    params, db = call.params, call.db
    page = page_request(params, call.workspace_id)
    where: list[str] = ["d.workspace_id = ?"]
    args: list[object] = [call.workspace_id]
    for name, column in EQUALS:
        if name in params:
            where.append(f"{column} = ?")
            args.append(params[name])
    for name, column in IN_SET:
        if name in params:
            where.append(f"{column} IN (SELECT value FROM json_each(?))")
            args.append(repo_access.json_ids(params[name]))
    if "manufacturer" in params:
        made = [
            kind for kind, model in MODELS.items() if model.manufacturer == params["manufacturer"]
        ]
        where.append("d.device_type IN (SELECT value FROM json_each(?))")
        args.append(repo_access.json_ids(made))
    if "space_id" in params:
        where.append("0")
    if "created_before" in params:
        where.append("d.created_at < ?")
        args.append(params["created_before"])
    if "search" in params:
        clause, search_args = contains_any(SEARCHED_COLUMNS, params["search"])
        if len(params["search"]) >= ID_PREFIX_MIN:
            pattern = like_pattern(params["search"]).removeprefix("%")
            clause = f"({clause} OR d.device_id LIKE ? ESCAPE '\\')"
            search_args.append(pattern)
        where.append(clause)
        args += search_args
    after, after_args = page.sql("d.created_at", "d.device_id")
    rows = db.execute(
        f"SELECT d.* FROM devices d WHERE {' AND '.join(where)}{after}"
        " ORDER BY d.created_at, d.device_id LIMIT ?",
        [*args, *after_args, page.limit + 1],
    ).fetchall()
    items, pages = page.cut(rows, "device_id", call.url, params)
    return ok(devices=repo_access.devices_json(items), pagination=pages)


def get_device(call: Call) -> dict[str, Any]:
    row = repo_access.require_device(
        call.db,
        call.workspace_id,
        device_id=call.params.get("device_id"),
        name=call.params.get("name"),
    )
    return ok(device=repo_access.devices_json([row])[0])


LIST_PARAMS: dict[str, Param] = {
    "device_ids": uuid_list(),
    "device_type": enum(DEVICE_TYPES),
    "device_types": enum_list(DEVICE_TYPES),
    "manufacturer": enum(MANUFACTURERS),
    "connected_account_id": uuid_param(),
    "connected_account_ids": uuid_list(),
    "space_id": uuid_param(),
    "created_before": timestamp(),
    "search": string(min_length=1),
    **PAGE_PARAMS,
}

ENDPOINTS: list[Endpoint] = [
    read("/devices/list", Schema(LIST_PARAMS), list_devices),
    read(
        "/devices/get",
        Schema(
            {"device_id": uuid_param(), "name": string(min_length=1)},
            (exactly_one("device_id", "name"),),
        ),
        get_device,
    ),
]
