#!/usr/bin/env bash
# Set up, then run every stage on the bundled examples and write the report to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
rm -f out/newsprism.db out/newsprism.db-wal out/newsprism.db-shm
mkdir -p out
.venv/bin/newsprism --db out/newsprism.db run examples --out out
.venv/bin/newsprism --db out/newsprism.db stories
echo "output: $(pwd)/out/index.html (database: $(pwd)/out/newsprism.db)"
