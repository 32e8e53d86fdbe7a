"""A local, stateful simulator of Criteo's Catalog API (optional extra ``[simulator]``).

What stripe-mock is to Stripe's SDKs: the SDK's contract and end-to-end tests, and users' own tests,
run against it without credentials or a merchant. See ``README.md`` in this folder. Entry points:

- ``criteo-catalog simulator`` / ``python -m criteo_catalog_sdk.simulator``: serve it (prints the URL);
- :class:`SimulatorServer` (background thread), :class:`SimulatorProcess` (child process);
- :func:`create_app`: the ASGI app, to mount or drive in-process;
- :class:`SimulatorControl`: drive a running simulator (faults, clock, catalogs) over ``/_simulator/``;
- the ``criteo_simulator`` pytest fixture (``pytest_plugin``).

Names are imported lazily: importing this package loads neither uvicorn nor PyYAML.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from criteo_catalog_sdk.simulator.app import SimulatorApp, create_app
    from criteo_catalog_sdk.simulator.config import Settings, SimulatorConfig
    from criteo_catalog_sdk.simulator.faults import FaultKind, FaultSettings
    from criteo_catalog_sdk.simulator.handle import SimulatorControl
    from criteo_catalog_sdk.simulator.runner import SimulatorProcess, SimulatorServer

_EXPORTS = {
    "SimulatorApp": "app",
    "create_app": "app",
    "Settings": "config",
    "SimulatorConfig": "config",
    "FaultKind": "faults",
    "FaultSettings": "faults",
    "SimulatorControl": "handle",
    "SimulatorProcess": "runner",
    "SimulatorServer": "runner",
}

__all__ = [
    "FaultKind",
    "FaultSettings",
    "Settings",
    "SimulatorApp",
    "SimulatorConfig",
    "SimulatorControl",
    "SimulatorProcess",
    "SimulatorServer",
    "create_app",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
