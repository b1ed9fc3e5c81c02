#!/usr/bin/env bash
# Install the external reference tools used by `make bench`: tshark, Suricata 7 and GNU time.
#
# * Idempotent: anything already present is left alone (no apt-get at all when nothing is missing).
# * Installs only when running as root; otherwise prints what is missing and carries on.
# * Never fails: it always exits 0, so `make bench` still runs and simply reports absent tools.
#   The reason a tool is absent is written to bench/out/tools-status.txt (read by run_bench.py).
#
# Suricata is not in Debian bookworm main; it comes from bookworm-backports (Suricata 7), enabled
# through a deb822 source file.  Debian only: on other systems it prints what to install by hand.
set -u

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/out"
STATUS="$OUT/tools-status.txt"
mkdir -p "$OUT" 2>/dev/null || true
: >"$STATUS" 2>/dev/null || STATUS=/dev/null

BACKPORTS_SRC=/etc/apt/sources.list.d/bookworm-backports.sources
# Wait up to 10 min for another apt/dpkg (e.g. a parallel tshark install); bounded network waits.
APT=(apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=2 -o Acquire::http::Timeout=30)
export DEBIAN_FRONTEND=noninteractive

log() { echo "setup-tools: $*"; }
status() { printf '%s\t%s\n' "$1" "$2" >>"$STATUS" 2>/dev/null || true; }
have() { command -v "$1" >/dev/null 2>&1; }

missing=()
have tshark || missing+=(tshark)
have suricata || missing+=(suricata)
[ -x /usr/bin/time ] || missing+=(time)

if [ ${#missing[@]} -eq 0 ]; then
    log "all tools present: $(tshark --version 2>/dev/null | head -n1); $(suricata -V 2>/dev/null | head -n1); GNU time"
    exit 0
fi
log "missing: ${missing[*]}"

if [ "$(id -u)" -ne 0 ]; then
    log "not root: not installing. To install by hand (Debian bookworm):"
    log "  sudo apt-get install -y tshark time"
    log "  suricata: enable bookworm-backports, then sudo apt-get install -y -t bookworm-backports suricata"
    for t in "${missing[@]}"; do status "$t" "not installed (setup-tools.sh not run as root)"; done
    exit 0
fi
if ! have apt-get || ! grep -qs 'bookworm' /etc/os-release; then
    log "not Debian bookworm (or no apt-get): install ${missing[*]} by hand"
    for t in "${missing[@]}"; do status "$t" "not installed (no apt-get / not Debian bookworm)"; done
    exit 0
fi

updated=0
apt_update() {
    [ "$updated" -eq 1 ] && return 0
    log "apt-get update"
    if "${APT[@]}" update -q >/dev/null; then updated=1; return 0; fi
    log "apt-get update failed (network?)"
    return 1
}

# Install packages; on failure refresh the package lists once and retry.
apt_install() {
    if "${APT[@]}" install -y -q "$@" >/dev/null; then return 0; fi
    apt_update || return 1
    "${APT[@]}" install -y -q "$@" >/dev/null
}

for t in "${missing[@]}"; do
    case "$t" in
    time)
        if apt_install time; then log "installed GNU time"; else
            log "could not install 'time'"; status time "not installed (apt-get install time failed)"; fi
        ;;
    tshark)
        echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
        if have tshark || apt_install tshark; then log "tshark: $(tshark --version 2>/dev/null | head -n1)"; else
            log "could not install tshark"; status tshark "not installed (apt-get install tshark failed)"; fi
        ;;
    suricata)
        if [ ! -e "$BACKPORTS_SRC" ] && ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
            log "adding $BACKPORTS_SRC"
            cat >"$BACKPORTS_SRC" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
            updated=0
        fi
        # The backports lists must be fetched at least once.
        if ! apt-cache policy suricata 2>/dev/null | grep -q 'bpo'; then apt_update; fi
        if "${APT[@]}" install -y -q -t bookworm-backports suricata >/dev/null; then
            log "suricata: $(suricata -V 2>/dev/null | head -n1)"
        else
            log "could not install suricata from bookworm-backports"
            status suricata "not installed (apt-get install -t bookworm-backports suricata failed)"
        fi
        ;;
    esac
done
exit 0
