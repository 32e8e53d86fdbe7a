"""criteo_catalog_sdk.heap: large freed buffers go back to the system (glibc's mmap threshold fixed).

Each case runs in a child process (the setting is process-wide). The effect is read from glibc's own
count of mmapped blocks (``mallinfo2().hblks``): once a 4 MB buffer has been freed, glibc's default
serves the next 2 MB one from a heap (it raised its threshold), the fixed threshold from ``mmap``.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not hasattr(ctypes.CDLL(None), "mallinfo2"),
    reason="glibc >= 2.33 (mallinfo2) only",
)

CHILD = textwrap.dedent(
    """
    import ctypes, sys
    from criteo_catalog_sdk.heap import release_large_buffers

    class MallInfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
            "keepcost")]

    mallinfo2 = ctypes.CDLL(None).mallinfo2
    mallinfo2.restype = MallInfo2
    tuned = release_large_buffers() if sys.argv[1] == "tune" else False
    first = bytearray(4 << 20)
    del first  # glibc's default raises its threshold to 4 MB here
    before = mallinfo2().hblks
    second = bytearray(2 << 20)
    print(tuned, mallinfo2().hblks - before)
    """
)


def run_child(mode: str, **env: str) -> tuple[str, int]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "MALLOC_MMAP_THRESHOLD_"} | env,
    )
    tuned, mapped = out.stdout.split()
    return tuned, int(mapped)


def test_after_release_large_buffers_a_large_buffer_is_mapped_even_after_a_larger_one_was_freed() -> None:
    assert run_child("tune") == ("True", 1)


def test_without_it_glibc_serves_it_from_a_heap() -> None:
    """The behaviour the module works around (if glibc changes it, the module may go)."""
    assert run_child("default") == ("False", 0)


def test_a_threshold_the_user_set_in_the_environment_is_left_alone() -> None:
    tuned, mapped = run_child("tune", MALLOC_MMAP_THRESHOLD_="8388608")
    assert (tuned, mapped) == ("False", 0)  # the user's 8 MB threshold: a 2 MB buffer from the heap
