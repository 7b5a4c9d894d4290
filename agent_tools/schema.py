"""Lean JSON schemas from pydantic models: what the model reads in tools/list, and nothing else.

Pydantic's schemas carry titles, ``$ref``s and ``anyOf [X, null]`` for every optional field;
every byte is paid for in tokens on each request, so they are trimmed here, once, for both
adapters. Null stays allowed only where sending null means something (clearing a value).
Every object of an input schema says ``additionalProperties: false``: unknown fields are
refused (`RequestModel`), and the schema says so.

`strict_schema` rewrites an input schema for OpenAI's strict mode (Structured Outputs'
supported subset): every property required, the optional ones nullable (null = not given),
constraint keywords folded into the description, and a `clear` list where null used to clear.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from pydantic import BaseModel

SHARED_OPTIONS = ("limit", "cursor", "workspace", "dry_run")

# Descriptions for fields the tool inputs inherit from seam_tui.core.inputs, which carry none.
FIELD_DESCRIPTIONS = {
    "phone_number": "E.164, e.g. +15555550100.",
    "user_identity_key": "Your app's own unique key for the person.",
    "access_schedule": "When access starts and ends.",
}


def input_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The arguments' schema: optional-null collapsed except on fields where null clears, and
    the options many tools share (paging, workspace, dry_run) after what the tool is about."""
    clearable: frozenset[str] = getattr(model, "clearable_fields", frozenset())
    schema = model.model_json_schema()
    lean = _object(schema, schema.get("$defs", {}), keep_null=clearable, describe=True, inputs=True)
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
    return _object(
        schema, schema.get("$defs", {}), keep_null=frozenset(), describe=False, inputs=False
    )


def _object(
    node: dict[str, Any],
    defs: dict[str, Any],
    *,
    keep_null: frozenset[str],
    describe: bool,
    inputs: bool,
) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object"}
    properties: dict[str, Any] = {}
    for name, prop in node.get("properties", {}).items():
        lean = _node(prop, defs, keep_null=name in keep_null, describe=describe, inputs=inputs)
        if describe and "description" not in lean and name in FIELD_DESCRIPTIONS:
            lean = {**lean, "description": FIELD_DESCRIPTIONS[name]}
        properties[name] = lean
    out["properties"] = properties
    if node.get("required"):
        out["required"] = list(node["required"])
    if inputs:  # unknown arguments are refused (RequestModel), and the schema says so
        out["additionalProperties"] = False
    return out


def _node(
    node: dict[str, Any], defs: dict[str, Any], *, keep_null: bool, describe: bool, inputs: bool
) -> dict[str, Any]:
    """One property: refs inlined, titles dropped, ``anyOf [X, null]`` made ``X``."""
    if "$ref" in node:
        # A model's docstring is for developers; the field's own description (if any) stays.
        target = {
            k: v for k, v in defs[node["$ref"].rsplit("/", 1)[-1]].items() if k != "description"
        }
        extra = {k: v for k, v in node.items() if k != "$ref"}
        merged = {**target, **extra}
        return _node(merged, defs, keep_null=keep_null, describe=describe, inputs=inputs)
    variants = node.get("anyOf")
    if variants is not None:
        concrete = [v for v in variants if v.get("type") != "null"]
        if len(concrete) == 1:
            merged = {**concrete[0], **{k: v for k, v in node.items() if k != "anyOf"}}
            lean = _node(merged, defs, keep_null=False, describe=describe, inputs=inputs)
            if keep_null and len(concrete) < len(variants):
                lean["type"] = [lean["type"], "null"]
            return lean
    if node.get("type") == "object" and "properties" in node:
        lean = _object(node, defs, keep_null=frozenset(), describe=describe, inputs=inputs)
        return {"description": node["description"], **lean} if "description" in node else lean
    out: dict[str, Any] = {}
    for key, value in node.items():
        # An input's default is said in the instructions or goes without saying (false, all).
        if key == "title" or (key == "default" and (value is None or inputs)):
            continue
        if key == "items" and isinstance(value, dict):
            value = _node(value, defs, keep_null=False, describe=describe, inputs=inputs)
        elif key == "anyOf":
            value = [
                _node(v, defs, keep_null=False, describe=describe, inputs=inputs) for v in value
            ]
        out[key] = value
    return out


