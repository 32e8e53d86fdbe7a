#!/usr/bin/env bash
# Generate the SDK's low-level package from an effective spec into OUT_DIR (replacing it).
# usage: tools/generate.sh SPEC OUT_DIR     (run from the repository root; see `make generate`)
# The generator and its formatter come from the pinned environment .tools/generator, so the output
# is byte-for-byte the same on every machine.
set -euo pipefail
spec=$1
out=$2
gen_bin="${GENERATOR_BIN:-.tools/generator/bin}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
PATH="$PWD/$gen_bin:$PATH" openapi-python-client generate \
  --path "$spec" \
  --config generator-config.yaml \
  --meta none \
  --fail-on-warning \
  --output-path "$work/_generated" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
cp tools/generated-README.md "$work/_generated/README.md"
# The effective spec travels with the code generated from it: the simulator and the contract
# tests load it as package data.
cp "$spec" "$work/_generated/catalog.yaml"
# ...and as JSON, so that the SDK reads it at run time without a YAML parser.
"${PYTHON_BIN:-.venv/bin/python}" -c 'import json, sys, yaml
json.dump(yaml.safe_load(open(sys.argv[1], encoding="utf-8")), open(sys.argv[2], "w", encoding="utf-8"), indent=1, ensure_ascii=False)
open(sys.argv[2], "a", encoding="utf-8").write("\n")' "$spec" "$work/_generated/catalog.json"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
mv "$work/_generated" "$out"
