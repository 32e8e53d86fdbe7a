"""Benchmarks of issue 8: ``make bench`` (``python bench/run.py``) writes ``bench/results.json``."""
