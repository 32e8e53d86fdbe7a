"""``python -m criteo_catalog_sdk.cli``: the ``criteo-catalog`` command."""

from criteo_catalog_sdk.cli import main

if __name__ == "__main__":
    main(prog_name="criteo-catalog")
