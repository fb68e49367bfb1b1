#!/usr/bin/env bash
# Opens the NVIDIA FLARE admin console as {{name}}.
DIR="$(cd "$(dirname "$0")" && pwd)"
exec python3 -m nvflare.fuel.hci.tools.admin -m "$DIR/.." -s fed_admin.json "$@"
