"""Does a regenerated generation work? Run by ``make update-spec`` in a fresh interpreter of the repository.

``python -m spec_tools.smoke <generation>`` imports the SDK and every module of the generation's
generated package, and builds its :class:`~criteo_catalog_sdk.api_versions.ApiVersion`. It prints one
line describing the generation, or one ``error:`` line and exits 1.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys


def describe(name: str) -> str:
    """One line about generation ``name`` as the SDK sees it; raises whatever makes it unusable."""
    from criteo_catalog_sdk.api_versions import get_api_version

    version = get_api_version(name)
    package = importlib.import_module(f"criteo_catalog_sdk._generated.{version.module}")
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
    stats = f"{version.stats.method} {version.stats.template}" if version.stats else "none"
    return (
        f"checked {name}: package {package.__name__} imports; batch {version.batch.method} {version.batch.template};"
        f" report {version.report.method} {version.report.template}; stats {stats};"
        f" merchantId sent as a JSON {version.merchant_id_type}"
    )


def main(argv: list[str]) -> int:
    """Check the generation named by ``argv[0]``."""
    try:
        print(describe(argv[0]))
    except Exception as exc:  # any failure means the package cannot work: say which, in one line
        print(f"error: {type(exc).__name__}: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
