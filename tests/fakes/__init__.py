"""Test doubles shared by the test suites (the simulator is preferred wherever it can do the job)."""