# OpenAI strict mode ("Structured Outputs", supported schemas): these keywords are refused or
# unsupported there, so their constraint is said in the description instead (still enforced
# when the call arrives: the input models check it).
_FOLDED = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength",
     "maxLength", "pattern", "format", "minItems", "maxItems", "uniqueItems", "default",
     "examples", "title"}
)  # fmt: skip
CLEAR = "clear"
_CLOSED = {"additionalProperties": False}


def strict_schema(schema: dict[str, Any], clearable: Collection[str] = ()) -> dict[str, Any]:
    """An input schema as OpenAI's strict mode takes it: every property required, optional ones
    nullable (null means "not given"), `additionalProperties: false` on every object, no
    constraint keywords. Where null used to clear a field, a `clear` list names what to clear
    (`chat.call_tool(strict=True)` reads both)."""
    out = _strict_object(schema)
    if clearable:
        out["properties"][CLEAR] = {
            "type": ["array", "null"],
            "items": {"type": "string", "enum": sorted(clearable)},
            "description": "Fields to clear (remove the value); null elsewhere leaves a field.",
        }
        out["required"].append(CLEAR)
    return out


# How a description says "null clears" in the plain schemas, and how it reads in strict mode.
_STRICT_WORDING = {
    "null clears a field": "`clear` lists fields to clear",
    "null removes it": "`clear` removes it",
}


def strict_description(text: str) -> str:
    """A tool's description for strict mode, where null means "not given" and `clear` clears."""
    for plain, strict in _STRICT_WORDING.items():
        text = text.replace(plain, strict)
    return text


def _strict_object(node: dict[str, Any]) -> dict[str, Any]:
    required = set(node.get("required", ()))
    properties = {}
    for name, prop in node.get("properties", {}).items():
        strict = _strict_node(prop)
        properties[name] = strict if name in required else _nullable(strict)
    out = {k: v for k, v in node.items() if k in ("type", "description")}
    return {**out, "properties": properties, "required": list(properties), **_CLOSED}


def _strict_node(node: dict[str, Any]) -> dict[str, Any]:
    kinds = node.get("type")
    if kinds == "object" or (isinstance(kinds, list) and "object" in kinds):
        return {**_strict_object(node), "type": kinds}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _FOLDED:
            continue
        if key == "items" and isinstance(value, dict):
            value = _strict_node(value)
        elif key == "anyOf":
            value = [_strict_node(v) for v in value]
        out[key] = value
    said = _constraints(node)
    if said:
        out["description"] = f"{node['description']} {said}" if "description" in node else said
    return out


def _constraints(node: dict[str, Any]) -> str:
    """The folded keywords in words, e.g. `1 to 200.` or `An ISO 8601 date-time.`."""
    parts = []
    low, high = node.get("minimum"), node.get("maximum")
    if low is not None and high is not None:
        parts.append(f"{low} to {high}")
    elif low is not None:
        parts.append(f"at least {low}")
    elif high is not None:
        parts.append(f"at most {high}")
    short, long = node.get("minLength"), node.get("maxLength")
    if long is not None:
        parts.append(f"{short or 0} to {long} characters")
    if node.get("format") == "date-time":
        parts.append("an ISO 8601 date-time")
    elif "format" in node:
        parts.append(f"format {node['format']}")
    if "pattern" in node:
        parts.append(f"matching {node['pattern']}")
    if not parts:
        return ""
    text = ", ".join(parts)
    return f"{text[0].upper()}{text[1:]}."


def _nullable(node: dict[str, Any]) -> dict[str, Any]:
    """The node with null allowed too (strict mode's way of saying "optional")."""
    out = dict(node)
    if "anyOf" in out:
        if {"type": "null"} not in out["anyOf"]:
            out["anyOf"] = [*out["anyOf"], {"type": "null"}]
        return out
    kinds = out.get("type")
    if isinstance(kinds, str):
        out["type"] = [kinds, "null"]
    elif isinstance(kinds, list) and "null" not in kinds:
        out["type"] = [*kinds, "null"]
    if "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    return out
