#!/usr/bin/env bash
# Starts every kit of this folder on this machine: the server first, then relays, then clients.
# For trying a project on one machine; in production each site starts its own kit.
set -eu
DIR="$(cd "$(dirname "$0")" && pwd)"
"$DIR/{{server}}/startup/start.sh"
sleep 10
{{relay_lines}}{{client_lines}}echo "all started; stop each with its startup/stop_fl.sh -y"
