"""What a tool is: a typed async function over the service, its input and output models, hints.

Both adapters (the MCP server and the chat function schemas) are generated from these objects,
so a tool's name, description, schemas and hints are written once, here and in its module.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any, ClassVar, Generic, TypeVar, get_args, get_origin, get_type_hints

from pydantic import BaseModel, BeforeValidator, Field, StrictBool, ValidationError

from agent_tools.context import ToolContext
from agent_tools.errors import from_seam_error, invalid_arguments
from agent_tools.schema import input_schema, output_schema, strict_schema
from seam_tui.core.errors import SeamError
from seam_tui.core.inputs import RequestModel

DEFAULT_LIMIT = 25
MAX_LIMIT = 200

# Strict inputs. A flag is a JSON boolean: "off", "yes", "0" or 1 are refused naming the field
# (pydantic would read "off" as false and run a real change). An integer is a whole JSON number
# (10 or 10.0) or its digits as text ("10", as some clients send every argument), which can
# mean nothing else; never true/false. Text must be text, and unknown fields are refused
# (`RequestModel`). Lists and objects may also come as JSON text (`_decode_json_strings`).
Flag = StrictBool


def _not_a_boolean(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError(f"must be a whole number, not {str(value).lower()}")
    return value


Count = Annotated[int, BeforeValidator(_not_a_boolean)]
# How long a read may wait for pending changes to settle (`SeamService.wait_until_settled`).
MAX_WAIT_SECONDS = 60


def wait_seconds_field() -> Any:
    """The `wait_seconds` argument of the read tools that can wait (0: answer at once)."""
    return Field(
        0, ge=0, le=MAX_WAIT_SECONDS, description="Seconds to wait for pending changes to settle."
    )


@dataclass(frozen=True)
class Hints:
    """How a tool touches the world; MCP clients use these to decide what to confirm."""

    read_only: bool = False
    destructive: bool = False
    idempotent: bool = False


READ = Hints(read_only=True, idempotent=True)
CREATE = Hints()
# Writes that change or remove what exists: they take dry_run.
CHANGE = Hints(destructive=True, idempotent=True)


class ToolInput(RequestModel):
    """Arguments of every tool that acts in a workspace; tool-only options never reach the API.

    `workspace` and `dry_run` are explained once, in the instructions, not in every schema.
    """

    not_sent: ClassVar[frozenset[str]] = frozenset({"workspace", "dry_run"})

    workspace: str | None = None

    def to_params(self) -> dict[str, Any]:
        params = super().to_params()
        for name in self.not_sent:
            params.pop(name, None)
        return params


class DryRunInput(ToolInput):
    """Arguments of a tool that changes or removes what exists."""

    dry_run: Flag = False


class ToolOutput(BaseModel):
    """Base of every result: optional fields default to None, [] or False, and a field that
    holds its default is left out of the dump.

    So no tokens go on nulls and empty lists, while required fields are always present: an
    empty search still says `"user_identities": []`.
    """

    def dump(self) -> dict[str, Any]:
        """The result as JSON-ready data, defaults left out, timestamps in ISO 8601."""
        return self.model_dump(mode="json", exclude_defaults=True)


InputT = TypeVar("InputT", bound=RequestModel)
OutputT = TypeVar("OutputT", bound=ToolOutput)


@dataclass(frozen=True)
class Tool(Generic[InputT, OutputT]):
    """One tool; `description` is its function's docstring, the text the model reads."""

    name: str
    title: str
    description: str
    hints: Hints
    input_model: type[InputT]
    output_model: type[OutputT]
    run: Callable[[ToolContext, InputT], Awaitable[OutputT]] = field(repr=False)

    @cached_property
    def input_schema(self) -> dict[str, Any]:
        return input_schema(self.input_model)

    @cached_property
    def output_schema(self) -> dict[str, Any]:
        return output_schema(self.output_model)

    @cached_property
    def strict_input_schema(self) -> dict[str, Any]:
        """The input schema for OpenAI's strict mode (`schema.strict_schema`)."""
        return strict_schema(self.input_schema, self.clearable)

    @property
    def clearable(self) -> frozenset[str]:
        """Arguments where an explicit null clears the value."""
        fields: frozenset[str] = getattr(self.input_model, "clearable_fields", frozenset())
        return fields

    def parse(self, arguments: Mapping[str, Any]) -> InputT:
        """Validate arguments into the input model; a bad one becomes a ToolError naming it."""
        try:
            return self.input_model.model_validate(
                _decode_json_strings(self.input_model, arguments)
            )
        except ValidationError as exc:
            raise invalid_arguments(self.name, exc) from None

    async def call(self, context: ToolContext, arguments: Mapping[str, Any]) -> OutputT:
        """Validate, run, and turn every core error into a ToolError the model can act on."""
        data = self.parse(arguments)
        try:
            return await self.run(context, data)
        except SeamError as exc:
            raise from_seam_error(exc) from None


def _decode_json_strings(model: type[BaseModel], arguments: Mapping[str, Any]) -> dict[str, Any]:
    """Accept lists and objects sent as JSON text, as some clients do, for non-text fields."""
    decoded = dict(arguments)
    for name, value in arguments.items():
        info = model.model_fields.get(name)
        if info is None or not isinstance(value, str) or not _is_structured(info.annotation):
            continue
        try:
            decoded[name] = json.loads(value)
        except ValueError:
            continue
    return decoded


def _is_structured(annotation: Any) -> bool:
    """Whether a field holds a list or an object (looking through Optional and Annotated)."""
    if get_origin(annotation) in (list, dict):
        return True
    if isinstance(annotation, type):
        return issubclass(annotation, BaseModel)
    return any(_is_structured(arg) for arg in get_args(annotation))


def _unwrap(text: str) -> str:
    """Docstring paragraphs as single lines: wrapped lines cost tokens and read as breaks."""
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))


def tool(
    *, title: str, hints: Hints
) -> Callable[[Callable[[ToolContext, InputT], Awaitable[OutputT]]], Tool[InputT, OutputT]]:
    """Make a Tool of an async function `(context, data) -> output`, named after the function."""

    def make(fn: Callable[[ToolContext, InputT], Awaitable[OutputT]]) -> Tool[InputT, OutputT]:
        types = get_type_hints(fn)
        data_param = list(inspect.signature(fn).parameters)[1]
        return Tool(
            name=fn.__name__,
            title=title,
            description=_unwrap(inspect.cleandoc(fn.__doc__ or "")),
            hints=hints,
            input_model=types[data_param],
            output_model=types["return"],
            run=fn,
        )

    return make
