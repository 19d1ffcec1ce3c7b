#!/usr/bin/env bash
# Everything the book and its tests need, on a Debian machine that has python3 (3.11 or later):
#
#   bash tools/setup-env.sh venv      the virtual environment .venv with the pinned environment of the book
#                                     (requirements.txt; Debian's python3-venv first, if python3 cannot make one)
#   bash tools/setup-env.sh browser   Debian's chromium and chromium-driver for the browser test, if missing
#   bash tools/setup-env.sh           both, the browser first (what the README's test command runs)
#
# Debian packages are installed with apt-get, as root or through sudo. Without either, the script says which
# packages to install and stops with status 1. Run it from anywhere; it works in the checkout that holds it.
# CEVNS_CHROMIUM and CEVNS_CHROMEDRIVER override where the browser test looks for the browser and its driver
# (default /usr/bin/chromium, /usr/bin/chromedriver, where Debian installs them).
set -euo pipefail
here=${BASH_SOURCE[0]}
[[ ${here} == */* ]] || here=./${here}
cd "${here%/*}/.."

CHROMIUM=${CEVNS_CHROMIUM:-/usr/bin/chromium}
CHROMEDRIVER=${CEVNS_CHROMEDRIVER:-/usr/bin/chromedriver}

fail() {
    echo "setup-env: $*" >&2
    exit 1
}

apt_install() {    # apt_install WHAT PACKAGE...: install Debian packages (as root, or with sudo)
    local what=$1 sudo=""
    shift
    if ! command -v apt-get >/dev/null; then
        fail "${what} needs $* (Debian package names); this is not a Debian system (no apt-get): install them with its package manager, then run this script again"
    fi
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null; then
            sudo="sudo"
        else
            fail "${what} needs Debian's $*, and this user is neither root nor has sudo: as root, run
    apt-get update && apt-get install -y $*
then run this script again"
        fi
    fi
    echo "setup-env: installing $* (${what}) with ${sudo:+sudo }apt-get"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

make_venv() {
    command -v python3 >/dev/null || fail "python3 (3.11 or later) is needed: apt-get install -y python3"
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || fail "python3 is $(python3 -V 2>&1); the book needs Python 3.11 or later"
    if ! python3 -m venv .venv; then      # Debian's python3 makes no venv without its python3-venv package
        apt_install "a virtual environment" python3-venv
        python3 -m venv .venv
    fi
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -r requirements.txt
    echo "setup-env: .venv ready ($(.venv/bin/python -V)); activate it with: . .venv/bin/activate"
}

browser() {
    if [ -x "${CHROMIUM}" ] && [ -x "${CHROMEDRIVER}" ]; then
        echo "setup-env: chromium and chromedriver present"
        return
    fi
    apt_install "the browser test (tests/test_browser.py)" chromium chromium-driver
    [ -x "${CHROMIUM}" ] && [ -x "${CHROMEDRIVER}" ] \
        || fail "chromium and chromium-driver are installed, but ${CHROMIUM} or ${CHROMEDRIVER} is missing"
    echo "setup-env: installed chromium and chromium-driver"
}

case "${1:-all}" in
    venv) make_venv ;;
    browser) browser ;;
    all) browser; make_venv ;;
    *) fail "unknown step '$1': use venv, browser or nothing (both)" ;;
esac
