"""The hostile seed in a real terminal: every byte `seam-tui` writes to a pseudo-terminal.

The Pilot tests (`test_hostile_data.py`) check each frame Textual would draw; this one runs the
shipped program (`python -m seam_tui.cli --workspace sandbox-hostile`) in a 120x36 xterm, walks
its screens with keys as a person would, quits, and reads the raw output: none of the escape
sequences, controls or bidi characters in the data may be in it, and their placeholders must.
"""

from __future__ import annotations

import asyncio
import re

from seam_tui.sandbox.hostile import CORPUS, seed_hostile
from seam_tui.workspaces import close_local_sandboxes
from seam_tui.workspaces.sandbox_profiles import local_sandbox
from tests.reliability.conftest import record
from tests.tui.pty_terminal import RUN_LIMIT_S, Terminal, program_env

# Sequences a data value would run if it reached the terminal: any OSC (a title, the clipboard,
# a link), a wiped screen, a moved cursor, a bell.
FORBIDDEN = (b"\x1b]", b"\x1b[2J", b"\x1b[1A", b"\x07")
# The one OSC Textual sends itself: the mouse pointer's shape.
POINTER_SHAPE = re.compile(rb"\x1b\]22;[a-z-]*\x07")
# C1 controls and characters that reorder or hide text, as UTF-8.
INVISIBLE = [
    chr(c).encode()
    for c in (*range(0x80, 0xA0), 0x200B, 0x200D, 0x200F, 0x202C, 0x202E, 0x2060, 0x2066, 0xFEFF)
]


def test_the_real_program_on_the_hostile_seed_sends_no_data_escape() -> None:
    asyncio.run(seed_hostile(local_sandbox()))
    close_local_sandboxes()  # the program opens the file itself
    terminal = Terminal(["-m", "seam_tui.cli", "--workspace", "sandbox-hostile"], program_env())
    terminal.wait_for("HOSTILE-13 ␛]52;c;cHduZWQ=␇")  # home: names with OSC 52 shown, not run
    for key, shown in (
        ("3", "filter all"),  # ACS users
        ("f", "filter linked"),
        ("2", "Kisi organization"),  # systems (their names hold escapes and click actions)
        ("4", "recent change"),  # activity
        ("w", "sandbox-hostile"),  # workspaces: the hostile workspace's name as a label
        ("1", "41 identities"),
    ):
        terminal.send(key)
        terminal.wait_for(shown)
    terminal.send("\r")  # open the highlighted identity
    terminal.wait_for("suggested match")
    terminal.send("d")  # its delete dialog
    terminal.wait_for("Delete identity")
    terminal.send("n")
    terminal.send("q")
    code = terminal.finish()

    assert code == 0
    assert terminal.seconds < RUN_LIMIT_S
    raw = POINTER_SHAPE.sub(b"", terminal.output)
    forbidden = [s for s in FORBIDDEN if s in raw]
    invisible = [c for c in INVISIBLE if c in raw]
    # No data value's escape sequence, whole, reached the terminal.
    sequences = [s.value.encode() for s in CORPUS if "\x1b" in s.value]
    passed = [s for s in sequences if s in raw]
    text = terminal.text()
    placeholders = ("␛]0;pwned-title␇", "⟨U+202E⟩", "[@click=app.quit]", "Jane [contractor]")
    record(
        "hostile data: real terminal",
        bytes_written=len(terminal.output),
        osc_csi_or_bell_from_data=len(forbidden) + len(passed),
        c1_bidi_or_zero_width=len(invisible),
        exit_code=code,
    )
    assert forbidden == []
    assert invisible == []
    assert passed == []
    assert all(p in text for p in placeholders)
