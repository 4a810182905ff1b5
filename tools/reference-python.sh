#!/usr/bin/env bash
# Prints the path of a python3 that imports torch, nibabel, scipy and numpy (the reference used
# for parity checks and benchmarks), or exits 1. TRANSSEG_PYTHON overrides the search.
for py in ${TRANSSEG_PYTHON:-} python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null 2>&1 && "$py" -c "import torch, nibabel, scipy, numpy" >/dev/null 2>&1; then
    command -v "$py"
    exit 0
  fi
done
exit 1
