#!/usr/bin/env bash
# Joins bench/results/*.md (one section per benchmark, in name order) into bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")"
shopt -s nullglob
sections=(results/*.md)
((${#sections[@]})) || { echo "no benchmark results in bench/results/" >&2; exit 1; }
{
  echo "# Benchmark results"
  echo
  echo "Written by \`make bench\`, which runs every bench/bench_* script; each writes its own section to"
  echo "bench/results/<name>.md, joined here. Every section says when and on which machine it ran."
  for section in "${sections[@]}"; do
    echo
    cat "$section"
  done
} >RESULTS.md
echo "    wrote bench/RESULTS.md"
