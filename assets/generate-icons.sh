#!/usr/bin/env bash
# Regenerates every icon from its SVG source with Debian tools (apt: librsvg2-bin icnsutils imagemagick):
#   icon.svg          → icons/<N>x<N>.png (16…1024), icon.icns (macOS), icon.ico (Windows), icon.png (512)
#   tray-src/<s>.svg  → tray/<s>.png and tray/<s>@2x.png (colour, Linux and Windows), and
#                       tray/<s>Template.png and tray/<s>Template@2x.png (black silhouettes, macOS menu bar)
# Run from anywhere: bash assets/generate-icons.sh
set -euo pipefail
cd "$(dirname "$0")"
for tool in rsvg-convert png2icns convert; do
	command -v "$tool" >/dev/null || { echo "Missing $tool: apt-get install librsvg2-bin icnsutils imagemagick" >&2; exit 1; }
done

rm -rf icons tray && mkdir -p icons tray
for size in 16 24 32 48 64 128 256 512 1024; do
	rsvg-convert --width "$size" --height "$size" icon.svg -o "icons/${size}x${size}.png"
done
cp icons/512x512.png icon.png
# .icns holds the sizes macOS uses (png2icns takes 16…1024 PNGs as they are).
png2icns icon.icns icons/16x16.png icons/32x32.png icons/48x48.png icons/128x128.png icons/256x256.png icons/512x512.png icons/1024x1024.png >/dev/null
# .ico holds the sizes Windows uses, up to 256.
convert icons/16x16.png icons/24x24.png icons/32x32.png icons/48x48.png icons/64x64.png icons/128x128.png icons/256x256.png icon.ico

for source in tray-src/*.svg; do
	name=$(basename "$source" .svg)
	rsvg-convert --width 16 --height 16 "$source" -o "tray/${name}.png"
	rsvg-convert --width 32 --height 32 "$source" -o "tray/${name}@2x.png"
	# macOS template images: the same shapes in black; the system colours them for light and dark menu bars.
	sed -E 's/(fill|stroke)="#[0-9a-fA-F]{3,6}"/\1="#000000"/g; s/stroke="#fff"/stroke="#000000"/g' "$source" > "tray/.${name}-template.svg"
	rsvg-convert --width 16 --height 16 "tray/.${name}-template.svg" -o "tray/${name}Template.png"
	rsvg-convert --width 32 --height 32 "tray/.${name}-template.svg" -o "tray/${name}Template@2x.png"
	rm "tray/.${name}-template.svg"
done
echo "Icons regenerated in $(pwd)"
