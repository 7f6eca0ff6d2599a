#!/usr/bin/env bash
# Installs what the pipeline needs from the operating system, not from PyPI:
#   a CJK font (charts and PDF must never show a box for a Chinese character), and
#   with --for-tests, poppler-utils (pdftotext, pdffonts) for the end-to-end checks and Debian's
#   chromium for the browser test (Playwright drives it; no browser is downloaded).
# Installs with apt-get when run as root on Debian/Ubuntu; otherwise says what to install.
set -euo pipefail

need=()
if ! { command -v fc-list >/dev/null && fc-list :lang=zh family | grep -q .; }; then
  need+=(fontconfig fonts-noto-cjk)
fi
if [[ "${1:-}" == "--for-tests" ]]; then
  command -v pdftotext >/dev/null || need+=(poppler-utils)
  command -v chromium >/dev/null || need+=(chromium)
fi
[[ ${#need[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Missing system packages: ${need[*]}" >&2
  echo "Install them, e.g.: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
