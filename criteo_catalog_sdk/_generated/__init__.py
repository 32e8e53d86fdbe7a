"""Generated code, one package per Criteo API generation (written by `make generate`; do not edit)."""

GENERATIONS: dict[str, str] = {
    "experimental": "experimental",
    "preview": "preview"
}
