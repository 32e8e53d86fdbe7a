#!/usr/bin/env bash
# Regenerate the effective spec and the generated package into a temporary folder and fail on any
# difference with what is committed, including files added or removed.
set -euo pipefail
python=${PYTHON_BIN:-.venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" -m spec_tools apply --spec openapi/published.yaml --overlay openapi/overlay.yaml --out "$work/catalog.yaml"
status=0
if ! diff -u openapi/catalog.yaml "$work/catalog.yaml"; then
  echo "openapi/catalog.yaml is out of date: run 'make spec'" >&2
  status=1
fi
tools/generate.sh "$work/catalog.yaml" "$work/_generated"
if ! diff -r -u -x __pycache__ criteo_catalog_sdk/_generated "$work/_generated"; then
  echo "criteo_catalog_sdk/_generated is out of date or was edited by hand: run 'make generate'" >&2
  status=1
fi
[ "$status" -eq 0 ] && echo "generated spec and code are up to date"
exit "$status"
