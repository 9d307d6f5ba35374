#!/usr/bin/env bash
# Replaces the text between <!-- headline:start --> and <!-- headline:end --> in README with FILE's content.
#   lib/readme-headline.sh README FILE
set -euo pipefail
readme="$1"; file="$2"
grep -q '<!-- headline:start -->' "$readme" || { echo "readme-headline: no markers in $readme" >&2; exit 0; }
awk -v f="$file" '
  /<!-- headline:start -->/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
  /<!-- headline:end -->/ { skip = 0 }
  !skip { print }' "$readme" > "$readme.tmp"
mv "$readme.tmp" "$readme"
