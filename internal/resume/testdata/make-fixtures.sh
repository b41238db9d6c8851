#!/bin/sh
# Regenerates the PDF made by a real producer (Chromium's Skia): Type 0 fonts
# with /ToUnicode maps, compressed content and font subsets.
# Needs Debian's chromium. Run from this folder: sh make-fixtures.sh
set -eu
cd "$(dirname "$0")"
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
	--print-to-pdf=cv-chromium.pdf cv.html
