"""A local, stateful simulator of Criteo's Catalog API (optional extra ``[simulator]``)."""
