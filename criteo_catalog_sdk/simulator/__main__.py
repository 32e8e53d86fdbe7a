"""``python -m criteo_catalog_sdk.simulator [OPTIONS]``: the ``criteo-catalog simulator`` command."""

from criteo_catalog_sdk.cli.simulator import simulator

if __name__ == "__main__":
    simulator.main(prog_name="python -m criteo_catalog_sdk.simulator")
