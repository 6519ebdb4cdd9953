#!/usr/bin/env bash
# Install the Debian packages the pipeline needs, only those that are missing.
#   tesseract-ocr, tesseract-ocr-chi-sim   OCR of scanned pages (chi_sim model)
#   fonts-wqy-zenhei, fonts-arphic-uming   CJK TrueType fonts: the sample generator renders with them
#   python3-venv                           `make` builds a virtual environment
#   libtesseract-dev, libleptonica-dev,    tesserocr (tesseract in the process) is built against the system's
#   g++, pkg-config, python3-dev           tesseract, so that it reads exactly as the `tesseract` command does
# Extra groups: `--bench` adds ocrmypdf (the OCR baseline); `--browser` adds chromium (HTML tests and
# screenshots: Playwright drives Debian's /usr/bin/chromium, it never downloads a browser of its own);
# `--producers` adds the outside programs samplegen prints reports with (chromium, LibreOffice Writer,
# ghostscript) and the Noto CJK fonts (serif and sans) they print in. WeasyPrint's libraries (pango) come
# with these.
set -euo pipefail

need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
tesseract --list-langs 2>/dev/null | grep -qx chi_sim || need+=(tesseract-ocr-chi-sim)
[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || need+=(fonts-wqy-zenhei)
[ -e /usr/share/fonts/truetype/arphic/uming.ttc ] || need+=(fonts-arphic-uming)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3-venv)
[ -e /usr/include/tesseract/baseapi.h ] || need+=(libtesseract-dev)
[ -e /usr/include/leptonica/allheaders.h ] || need+=(libleptonica-dev)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
python3 -c 'import os, sysconfig; assert os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h"))' \
  >/dev/null 2>&1 || need+=(python3-dev)
for arg in "$@"; do
  case "$arg" in
    --bench) command -v ocrmypdf >/dev/null 2>&1 || need+=(ocrmypdf) ;;
    --browser) command -v chromium >/dev/null 2>&1 || need+=(chromium) ;;
    --producers)
      command -v chromium >/dev/null 2>&1 || need+=(chromium)
      command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
      command -v gs >/dev/null 2>&1 || need+=(ghostscript)
      [ -e /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ] || need+=(fonts-noto-cjk)
      ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
      ;;
  esac
done

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "installing Debian packages: ${need[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
