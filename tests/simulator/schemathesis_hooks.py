"""schemathesis hooks for the simulator's contract run (``SCHEMATHESIS_HOOKS=tests.simulator.schemathesis_hooks``).

The exemption moved to ``contract_tests/hooks.py`` (the contract harness owns it); importing it registers
the ``criteo_positive_data_acceptance`` check, which replaces the built-in ``positive_data_acceptance``
for the one 400 the effective spec cannot express (``duplicate-product``). Kept so that existing
``SCHEMATHESIS_HOOKS`` settings keep working.
"""

from __future__ import annotations

from contract_tests.hooks import EXEMPT_REJECTIONS, criteo_positive_data_acceptance

__all__ = ["EXEMPT_REJECTIONS", "criteo_positive_data_acceptance"]
