#!/usr/bin/env bash
# Install the Debian TeX tool chain the PDF report needs, when it is missing.
set -u
pkgs="texlive-xetex texlive-lang-chinese fonts-noto-cjk latexmk poppler-utils"
if command -v xelatex >/dev/null && command -v latexmk >/dev/null && command -v pdftoppm >/dev/null \
   && fc-list 2>/dev/null | grep -q "Noto Serif CJK"; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "setup-tex: no apt-get here; install xelatex, latexmk, xeCJK and Noto CJK fonts by hand for PDF reports" >&2
    exit 0
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "setup-tex: installing $pkgs"
$sudo apt-get update -qq && \
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $pkgs >/dev/null \
  || { echo "setup-tex: apt-get failed; PDF reports will not build (the .tex is still written)" >&2; exit 0; }
