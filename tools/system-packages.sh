#!/usr/bin/env bash
# Installs what the pipeline needs from the operating system, not from PyPI:
#   CJK fonts, so that no chart or page shows a box for a Chinese character:
#     - Noto CJK (fonts-noto-cjk), the fallback of every role;
#     - the Fandol faces of the official-document layout (仿宋, 黑体, 楷体, 宋体; GPL with the font
#       exception), taken out of Debian's texlive-lang-chinese with `apt-get download` + `dpkg -x`,
#       without installing TeX, into $FONT_DIR (default /usr/local/share/fonts/fandol as root,
#       ~/.local/share/fonts/fandol otherwise), where fontconfig, Typst, matplotlib and LibreOffice find them;
#   LibreOffice Writer (no GUI), which lays out the Word copy so preflight checks its pages as a reviewer
#   sees them (helpers.document.wordlayout);
#   with --for-tests, poppler-utils (pdftotext, pdffonts) for the end-to-end checks and Debian's chromium
#   for the browser test (Playwright drives it; no browser is downloaded).
# Idempotent: what is already there is left alone. Installs with apt-get when run as root on
# Debian/Ubuntu; otherwise says what to install.
set -euo pipefail

root=0; [[ $(id -u) -eq 0 ]] && root=1
FONT_DIR=${FONT_DIR:-$([[ $root -eq 1 ]] && echo /usr/local/share/fonts/fandol || echo "${XDG_DATA_HOME:-$HOME/.local/share}/fonts/fandol")}
FANDOL=(FandolFang-Regular FandolHei-Regular FandolHei-Bold FandolKai-Regular FandolSong-Regular FandolSong-Bold)

need=()
if ! { command -v fc-list >/dev/null && fc-list :lang=zh family | grep -q "Noto Serif CJK SC"; }; then
  need+=(fontconfig fonts-noto-cjk)
fi
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
if [[ "${1:-}" == "--for-tests" ]]; then
  command -v pdftotext >/dev/null || need+=(poppler-utils)
  command -v chromium >/dev/null || need+=(chromium)
fi

updated=0
apt_update() { [[ $updated -eq 1 ]] || { apt-get update -qq; updated=1; }; }

if [[ ${#need[@]} -gt 0 ]]; then
  if [[ $root -eq 1 ]] && command -v apt-get >/dev/null; then
    echo "Installing system packages: ${need[*]}"
    apt_update
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "Missing system packages: ${need[*]}" >&2
    echo "Install them, e.g.: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
fi

missing_fandol() { for f in "${FANDOL[@]}"; do [[ -s "$FONT_DIR/$f.otf" ]] || return 0; done; return 1; }
if missing_fandol; then
  if ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
    echo "The Fandol fonts (仿宋、黑体、楷体、宋体) are not installed, and apt-get is not here to fetch them;" >&2
    echo "the report falls back to Noto CJK. Put ${FANDOL[*]/%/.otf} into $FONT_DIR to use them." >&2
    exit 0
  fi
  echo "Installing the Fandol fonts into $FONT_DIR (from Debian's texlive-lang-chinese, without TeX)"
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  chmod 755 "$work"  # apt's download user must be able to write here
  [[ $root -eq 1 ]] && apt_update
  (cd "$work" && apt-get download -qq texlive-lang-chinese >/dev/null 2>&1) || {
    [[ $root -eq 1 ]] && apt-get update -qq && (cd "$work" && apt-get download -qq texlive-lang-chinese >/dev/null)
  }
  dpkg -x "$work"/texlive-lang-chinese_*.deb "$work/x"
  mkdir -p "$FONT_DIR"
  for f in "${FANDOL[@]}"; do
    cp "$work/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/$f.otf" "$FONT_DIR/"
  done
  cp "$work/x/usr/share/doc/texlive-doc/fonts/fandol/README" "$FONT_DIR/README.fandol" 2>/dev/null || true
  zcat "$work/x/usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz" > "$FONT_DIR/COPYING.fandol" 2>/dev/null || true
  fc-cache -f "$FONT_DIR" >/dev/null 2>&1 || true
fi
