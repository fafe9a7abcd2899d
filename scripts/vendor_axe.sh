#!/usr/bin/env bash
# Vendors axe-core (the accessibility checker the browser tests inject into pages) into
# tests/browser/vendor/: axe.min.js, its licence (MPL-2.0) and the version it came from.
# Usage: scripts/vendor_axe.sh [VERSION]   (default: the version pinned below)
set -euo pipefail
VERSION="${1:-4.14.1}"
HERE="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$HERE/tests/browser/vendor"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
npm install --silent --no-audit --no-fund --prefix "$TMP" "axe-core@$VERSION"
PKG="$TMP/node_modules/axe-core"
mkdir -p "$DEST"
cp "$PKG/axe.min.js" "$DEST/axe.min.js"
cp "$PKG/LICENSE" "$DEST/axe-core.LICENSE"
printf 'axe-core %s (npm), axe.min.js and LICENSE (MPL-2.0) as published; regenerate with scripts/vendor_axe.sh %s\n' \
  "$VERSION" "$VERSION" > "$DEST/axe-core.VERSION"
echo "axe-core $VERSION -> $DEST"
