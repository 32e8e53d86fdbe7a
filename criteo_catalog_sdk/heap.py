"""Large request bodies, several threads and glibc's heap: keep a long push's memory flat.

A push reads, records and sends batches of megabytes, one after another, on several threads. Two of
glibc's defaults make its resident memory grow with the push's length rather than with what it holds:

- **Large buffers.** glibc serves an allocation of a megabyte or more with ``mmap`` (returned to the
  system when freed) only until the first one is freed: it then raises its ``mmap`` threshold to that
  size (up to 32 MB), and later buffers come from the threads' heaps, which fragment and keep what
  they once held. Measured with the B5 feeds (``bench/b5_memory.py``) in 2,700-product batches: a
  200,000-product push peaked at 181 MB against 90 MB for 10,000 products; with the threshold fixed at
  1 MB, 110 MB against 79 MB. :func:`release_large_buffers` fixes it, as
  ``MALLOC_MMAP_THRESHOLD_=1048576`` in the environment would.
- **One heap per thread.** Each thread that allocates gets a heap (an *arena*) of its own, up to eight
  per core, and memory freed in one is not reused by the others: a push's worker threads (journal
  calls, sends, report polls) each keep a few megabytes of what they once held. Measured with B5's
  200,000-product probe: 6 thread heaps held 14 MB where the 10,000-product push's 3 held 6; with one
  heap for all threads the peak went from 87-89 to 83 MB (10,000 products: 68.5 either way), with no
  change of B9's CPU (the threads allocate while holding Python's GIL: they seldom contend for the
  heap). :func:`share_one_heap` sets it, as ``MALLOC_ARENA_MAX=1`` would.

:func:`keep_memory_flat` applies both. The command line calls it once at start; a program that embeds
the SDK decides for its own process (they change how the whole process allocates). A setting the
user made in the environment is left alone.
"""

from __future__ import annotations

import ctypes
import os
import sys
from typing import Final

__all__ = ["LARGE_BUFFER_BYTES", "keep_memory_flat", "release_large_buffers", "share_one_heap"]

#: Allocations of this size and more are served by ``mmap`` and returned to the system when freed.
LARGE_BUFFER_BYTES: Final = 1 << 20
#: glibc's ``mallopt`` parameter numbers (malloc.h) and the environment variables that set them.
_M_MMAP_THRESHOLD: Final = -3
_M_ARENA_MAX: Final = -8
_MMAP_THRESHOLD_VARIABLE: Final = "MALLOC_MMAP_THRESHOLD_"
_ARENA_MAX_VARIABLE: Final = "MALLOC_ARENA_MAX"


def _mallopt(parameter: int, value: int, variable: str) -> bool:
    """Set a glibc ``mallopt`` parameter unless ``variable`` is set in the environment; whether it was.

    ``False`` outside Linux and with a C library without ``mallopt`` (musl accepts and ignores it).
    """
    if not sys.platform.startswith("linux") or variable in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):  # pragma: no cover - no C library symbols visible
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(parameter, value))


def release_large_buffers() -> bool:
    """Have glibc return large freed buffers to the system (see the module doc); whether it was set.

    Does nothing (``False``) where :func:`_mallopt` cannot, or when ``MALLOC_MMAP_THRESHOLD_`` is set.
    """
    return _mallopt(_M_MMAP_THRESHOLD, LARGE_BUFFER_BYTES, _MMAP_THRESHOLD_VARIABLE)


def share_one_heap() -> bool:
    """Have glibc serve every thread from one heap (see the module doc); whether it was set. Call it
    before the threads start: one that has allocated keeps its heap.

    Does nothing (``False``) where :func:`_mallopt` cannot, or when ``MALLOC_ARENA_MAX`` is set.
    """
    return _mallopt(_M_ARENA_MAX, 1, _ARENA_MAX_VARIABLE)


def keep_memory_flat() -> bool:
    """Both of the module's settings, as the command line applies them at start; whether any was set."""
    released = release_large_buffers()
    shared = share_one_heap()
    return released or shared
