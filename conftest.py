"""Settings of this repository's own test runs (tests/ and contract_tests/)."""

import os

# The client-side application call budget (250 calls/min, shared by every client of an application in a
# process) would make this suite, which makes thousands of calls a minute to simulators that are reset
# between tests, wait for nothing. Tests of the budget pass it explicitly (tests/test_budget.py), and so
# do the end-to-end ones that measure it against the simulator's own budget.
os.environ.setdefault("CRITEO_APP_BUDGET", "off")
