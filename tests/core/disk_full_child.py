"""Run as a child process: create identities until the audit log's file can grow no more.

The file-size limit (RLIMIT_FSIZE) makes the kernel take part of a write and then refuse the
rest, as a disk filling up does. Prints one JSON line per attempt: the name, whether the
service acknowledged it ("ok"), refused it before acting ("refused") or made it unrecorded
("unrecorded"), and the error's message.
"""

from __future__ import annotations

import asyncio
import json
import resource
import signal
import sys
from pathlib import Path

from seam_tui.core import SeamClient
from seam_tui.core.audit import AuditLog
from seam_tui.core.errors import AuditWriteError
from seam_tui.core.inputs import UserIdentityCreate
from seam_tui.core.service import SeamService
from seam_tui.sandbox import Sandbox


async def main(db: Path, audit_path: Path, limit: int, attempts: int) -> None:
    sandbox = Sandbox(db)
    workspace = sandbox.workspaces()[0]
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    async with SeamClient(
        api_key=workspace.api_key, endpoint=sandbox.base_url, transport=sandbox.transport()
    ) as client:
        service = SeamService(
            client, workspace=workspace.name, front_end="script", audit=AuditLog(audit_path)
        )
        for n in range(attempts):
            name = f"Disk Full {n:03d}"
            message = ""
            try:
                await service.create_identity(UserIdentityCreate(full_name=name))
                said = "ok"
            except AuditWriteError as exc:
                said, message = "unrecorded" if exc.done else "refused", str(exc)
            print(json.dumps({"name": name, "said": said, "message": message}), flush=True)
    sandbox.close()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
