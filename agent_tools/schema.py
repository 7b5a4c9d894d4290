"""Lean JSON schemas from pydantic models: what the model reads in tools/list, and nothing else.

Pydantic's schemas carry titles, ``$ref``s and ``anyOf [X, null]`` for every optional field;
every byte is paid for in tokens on each request, so they are trimmed here, once, for both
adapters. Null stays allowed only where sending null means something (clearing a value).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

SHARED_OPTIONS = ("limit", "cursor", "workspace", "dry_run")

# Descriptions for fields the tool inputs inherit from seam_tui.core.inputs, which carry none.
FIELD_DESCRIPTIONS = {
    "phone_number": "E.164, e.g. +15555550100.",
    "user_identity_key": "Your app's own unique key for the person.",
    "acs_access_group_ids": "Access groups to add the new ACS user to.",
    "access_schedule": "When access starts and ends (ISO 8601 date-times).",
}


def input_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The arguments' schema: optional-null collapsed except on fields where null clears, and
    the options many tools share (paging, workspace, dry_run) after what the tool is about."""
    clearable: frozenset[str] = getattr(model, "clearable_fields", frozenset())
    schema = model.model_json_schema()
    lean = _object(schema, schema.get("$defs", {}), keep_null=clearable, describe=True)
    properties = lean["properties"]
    lean["properties"] = {
        **{k: v for k, v in properties.items() if k not in SHARED_OPTIONS},
        **{k: properties[k] for k in SHARED_OPTIONS if k in properties},
    }
    if "dry_run" in properties:  # its default (false) is stated once, in the instructions
        lean["properties"]["dry_run"] = {"type": "boolean"}
    return lean


def output_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The result's schema: results never contain null, so null is left out everywhere."""
    schema = model.model_json_schema(mode="serialization")
    return _object(schema, schema.get("$defs", {}), keep_null=frozenset(), describe=False)


def _object(
    node: dict[str, Any],
    defs: dict[str, Any],
    *,
    keep_null: frozenset[str],
    describe: bool,
) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object"}
    properties: dict[str, Any] = {}
    for name, prop in node.get("properties", {}).items():
        lean = _node(prop, defs, keep_null=name in keep_null, describe=describe)
        if describe and "description" not in lean and name in FIELD_DESCRIPTIONS:
            lean = {**lean, "description": FIELD_DESCRIPTIONS[name]}
        properties[name] = lean
    out["properties"] = properties
    if node.get("required"):
        out["required"] = list(node["required"])
    return out


def _node(
    node: dict[str, Any], defs: dict[str, Any], *, keep_null: bool, describe: bool
) -> dict[str, Any]:
    """One property: refs inlined, titles dropped, ``anyOf [X, null]`` made ``X``."""
    if "$ref" in node:
        # A model's docstring is for developers; the field's own description (if any) stays.
        target = {
            k: v for k, v in defs[node["$ref"].rsplit("/", 1)[-1]].items() if k != "description"
        }
        extra = {k: v for k, v in node.items() if k != "$ref"}
        return _node({**target, **extra}, defs, keep_null=keep_null, describe=describe)
    variants = node.get("anyOf")
    if variants is not None:
        concrete = [v for v in variants if v.get("type") != "null"]
        if len(concrete) == 1:
            merged = {**concrete[0], **{k: v for k, v in node.items() if k != "anyOf"}}
            lean = _node(merged, defs, keep_null=False, describe=describe)
            if keep_null and len(concrete) < len(variants):
                lean["type"] = [lean["type"], "null"]
            return lean
    if node.get("type") == "object" and "properties" in node:
        lean = _object(node, defs, keep_null=frozenset(), describe=describe)
        return {"description": node["description"], **lean} if "description" in node else lean
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title" or (key == "default" and value is None):
            continue
        if key == "items" and isinstance(value, dict):
            value = _node(value, defs, keep_null=False, describe=describe)
        elif key == "anyOf":
            value = [_node(v, defs, keep_null=False, describe=describe) for v in value]
        out[key] = value
    return out
