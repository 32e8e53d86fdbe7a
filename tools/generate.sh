#!/usr/bin/env bash
# Generate the SDK's low-level packages, one per Criteo API generation, into OUT_DIR (replacing it).
# usage: tools/generate.sh OPENAPI_DIR OUT_DIR [GENERATION...]   (run from the repository root; see
# `make generate`). With GENERATIONs, only those are generated: the other generations' packages are
# copied from OUT_DIR as they are (`make update-spec` refreshes one generation, leaves the others be).
# Every OPENAPI_DIR/<generation>/catalog.yaml (the effective spec) becomes OUT_DIR/<module>/, where
# <module> is the generation's Python name (`python -m spec_tools module-name`: 2027-01 -> v2027_01).
# The generator and its formatter come from the pinned environment .tools/generator, so the output
# is byte-for-byte the same on every machine.
set -euo pipefail
specs=$1
out=$2
shift 2
only=" $* "
gen_bin="${GENERATOR_BIN:-.tools/generator/bin}"
python="${PYTHON_BIN:-.venv/bin/python}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/_generated"
generations=()
for dir in "$specs"/*/; do
  generation=$(basename "$dir")
  [ -f "$dir/catalog.yaml" ] || continue
  module=$("$python" -m spec_tools module-name "$generation")
  target="$work/_generated/$module"
  generations+=("$generation")
  if [ "$only" != "  " ] && [[ "$only" != *" $generation "* ]] && [ -d "$out/$module" ]; then
    cp -R "$out/$module" "$target"
    find "$target" -name __pycache__ -prune -exec rm -rf {} +
    continue
  fi
  PATH="$PWD/$gen_bin:$PATH" openapi-python-client generate \
    --path "$dir/catalog.yaml" \
    --config generator-config.yaml \
    --meta none \
    --fail-on-warning \
    --output-path "$target" >"$work/log" 2>&1 || { cat "$work/log" >&2; exit 1; }
  # The specs travel with the code generated from them, as JSON so that the SDK, the simulator and
  # the contract tests read them at run time without a YAML parser: the effective spec (what the
  # simulator validates against, what the SDK accepts) and the published one (what the SDK sends).
  "$python" -m spec_tools to-json "$dir/catalog.yaml" "$target/catalog.json"
  "$python" -m spec_tools to-json "$dir/published.yaml" "$target/published.json"
done
[ ${#generations[@]} -gt 0 ] || { echo "no $specs/<generation>/catalog.yaml found" >&2; exit 1; }
cp tools/generated-README.md "$work/_generated/README.md"
"$python" -m spec_tools index "${generations[@]}" >"$work/_generated/__init__.py"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
mv "$work/_generated" "$out"
