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


def child_says(script: str, mode: str, unset: str, **env: str) -> tuple[str, int]:
    """What a child running ``script`` prints (whether it set the setting, a count), ``unset`` removed
    from its environment and ``env`` added."""
    out = subprocess.run(
        [sys.executable, "-c", script, mode],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != unset} | env,
    )
    applied, count = out.stdout.split()
    return applied, int(count)


def run_child(mode: str, **env: str) -> tuple[str, int]:
    return child_says(CHILD, mode, "MALLOC_MMAP_THRESHOLD_", **env)


def test_after_release_large_buffers_a_large_buffer_is_mapped_even_after_a_larger_one_was_freed() -> None:
    assert run_child("tune") == ("True", 1)


def test_without_it_glibc_serves_it_from_a_heap() -> None:
    """The behaviour the module works around (if glibc changes it, the module may go)."""
    assert run_child("default") == ("False", 0)


def test_a_threshold_the_user_set_in_the_environment_is_left_alone() -> None:
    tuned, mapped = run_child("tune", MALLOC_MMAP_THRESHOLD_="8388608")
    assert (tuned, mapped) == ("False", 0)  # the user's 8 MB threshold: a 2 MB buffer from the heap


ARENAS_CHILD = textwrap.dedent(
    """
    import ctypes, os, sys, tempfile, threading
    from criteo_catalog_sdk.heap import share_one_heap

    shared = share_one_heap() if sys.argv[1] == "share" else False
    kept = []

    def allocate():
        kept.append([bytes(200) + bytes([i % 256]) for i in range(2000)])  # malloc'd on this thread

    threads = [threading.Thread(target=allocate) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    libc = ctypes.CDLL(None)
    libc.fopen.restype = ctypes.c_void_p
    libc.fopen.argtypes = (ctypes.c_char_p, ctypes.c_char_p)
    libc.malloc_info.argtypes = (ctypes.c_int, ctypes.c_void_p)
    libc.fclose.argtypes = (ctypes.c_void_p,)
    path = os.path.join(tempfile.mkdtemp(), "malloc.xml")
    stream = libc.fopen(path.encode(), b"w")
    libc.malloc_info(0, stream)
    libc.fclose(stream)
    print(shared, open(path).read().count("<heap nr="))
    """
)


def heaps_of_child(mode: str, **env: str) -> tuple[str, int]:
    return child_says(ARENAS_CHILD, mode, "MALLOC_ARENA_MAX", **env)


def test_after_share_one_heap_every_thread_allocates_from_one_heap() -> None:
    assert heaps_of_child("share") == ("True", 1)


def test_without_it_threads_get_heaps_of_their_own() -> None:
    """The behaviour the setting works around."""
    shared, heaps = heaps_of_child("default")
    assert shared == "False" and heaps > 1


def test_an_arena_limit_the_user_set_in_the_environment_is_left_alone() -> None:
    shared, heaps = heaps_of_child("share", MALLOC_ARENA_MAX="8")
    assert shared == "False" and heaps > 1


def test_keep_memory_flat_applies_both_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from criteo_catalog_sdk import heap

    applied: list[str] = []
    monkeypatch.setattr(heap, "release_large_buffers", lambda: applied.append("threshold") or True)
    monkeypatch.setattr(heap, "share_one_heap", lambda: applied.append("one heap") or False)
    assert heap.keep_memory_flat() is True and applied == ["threshold", "one heap"]
