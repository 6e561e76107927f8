#!/usr/bin/env bash
# Vendor the browser libraries of the web app (web/static/vendor/) from the npm
# registry at pinned versions: `npm pack` checks each tarball against the
# registry's integrity hash. Run by hand when a version changes; the files are
# committed, so `serve` fetches nothing from outside at run time.
#
# vega, vega-lite and vega-embed are pinned to what vl-convert-python bundles
# (vl_convert.get_vega_version() etc.), so a chart looks the same in the
# browser and in /api/series.png.
set -euo pipefail

VEGA=6.2.0
VEGA_LITE=6.4.1
VEGA_EMBED=7.0.2
HTMX=2.0.11

here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/web/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
cd "$work"

fetch() {  # package version file-in-package target-name
    local tarball
    tarball="$(npm pack --silent "$1@$2")"
    tar -xzf "$tarball"
    cp "package/$3" "$out/$4"
    rm -rf package "$tarball"
    printf '%s\t%s\t%s\n' "$4" "$1@$2" "$(npm view "$1@$2" dist.integrity)" >> "$work/VERSIONS"
}

fetch vega "$VEGA" build/vega.min.js vega.min.js
fetch vega-lite "$VEGA_LITE" build/vega-lite.min.js vega-lite.min.js
fetch vega-embed "$VEGA_EMBED" build/vega-embed.min.js vega-embed.min.js
fetch htmx.org "$HTMX" dist/htmx.min.js htmx.min.js
{
    printf '# file\tpackage@version\tnpm integrity (of the package tarball)\n'
    cat "$work/VERSIONS"
} > "$out/VERSIONS.tsv"
echo "vendored into $out:"
cat "$out/VERSIONS.tsv"
