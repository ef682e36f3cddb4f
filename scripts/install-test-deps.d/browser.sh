#!/usr/bin/env bash
# Debian's Chromium for the dashboard's browser tests and the PDF reports, poppler-utils for
# pdftotext (the PDF test reads the report's text), DejaVu fonts for Swedish letters in the PDF.
# playwright-core drives /usr/bin/chromium; it never downloads a browser of its own. Idempotent.
set -euo pipefail
cd "$(dirname "$0")"
bash ../apt-install.sh chromium poppler-utils fonts-dejavu-core
