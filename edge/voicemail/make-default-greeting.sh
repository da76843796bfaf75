#!/bin/sh
# Regenerates default-greeting.ogg, the greeting callers hear when the user
# has not recorded one. Run by hand, once (the file is committed): it needs
# espeak-ng (apt-get install espeak-ng), which the edge does not need at run
# time. Ogg Opus, mono, 20 ms packets: what the service sends as RTP as it is.
set -eu
cd "$(dirname "$0")"
TEXT="Sorry, nobody can take your call right now. Please leave a message after the tone."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A British English voice, a little slower than the default.
espeak-ng -v en-gb -s 150 -p 45 -w "$tmp/speech.wav" "$TEXT"
# Band-limited and evened out like a phone line; a quarter second of silence before and after.
ffmpeg -nostdin -hide_banner -loglevel error -y -i "$tmp/speech.wav" \
  -af "highpass=f=120,lowpass=f=3800,adelay=250,apad=pad_dur=0.25,loudnorm=I=-19:TP=-2" \
  -ac 1 -ar 48000 -c:a libopus -b:a 24k -application voip -frame_duration 20 \
  -map_metadata -1 -fflags +bitexact -flags:a +bitexact default-greeting.ogg
