#!/bin/sh
# `make demo`: one day of a translation team, on a copy of the sample workspace in $DEMO (build/demo).
#
# Decisions, stated in the output too:
# - The day starts from English only: the sample's articles, site templates, i18n.toml and glossary are
#   copied, its locales/ (the catalogs) are not, so the first sync creates every catalog.
# - "Today" is pinned to Saturday 2026-11-21, 07:00 UTC (SOURCE_DATE_EPOCH, which every step's clock reads:
#   see i18n/core/clock.py), so that due and overdue mean something against the sample's dates.
# - The translators' morning in Poedit is played by copying the human Catalan translations of six articles
#   and of the UI from the sample's locales/ca/, and one scripted edit (a translator fixing a rejected entry).
# It runs with or without Apertium (drafts from it when installed), and exits 0 when every step did what
# the day expects (a step that must exit 3, "not ready", is checked to do so).
set -eu

DEMO=${DEMO:-build/demo}
SAMPLE=$(pwd)
TODAY=2026-11-21
SOURCE_DATE_EPOCH=1795244400 # 2026-11-21T07:00:00Z
export SOURCE_DATE_EPOCH
# The demo's reviewer and translators; I18N_USER is who the commands credit by default.
I18N_USER="Jordi Vidal"
export I18N_USER

say() { printf '\n== %s\n' "$*"; }
# The command line as typed: arguments with spaces or quotes in double quotes.
show() {
  line='$ i18n'
  for arg in "$@"; do
    case $arg in *[\ \']*) line="$line \"$arg\"" ;; *) line="$line $arg" ;; esac
  done
  printf '%s\n' "$line"
}
# Echo a command as a user would type it (in the demo workspace), then run it there.
run() { show "$@"; i18n -C "$DEMO" "$@"; }
# The same, for a step that must end with exit code $1 (3: ran fine, not ready).
expect() {
  want=$1; shift
  show "$@"
  code=0; i18n -C "$DEMO" "$@" || code=$?
  if [ "$code" -ne "$want" ]; then echo "demo: expected exit $want, got $code" >&2; exit 1; fi
  echo "(exit $code, as expected)"
}
# A check: exit 0, or 3 when a translation has an error (machine drafts differ between Apertium versions).
checked() {
  show "$@"
  code=0; i18n -C "$DEMO" "$@" || code=$?
  case $code in
    0) ;;
    3) echo "(exit 3: errors above, in drafts nobody has reviewed yet; approve refuses an article with one)" ;;
    *) echo "demo: expected exit 0 or 3, got $code" >&2; exit 1 ;;
  esac
}

rm -rf "$DEMO" && mkdir -p "$DEMO"
cp -r i18n.toml glossary.toml content site "$DEMO"/
i18n --version
echo "The demo workspace is $DEMO: the sample's English articles, site and i18n.toml, no catalogs yet."
echo "Today is pinned to $TODAY 07:00 UTC (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH); translations are due the day before their article."

say "1. Sync: the English articles and UI strings become templates and Catalan and Spanish catalogs"
run sync
echo "Again: nothing changed, so nothing is written."
run sync

say "2. Machine drafts for what nobody has translated (memory first, then the engines)"
run engines
if command -v apertium >/dev/null 2>&1 && apertium -l 2>/dev/null | grep -qE '^\s*eng-cat$'; then
  run pretranslate ca --engine apertium
else
  echo "(Apertium is not installed: apt-get install apertium apertium-eng-cat; the memory alone drafts, and it is empty today)"
  run pretranslate ca
fi

say "3. The translators' morning: they edit the catalogs in Poedit, Lokalize or a text editor"
echo "Played here by copying the sample's human Catalan translations of six articles and of the UI:"
for po in 2025/2025-12-30-clock-work 2026/2026-11-14-gut-feelings 2026/2026-11-15-safety-in-numbers \
          2026/2026-11-17-retrained-defenders 2026/2026-11-18-branching-out 2026/2026-11-20-breathing-space; do
  echo "  cp locales/ca/articles/$po.po $DEMO/locales/ca/articles/$po.po"
  cp "$SAMPLE/locales/ca/articles/$po.po" "$DEMO/locales/ca/articles/$po.po"
done
echo "  cp locales/ca/LC_MESSAGES/messages.po $DEMO/locales/ca/LC_MESSAGES/messages.po"
cp "$SAMPLE/locales/ca/LC_MESSAGES/messages.po" "$DEMO/locales/ca/LC_MESSAGES/messages.po"
run status ca --by article

say "4. Checks and review: the reviewer looks at the queue, approves what passes, sends back what does not"
checked check ca
run review ca
run approve ca 2025-12-30-clock-work 2026-11-14-gut-feelings 2026-11-15-safety-in-numbers @ui
run reject ca 2026-11-17-retrained-defenders --entry image-caption \
  --reason "T cells are 'limfòcits T' in our glossary"
echo "The translator fixes the entry in an editor (scripted: the text changed, the fuzzy flag cleared):"
PO="$DEMO/locales/ca/articles/2026/2026-11-17-retrained-defenders.po"
echo "  edit $PO: 'cèl·lules CAR T' -> 'limfòcits T amb CAR', then save without fuzzy"
python3 - "$PO" <<'EOF'
import sys
path = sys.argv[1]
blocks = open(path, encoding="utf-8").read().split("\n\n")
for i, block in enumerate(blocks):
    if 'msgctxt "image-caption"' in block:
        lines = [line for line in block.split("\n") if line != "#, fuzzy"]
        blocks[i] = "\n".join(lines).replace("cèl·lules CAR T (taronja)", "limfòcits T amb CAR (taronja)")
open(path + ".saved", "w", encoding="utf-8").write("\n\n".join(blocks))
EOF
mv "$PO.saved" "$PO"   # saved by renaming, as PO editors do
run approve ca 2026-11-17-retrained-defenders
run assign ca 2026-11-22-patching-up-the-heart --translator "Marta Puig" --reviewer "Jordi Vidal"
echo "What must be finished this week (due the day before the article), and what is late:"
run status ca --due 7

say "5. Publish: the approved articles dated up to today go to the Catalan mirrors (html, markdown, json)"
expect 3 publish
echo "Exit 3 says a due article is blocked (branching-out needs work, breathing-space is half done): someone must act."

say "6. Export and report"
run export ca --format mo --out "$DEMO/build/export"
run report --out "$DEMO/build/report"
echo "One article's history (the tracker stamps edits and reviews with the real time, publications with today's):"
run log 2026-11-17-retrained-defenders --lang ca
run db export "$DEMO/tracker-backup.json"

say "7. Tomorrow at 07:00 the machine runs the morning job: sync, drafts, publish what is due, dashboard, log"
SOURCE_DATE_EPOCH=1795330800 # 2026-11-22T07:00:00Z
expect 3 daily

say "What the team does next"
cat <<EOF
- Marta finishes 2026-11-22-patching-up-the-heart (assigned above, due today) and 2026-11-20-breathing-space
  (late), and fixes the two entries of 2026-11-18-branching-out sent back as needs-work;
- Jordi reviews and approves them; 'i18n daily' (cron, a systemd timer or a CI schedule: workflow.md,
  "The daily run") publishes each one on its date and mails its summary;
- the Spanish team starts: 'i18n pretranslate es', then the same day in locales/es/.
Look at:
  the dashboard           $DEMO/build/report/index.html
  the Catalan HTML mirror $DEMO/build/mirrors/catalan/index.html
  the daily log           $DEMO/.i18n/daily.log
  the catalogs            $DEMO/locales/<lang>/articles/<yyyy>/<id>.po
EOF
