#!/usr/bin/env bash
# Install or upgrade Datahose Archiver as a systemd service.
#
#   sudo systemd/install.sh [path/to/datahose-archiver.jar]     (default: target/datahose-archiver.jar)
#
# Re-running it is the upgrade path: jar and unit are replaced, config and archive are kept.
# DESTDIR=/some/root installs into a staging root instead (no user creation, no chown, no systemctl).
# SKIP_USER=1 skips user creation and chown even without DESTDIR.
set -euo pipefail

NAME=datahose-archiver
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR_SRC="${1:-$REPO/target/$NAME.jar}"
UNIT_SRC="$REPO/systemd/$NAME.service"
CONFIG_SRC="$REPO/config/$NAME.yaml"
DESTDIR="${DESTDIR:-}"
DESTDIR="${DESTDIR%/}"
SKIP_USER="${SKIP_USER:-0}"

OPT_DIR="$DESTDIR/opt/$NAME"
UNIT_DIR="$DESTDIR/etc/systemd/system"
CONF_DIR="$DESTDIR/etc/$NAME"
CONF="$CONF_DIR/$NAME.yaml"
STATE_DIR="$DESTDIR/var/lib/$NAME"

die() { echo "install.sh: $*" >&2; exit 1; }

case "${1:-}" in -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
[ $# -le 1 ] || die "usage: install.sh [path/to/$NAME.jar]"
[ -f "$JAR_SRC" ]    || die "jar not found: $JAR_SRC (build it with: mvn -B package -DskipTests)"
[ -f "$UNIT_SRC" ]   || die "unit not found: $UNIT_SRC"
[ -f "$CONFIG_SRC" ] || die "shipped config not found: $CONFIG_SRC"

# Ownership is only managed on a real install (not into a staging DESTDIR, not with SKIP_USER=1).
MANAGE_USER=1
if [ -n "$DESTDIR" ]; then
  MANAGE_USER=0
  echo "DESTDIR=$DESTDIR: skipping user creation, chown/chgrp and systemctl"
elif [ "$SKIP_USER" = 1 ]; then
  MANAGE_USER=0
  echo "SKIP_USER=1: skipping user creation and chown/chgrp"
fi
if [ -z "$DESTDIR" ] && [ "$(id -u)" -ne 0 ]; then
  die "must run as root (or set DESTDIR to install into a staging root)"
fi

# own OWNER:GROUP PATH... -- chown only when managing the user
own() { local who=$1; shift; if [ "$MANAGE_USER" = 1 ]; then chown "$who" "$@"; fi; }

if [ "$MANAGE_USER" = 1 ]; then
  if ! getent group "$NAME" >/dev/null; then
    groupadd --system "$NAME"
    echo "created system group $NAME"
  fi
  if ! getent passwd "$NAME" >/dev/null; then
    useradd --system --gid "$NAME" --no-create-home --home-dir "/var/lib/$NAME" \
            --shell /usr/sbin/nologin --comment "Datahose Archiver" "$NAME"
    echo "created system user $NAME"
  fi
fi

# Jar and unit: always replaced (install(1) writes a new inode; a running daemon keeps the old one until restart).
install -d -m 0755 "$OPT_DIR" "$UNIT_DIR"
install -m 0644 "$JAR_SRC" "$OPT_DIR/$NAME.jar"
echo "installed $OPT_DIR/$NAME.jar"
install -m 0644 "$UNIT_SRC" "$UNIT_DIR/$NAME.service"
echo "installed $UNIT_DIR/$NAME.service"

# Config: root-owned, readable by the service group; never overwritten.
install -d -m 0750 "$CONF_DIR"
own "root:$NAME" "$CONF_DIR"
if [ -e "$CONF" ]; then
  if cmp -s "$CONFIG_SRC" "$CONF"; then
    rm -f "$CONF.dist"
    echo "kept $CONF (identical to the shipped config)"
  else
    install -m 0640 "$CONFIG_SRC" "$CONF.dist"
    own "root:$NAME" "$CONF.dist"
    echo "kept existing $CONF; the shipped config is in $CONF.dist for comparison"
  fi
else
  install -m 0640 "$CONFIG_SRC" "$CONF"
  own "root:$NAME" "$CONF"
  echo "installed $CONF"
fi

# Key material in the config directory: readable only by the service user.
while IFS= read -r -d '' key; do
  chmod 0600 "$key"
  own "$NAME:$NAME" "$key"
  if [ "$MANAGE_USER" = 1 ]; then echo "tightened $key to 0600, owner $NAME"; else echo "tightened $key to 0600"; fi
done < <(find "$CONF_DIR" -type f \( -name '*.pem' -o -name '*.p12' -o -name '*.pfx' -o -name '*.key' \) -print0)

# State directory (the archive). Existing contents are never touched.
install -d -m 0750 "$STATE_DIR"
chmod 0750 "$STATE_DIR"
own "$NAME:$NAME" "$STATE_DIR"
echo "state directory $STATE_DIR (0750)"

if [ -n "$DESTDIR" ]; then
  echo "done (staged into $DESTDIR)"
  exit 0
fi

systemctl daemon-reload
if systemctl is-active --quiet "$NAME"; then
  cat <<MSG

Upgraded. The running daemon still uses the old jar until:
  systemctl restart $NAME
MSG
else
  cat <<MSG

Next steps:
  1. Edit /etc/$NAME/$NAME.yaml (symphony.pod.url, symphony.bot.username, ...).
  2. Put the bot key in /etc/$NAME/ (e.g. bot-key.pem or bot.p12) and re-run this script to tighten it to 0600,
     or: chown $NAME:$NAME FILE && chmod 0600 FILE
  3. Secrets for passwordEnv go in /etc/default/$NAME as VAR=value (chmod 0600).
  4. systemctl enable --now $NAME && journalctl -u $NAME -f
MSG
fi
