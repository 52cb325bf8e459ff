"""Keep numba's on-disk cache in step with the engine's sources.

numba checks only the timestamp of the file that defines a cached function, so a loop
compiled with an older kernel inlined stays in use after the kernel changes (an edited
checkout). Before anything compiles, the hash of every source with cached JIT code is
compared with the one recorded next to the cache; if they differ, the cache is cleared.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
SOURCES = ("devices/mtj.py", "devices/switching.py", "engine/waveforms.py", "engine/kernel.py",
           "engine/loops.py", "engine/energy.py")
STAMP = "spinsnn-jit.sha256"


def sources_hash() -> str:
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update((PACKAGE / name).read_bytes())
    return digest.hexdigest()


def refresh() -> None:
    """Delete cached machine code compiled from other versions of the sources."""
    current = sources_hash()
    stamp = PACKAGE / "engine" / "__pycache__" / STAMP
    try:
        if stamp.read_text() == current:
            return
    except OSError:
        pass
    for folder in {(PACKAGE / name).parent / "__pycache__" for name in SOURCES}:
        for path in [*folder.glob("*.nbi"), *folder.glob("*.nbc")]:
            path.unlink(missing_ok=True)
    try:
        stamp.parent.mkdir(exist_ok=True)
        stamp.write_text(current)
    except OSError:  # a read-only install: numba then compiles in memory anyway
        pass
