#!/bin/sh
# What a support engineer would hand out instead of the doctor: the same questions, by hand.
# Usage: baseline.sh API_URL TOKEN DEVICE_ID
ps -eo user,pid,args | grep '[a]gent-rooms.* watch' || echo "no listener"
command -v codex || echo "codex not on PATH"
codex login status 2>&1
curl -s -m 5 -H "Authorization: Bearer $2" "$1/v1/whoami"; echo
curl -s -m 5 -H "Authorization: Bearer $2" "$1/v1/devices/$3"; echo
