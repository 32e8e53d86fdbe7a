"""Large request bodies and glibc's heap: keep a long push's memory flat.

A push builds, stores and sends request bodies of a few megabytes, one after another, on several
threads. glibc serves an allocation that large with ``mmap`` (returned to the system when freed) only
until the first one is freed: it then raises its ``mmap`` threshold to that size (up to 32 MB), and
later bodies come from the threads' heaps, which fragment and keep what they once held. Measured with
the B5 feeds (``bench/b5_memory.py``) in 2,700-product batches: a 200,000-product push peaked at
181 MB against 90 MB for 10,000 products; with the threshold fixed at 1 MB, 110 MB against 79 MB.

:func:`release_large_buffers` fixes the threshold, as ``MALLOC_MMAP_THRESHOLD_=1048576`` in the
environment would. The command line calls it once at start; a program that embeds the SDK decides
for its own process (it changes how the whole process allocates).
"""

from __future__ import annotations

import ctypes
import os
import sys
from typing import Final

__all__ = ["LARGE_BUFFER_BYTES", "release_large_buffers"]

#: Allocations of this size and more are served by ``mmap`` and returned to the system when freed.
LARGE_BUFFER_BYTES: Final = 1 << 20
#: glibc's ``mallopt`` parameter number for the ``mmap`` threshold (malloc.h).
_M_MMAP_THRESHOLD: Final = -3
#: The environment variable with which a user sets the threshold (then left as the user set it).
_USER_SETTING: Final = "MALLOC_MMAP_THRESHOLD_"


def release_large_buffers() -> bool:
    """Have glibc return large freed buffers to the system (see the module doc); whether it was set.

    Does nothing (``False``) outside Linux, with a C library without ``mallopt`` (musl accepts and
    ignores it), or when ``MALLOC_MMAP_THRESHOLD_`` is set in the environment.
    """
    if not sys.platform.startswith("linux") or _USER_SETTING in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):  # pragma: no cover - no C library symbols visible
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, LARGE_BUFFER_BYTES))
