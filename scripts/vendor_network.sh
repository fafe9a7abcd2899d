#!/usr/bin/env bash
# Rebuilds the network page's browser bundle from pinned npm packages:
#   site_overrides/assets/javascripts/vendor/network-vendor.min.js   (sigma.js + graphology, an IIFE
#                                                                      exposing window.BriefingsNetwork)
#   site_overrides/assets/javascripts/vendor/network-vendor.LICENSES.txt  (their MIT licences)
# The versions are those of scripts/vendor-network/package-lock.json (`npm ci`: exactly the
# locked tree, no install scripts). To upgrade: edit package.json there, run `npm install
# --package-lock-only` in that folder, run this script, look at the network page, commit all.
# Needs node and npm (Node 18+); nothing is fetched at build or page-load time, and no CDN is used.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
src="$repo/scripts/vendor-network"
out="$repo/site_overrides/assets/javascripts/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cp "$src/package.json" "$src/package-lock.json" "$src/entry.js" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
mkdir -p "$out"
"$work/node_modules/.bin/esbuild" "$work/entry.js" --bundle --minify --format=iife \
  --global-name=BriefingsNetwork --target=es2019 --legal-comments=none --log-level=warning \
  --outfile="$out/network-vendor.min.js"

{
  echo "network-vendor.min.js bundles the following packages (built by scripts/vendor_network.sh)."
  for package in sigma graphology graphology-utils events obliterator; do
    dir="$work/node_modules/$package"
    version="$(node -p "require('$dir/package.json').version")"
    echo
    echo "==== $package $version ===="
    cat "$dir"/LICEN[CS]E*
  done
} > "$out/network-vendor.LICENSES.txt"
echo "wrote $out/network-vendor.min.js ($(wc -c < "$out/network-vendor.min.js") bytes) and its licences"
