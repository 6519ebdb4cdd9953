"""The kernel's hold on a worker's memory, beside the parent's poll.

The parent looks at a worker's resident memory every 0.5 s (workers.py): a job that takes a
gigabyte and lets it go between two looks passes any `--max-memory`. So before each job the
worker caps its own writable memory — RLIMIT_DATA: heap and private writable mappings, inherited
by the children it starts, e.g. tesseract — at what it holds now, plus the job's limit, plus
LAZY_IMPORT_HEADROOM for the libraries a job may still load. An allocation over the cap fails at
once, however fast it comes: a MemoryError in Python (the job fails with `memory`), or a C
library that gives up (the worker dies, and the message says it was capped). The poll stays the
precise, slower limit; the cap is the one nothing outruns. A cgroup would hold the limit to the
byte, but needs a delegated cgroup tree a run cannot count on.
"""

from __future__ import annotations

import resource

# writable address space the OCR stack reserves when the first scanned page loads it, before it
# uses any (measured: VmData 27 → 316 MiB importing numpy, cv2 and the OCR modules, RSS 43 → 146)
LAZY_IMPORT_HEADROOM = 384 * 2**20


def cap_memory(memory_bytes: int | None) -> None:
    """Cap this process's writable memory for the next job (RLIMIT_DATA: heap and private
    mappings, inherited by the children it starts): what it holds now, plus the job's limit, plus
    room for the libraries a job may still load. No limit: no cap."""
    soft = resource.RLIM_INFINITY
    if memory_bytes is not None:
        held = _data_bytes()
        if held is None:
            return  # no /proc: the poll alone holds the limit
        soft = held + memory_bytes + LAZY_IMPORT_HEADROOM
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY and (soft == resource.RLIM_INFINITY or soft > hard):
        soft = hard
    resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


def _data_bytes() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def over_limit(memory_bytes: int | None) -> str:
    limit = f"the {memory_bytes / 2**20:.0f} MiB limit" if memory_bytes else "the memory available"
    return f"an allocation went over {limit} (held by the kernel); the job was stopped"
