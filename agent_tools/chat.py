"""The registry's tools for chat agents: OpenAI and Anthropic tool definitions, and one dispatcher.

    tools = anthropic_tools()                      # or openai_tools(), for the API request
    result = await call_tool(block.name, block.input)
    messages.append(result.to_anthropic(block.id))  # or result.to_openai(call.id)

`call_tool` runs the same registry functions as the MCP server, so a chat agent and an MCP
client see the same validation, errors, dry runs and audit entries (front end `mcp`).

OpenAI's strict mode: `openai_tools(strict=True)` gives schemas it accepts (every property
required, optional ones nullable) and `call_tool(..., strict=True)` reads their calls: null is
"not given", and `clear` lists the fields to clear (where null clears in the plain schemas).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from agent_tools.context import ToolContext
from agent_tools.errors import ToolError, from_seam_error
from agent_tools.quoting import id_text, json_text
from agent_tools.registry import TOOLS
from agent_tools.schema import CLEAR, strict_description
from agent_tools.tool import Tool
from seam_tui.core.errors import SeamError

ChatFormat = Literal["openai", "anthropic"]

logger = logging.getLogger(__name__)

_default_context: ToolContext | None = None


def openai_tools(
    tools: Sequence[Tool[Any, Any]] = TOOLS, *, strict: bool = False
) -> list[dict[str, Any]]:
    """Tool definitions for OpenAI's Chat Completions `tools` parameter; `strict` for its
    strict mode (then pass `strict=True` to `call_tool` too)."""
    return [
        {
            "type": "function",
            "function": {
                "name": t.name,
                "description": strict_description(t.description) if strict else t.description,
                "parameters": t.strict_input_schema if strict else t.input_schema,
                **({"strict": True} if strict else {}),
            },
        }
        for t in tools
    ]


def anthropic_tools(tools: Sequence[Tool[Any, Any]] = TOOLS) -> list[dict[str, Any]]:
    """Tool definitions for Anthropic's Messages API `tools` parameter."""
    return [
        {"name": t.name, "description": t.description, "input_schema": t.input_schema}
        for t in tools
    ]


def tool_definitions(
    format: ChatFormat, tools: Sequence[Tool[Any, Any]] = TOOLS, *, strict: bool = False
) -> list[dict[str, Any]]:
    """Tool definitions in the given chat API's format; `strict` (OpenAI only) for its strict
    mode. Raises ValueError for strict Anthropic definitions."""
    if format == "openai":
        return openai_tools(tools, strict=strict)
    if strict:
        raise ValueError("strict schemas are for --format openai (OpenAI's strict mode)")
    return anthropic_tools(tools)


@dataclass(frozen=True)
class ToolResult:
    """What a tool call gives back: compact JSON text, or an error message the model can act on."""

    name: str
    content: str
    is_error: bool = False
    data: dict[str, Any] | None = None

    def to_openai(self, tool_call_id: str) -> dict[str, Any]:
        """A Chat Completions `tool` message answering `tool_call_id`."""
        content = f"Error: {self.content}" if self.is_error else self.content
        return {"role": "tool", "tool_call_id": tool_call_id, "content": content}

    def to_anthropic(self, tool_use_id: str) -> dict[str, Any]:
        """A `tool_result` content block answering `tool_use_id`."""
        block: dict[str, Any] = {
            "type": "tool_result",
            "tool_use_id": tool_use_id,
            "content": self.content,
        }
        if self.is_error:
            block["is_error"] = True
        return block


async def call_tool(
    name: str,
    arguments: Mapping[str, Any] | str | None = None,
    *,
    context: ToolContext | None = None,
    tools: Sequence[Tool[Any, Any]] = TOOLS,
    strict: bool = False,
) -> ToolResult:
    """Run the tool `name` with the model's arguments (a mapping, or JSON text as OpenAI sends).

    Never raises for anything the model did: an unknown tool, bad arguments or a failed call
    come back as an error result. `context` defaults to one shared context on the default
    workspace; pass `tools=select_tools(read_only=True)` (and the same to the definitions) to
    offer only reads. `strict=True` reads calls made with `openai_tools(strict=True)`.
    """
    chosen = next((t for t in tools if t.name == name), None)
    if chosen is None:
        available = ", ".join(t.name for t in tools)
        return ToolResult(
            name, f"Unknown tool {id_text(name)}; available: {available}.", is_error=True
        )
    try:
        parsed = _arguments(arguments)
        if strict:
            parsed = _from_strict(chosen, parsed)
        output = await chosen.call(context or _shared_context(), parsed)
    except ToolError as exc:
        return ToolResult(name, str(exc), is_error=True)
    except SeamError as exc:  # the default workspace could not be opened
        return ToolResult(name, str(from_seam_error(exc)), is_error=True)
    except Exception:
        logger.exception("tool %s failed unexpectedly", name)
        return ToolResult(
            name, f"Tool {name} failed unexpectedly; the details are in the log.", is_error=True
        )
    data = output.dump()
    return ToolResult(name, json_text(data), data=data)


def _arguments(arguments: Mapping[str, Any] | str | None) -> Mapping[str, Any]:
    if arguments is None or arguments == "":
        return {}
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except ValueError as exc:
            raise ToolError(
                f"The arguments are not valid JSON ({exc}); send a JSON object."
            ) from None
    if not isinstance(arguments, Mapping):
        raise ToolError("The arguments must be a JSON object of named parameters.")
    return arguments


def _from_strict(tool: Tool[Any, Any], arguments: Mapping[str, Any]) -> dict[str, Any]:
    """A strict-mode call as the tool reads it: null means "not given" (at every level), and
    each field named in `clear` is sent as null (which clears it)."""
    given: dict[str, Any] = _without_nulls(arguments)
    if not tool.clearable:
        return given
    clear = given.pop(CLEAR, None) or []
    if not isinstance(clear, list) or not all(c in tool.clearable for c in clear):
        raise ToolError(
            f"Invalid arguments for {tool.name}: {CLEAR}: a list of field names from "
            f"{', '.join(sorted(tool.clearable))}, or null. Fix it and call again."
        )
    both = sorted(set(clear) & given.keys())
    if both:
        raise ToolError(
            f"Invalid arguments for {tool.name}: {both[0]}: given a value and listed in "
            f"{CLEAR}; send one of them. Fix it and call again."
        )
    return {**given, **dict.fromkeys(clear)}


def _without_nulls(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    return value


def _shared_context() -> ToolContext:
    global _default_context
    if _default_context is None:
        _default_context = ToolContext.open()
    return _default_context
