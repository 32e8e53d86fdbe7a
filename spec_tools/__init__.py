"""Build-time tooling for the OpenAPI documents in ``openapi/``.

Not shipped with the SDK: it applies the overlay (``make spec``), slices Criteo's whole
MarketingSolutions document down to the Catalog operations (``make update-spec``) and summarises
what changed between two revisions.
"""
