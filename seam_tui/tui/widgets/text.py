"""Textual's text widgets, made literal: screens use these, never Textual's own.

A plain string given to Textual's `Static`, `Label`, `Button`, `Select` or `SelectionList` is
parsed as markup, and an `Input` passes control characters to the terminal. Each widget here
takes strings or `Text` from `seam_tui.tui.literal` and shows them as literal text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self, cast

from rich.cells import cell_len
from rich.console import RenderableType
from rich.text import Text
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    OptionList,
    RadioButton,
    Select,
    SelectionList,
    Static,
)
from textual.widgets.selection_list import Selection

from seam_tui.tui.literal import PLACEHOLDER_STYLE, Cell, as_text
from seam_tui.visible import has_hidden, placeholder, visible_one_for_one


class Line(Static):
    """A `Static` whose strings are literal text; `Text` from `literal` keeps its styles."""

    def __init__(
        self,
        content: Cell = "",
        *,
        width: int | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(as_text(content, width=width), markup=False, id=id, classes=classes)
        self._max_cells = width

    def update(self, content: object = "", *, layout: bool = True) -> None:
        """Show `content`: a string literally; `Text` or a grid from `literal` as it is.

        With a `width`, the line is cut to that many cells."""
        if isinstance(content, str | Text):
            content = as_text(content, width=self._max_cells)
        super().update(cast("RenderableType", content), layout=layout)


class LiteralInput(Input):
    """An `Input` that keeps its value exactly but shows hidden characters as placeholders,
    one for one, so the cursor still lines up with the value being edited."""

    @property
    def _value(self) -> Text:
        value = self.value
        if self.password or not has_hidden(value):
            return super()._value
        text = Text(no_wrap=True, overflow="ignore", end="")
        for char, shown in zip(value, visible_one_for_one(value), strict=True):
            text.append(shown, PLACEHOLDER_STYLE if placeholder(char) is not None else None)
        return text

    def _position_to_cell(self, position: int) -> int:
        if self.password or not has_hidden(self.value):
            return super()._position_to_cell(position)
        return cell_len(visible_one_for_one(self.value[:position]).replace("\t", "    "))

    def _cell_offset_to_index(self, offset: int) -> int:
        if self.password or not has_hidden(self.value):
            return super()._cell_offset_to_index(offset)
        shown = visible_one_for_one(self.value)
        scroll_x, _ = self.scroll_offset
        offset += scroll_x
        cells = 0
        for index, char in enumerate(shown):
            width = cell_len(char)
            if cells <= offset < cells + width:
                return index
            cells += width
        return max(0, min(offset, len(shown)))


class ActionButton(Button):
    """A `Button` whose label is literal."""

    def __init__(self, label: Cell, variant: Any = "default", *, id: str | None = None) -> None:
        super().__init__(as_text(label), variant, id=id)


class Toggle(Checkbox):
    """A `Checkbox` whose label is literal."""

    def __init__(self, label: Cell, value: bool = False, *, id: str | None = None) -> None:
        super().__init__(as_text(label), value, id=id)


class Choice(RadioButton):
    """A `RadioButton` whose label is literal."""

    def __init__(self, label: Cell, value: bool = False, *, id: str | None = None) -> None:
        super().__init__(as_text(label), value, id=id)


class Picklist(Select[str]):
    """A `Select` of string values whose option prompts are literal."""

    def set_options(self, options: Iterable[tuple[RenderableType, str]]) -> None:
        super().set_options(
            (as_text(prompt) if isinstance(prompt, str | Text) else prompt, value)
            for prompt, value in options
        )


class Checklist(SelectionList[str]):
    """A `SelectionList` of string values whose prompts are literal."""

    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """A highlight queued just before the options were replaced names an option that is
        gone (Textual's own handler, which runs after this one, would raise): dropped."""
        if event.option_index >= self.option_count:
            event.prevent_default()
            event.stop()

    def add_options(self, items: Iterable[Any]) -> Self:
        """Add options: (prompt, value) or (prompt, value, ticked) tuples, prompts literal."""
        return super().add_options(
            Selection(as_text(item[0]), *item[1:]) if isinstance(item, tuple) else item
            for item in items
        )
