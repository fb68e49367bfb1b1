#!/usr/bin/env bash
# Opens the NVIDIA FLARE admin console with this admin kit (written by fedforge); arguments are passed on.
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
exec python3 -m {{module}} -m "$DIR/.." -s {{fed_json}} "$@"
