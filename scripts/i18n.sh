#!/bin/sh
# Update the theme's message catalogs after changing theme text (see docs/languages.md):
#   scripts/i18n.sh            extract every _() / N_() / js_text() / js_plural() into the catalogs
#   scripts/i18n.sh init LANG  start a catalog for a new language
# Needs Babel (a dependency of coursegen). Run from the repository root.
set -eu
PYBABEL=${PYBABEL:-pybabel}
LOCALE=src/coursegen/theme/locale
POT=$(mktemp --suffix=.pot)
trap 'rm -f "$POT"' EXIT
"$PYBABEL" -q extract -F babel.cfg -k js_text -k js_plural:1,2 --no-location --sort-output \
  --project=coursegen --copyright-holder="coursegen authors" -o "$POT" .
if [ "${1:-}" = init ]; then
  "$PYBABEL" -q init -i "$POT" -d "$LOCALE" -D coursegen -w 100 -l "$2"
else
  # pybabel stamps every catalog with the time of the run (POT-Creation-Date), so each run would change all of
  # them and any two branches that touch theme text would conflict on that line: keep each catalog's own date.
  dates=$(mktemp)
  trap 'rm -f "$POT" "$dates"' EXIT
  grep -H '^"POT-Creation-Date: ' "$LOCALE"/*/LC_MESSAGES/coursegen.po > "$dates" || true
  "$PYBABEL" -q update -i "$POT" -d "$LOCALE" -D coursegen --no-fuzzy-matching --ignore-obsolete -w 100
  while IFS= read -r entry; do
    po=${entry%%:\"POT-Creation-Date*}
    line=${entry#"$po":}
    python3 -c 'import sys; p, line = sys.argv[1:]; lines = open(p, encoding="utf-8").read().split("\n")
lines = [line if l.startswith("\"POT-Creation-Date: ") else l for l in lines]
open(p, "w", encoding="utf-8").write("\n".join(lines))' "$po" "$line"
  done < "$dates"
fi
