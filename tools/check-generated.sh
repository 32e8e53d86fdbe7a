#!/usr/bin/env bash
# Rebuild every generation's effective spec and the generated packages into a temporary folder and
# fail on any difference with what is committed, including files added or removed.
set -euo pipefail
python=${PYTHON_BIN:-.venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for dir in openapi/*/; do
  generation=$(basename "$dir")
  [ -f "$dir/published.yaml" ] || continue
  mkdir -p "$work/openapi/$generation"
  cp "$dir/published.yaml" "$work/openapi/$generation/published.yaml"
  "$python" -m spec_tools apply --spec "$dir/published.yaml" --overlay "$dir/overlay.yaml" \
    --out "$work/openapi/$generation/catalog.yaml"
  if ! diff -u "$dir/catalog.yaml" "$work/openapi/$generation/catalog.yaml"; then
    echo "openapi/$generation/catalog.yaml is out of date: run 'make spec'" >&2
    status=1
  fi
done
tools/generate.sh "$work/openapi" "$work/_generated"
if ! diff -r -u -x __pycache__ criteo_catalog_sdk/_generated "$work/_generated"; then
  echo "criteo_catalog_sdk/_generated is out of date or was edited by hand: run 'make generate'" >&2
  status=1
fi
[ "$status" -eq 0 ] && echo "generated specs and code are up to date"
exit "$status"
