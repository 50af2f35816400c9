#!/usr/bin/env bash
# Runs "$@" inside a private D-Bus session with gnome-keyring unlocked by a throwaway password,
# so keytar talks to a real Secret Service exactly as on a desktop.
set -euo pipefail
if [ -z "${LEAD_INBOX_IN_KEYRING:-}" ]; then
  export LEAD_INBOX_IN_KEYRING=1
  exec dbus-run-session -- bash "$0" "$@"
fi
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
chmod 700 "$XDG_RUNTIME_DIR"
# A private keyring file per run: parallel runs sharing ~/.local/share/keyrings would overwrite
# each other's secrets, and a stale login keyring with another password would stay locked.
export XDG_DATA_HOME="$(mktemp -d)"
mkdir -p "$XDG_DATA_HOME/keyrings"
eval "$(printf 'throwaway-ci-password' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
exec "$@"
