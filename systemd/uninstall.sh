#!/usr/bin/env bash
# Uninstall Datahose Archiver.
#
#   sudo systemd/uninstall.sh [--purge]
#
# Stops and disables the service, removes the jar and the unit. KEEPS /etc/datahose-archiver and
# /var/lib/datahose-archiver (the archive is a compliance record) unless --purge is given, which also
# deletes them and the datahose-archiver user. DESTDIR=/some/root works on a staging root (no systemctl/userdel).
set -euo pipefail

NAME=datahose-archiver
DESTDIR="${DESTDIR:-}"
DESTDIR="${DESTDIR%/}"
SKIP_USER="${SKIP_USER:-0}"
PURGE=0

die() { echo "uninstall.sh: $*" >&2; exit 1; }

for arg in "$@"; do
  case "$arg" in
    --purge) PURGE=1 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "usage: uninstall.sh [--purge]" ;;
  esac
done
if [ -z "$DESTDIR" ] && [ "$(id -u)" -ne 0 ]; then
  die "must run as root (or set DESTDIR to work on a staging root)"
fi

OPT_DIR="$DESTDIR/opt/$NAME"
UNIT="$DESTDIR/etc/systemd/system/$NAME.service"
CONF_DIR="$DESTDIR/etc/$NAME"
STATE_DIR="$DESTDIR/var/lib/$NAME"

if [ -z "$DESTDIR" ]; then
  if systemctl cat "$NAME.service" >/dev/null 2>&1; then
    systemctl disable --now "$NAME.service" || true
    echo "stopped and disabled $NAME"
  fi
else
  echo "DESTDIR=$DESTDIR: skipping systemctl"
fi

rm -f "$OPT_DIR/$NAME.jar" "$UNIT"
rmdir "$OPT_DIR" 2>/dev/null || true
echo "removed $OPT_DIR/$NAME.jar and $UNIT"
[ -n "$DESTDIR" ] || systemctl daemon-reload

if [ "$PURGE" = 1 ]; then
  rm -rf "$CONF_DIR" "$STATE_DIR"
  echo "--purge: DELETED $CONF_DIR and $STATE_DIR (configuration and archive)"
  if [ -z "$DESTDIR" ] && [ "$SKIP_USER" != 1 ] && getent passwd "$NAME" >/dev/null; then
    userdel "$NAME"
    getent group "$NAME" >/dev/null && groupdel "$NAME" || true
    echo "--purge: deleted user $NAME"
  fi
else
  echo "kept $CONF_DIR (configuration, keys) and $STATE_DIR (the archive: a compliance record)."
  echo "Back up and delete them yourself, or re-run with --purge to delete them and the $NAME user."
fi
