#!/usr/bin/env bash
# Browser tests: the built site in headless Chromium, opened from disk as a reader would.
# Each check prints one line; the last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
bin=${RECTIFY_BIN:-target/release/rectify}
out=$(mktemp -d)/site
"$bin" build --output "$out" >/dev/null 2>&1 || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
passed=0 failed=0
dom() {
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
    --disable-component-update --disable-sync --user-data-dir="$(mktemp -d)" \
    --virtual-time-budget=5000 --dump-dom "$1" 2>/dev/null
}
check() { # name, condition result
  if [ "$2" = 0 ]; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}

home=$(dom "file://$out/index.html")
grep -q '<svg' <<<"$home"; check "home page shows its charts from disk" $?

filtered=$(dom "file://$out/cases/index.html?street=kuangquan&status=in-progress")
results=$(sed -n '/id="case-results"/,/<\/table>/p' <<<"$filtered")
rows=$(grep -o 'data-street\|<tr>' <<<"$results" | wc -l)
grep -q 'id="case-results"' <<<"$filtered" && ! grep -q 'id="case-results" hidden' <<<"$filtered"
check "case filter shows results across all pages" $?
others=$(grep -c '>洪桥街道<' <<<"$results")
[ "$rows" -gt 1 ] && [ "$others" = 0 ]; check "case filter keeps only the chosen street ($((rows - 1)) rows)" $?

bytask=$(dom "file://$out/cases/index.html?task=5")
grep -q 'id="filter-count" aria-live="polite">[1-9][0-9]* / ' <<<"$bytask" && grep -q 'id="case-results">' <<<"$bytask"
check "case list filtered by a task from a task page's link" $?

# Filters by source (督察交办 = central and provincial inspection) and river, from a shared URL.
want=$(grep -c '"source": "\(central\|provincial\)-inspection"' "$out/data/cases.json")
insp=$(dom "file://$out/cases/index.html?source=inspection")
grep -q "id=\"filter-count\" aria-live=\"polite\">$want / " <<<"$insp" && [ "$want" -gt 0 ]
check "case list filtered to 督察交办 from the URL ($want rows)" $?
want=$(grep -c '"river": "donghao"' "$out/data/cases.json")
river=$(dom "file://$out/cases/index.html?river=donghao")
grep -q "id=\"filter-count\" aria-live=\"polite\">$want / " <<<"$river" && [ "$want" -gt 0 ]
check "case list filtered by river from rivers.html's link ($want rows)" $?
grep -q '<option value="东山街道' <<<"$river" || grep -q '<select name="community">' <<<"$river"
check "case list offers a community filter" $?

found=$(dom "file://$out/search.html?q=%E6%B1%BD%E8%BD%A6%E7%BB%B4%E4%BF%AE")
grep -q 'search-results"><li><a href="cases/' <<<"$found" && grep -q '<mark>汽车维修</mark>' <<<"$found"
check "search.html?q=汽车维修 lists marked case results from disk" $?

none=$(dom "file://$out/search.html?q=zzzzqqq")
grep -q 'class="search-results"></ol>' <<<"$none"; check "search with no match lists nothing" $?

pdf=$(mktemp -d)/briefing.pdf
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
  --user-data-dir="$(mktemp -d)" --no-pdf-header-footer --print-to-pdf="$pdf" \
  "file://$out/briefings/2022-06.html" >/dev/null 2>&1
pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
pdfinfo "$pdf" 2>/dev/null | grep -q 'Page size:.*(A4)'; check "the briefing prints on A4 ($pages pages)" $?
first=$(pdftotext -l 1 "$pdf" - 2>/dev/null)
grep -q '第4期' <<<"$first" && grep -q '2022年6月“散乱污”场所清理整治工作进展通报' <<<"$first"
check "the printed briefing opens with its 期数 and title" $?
last=$(pdftotext -f "${pages:-1}" "$pdf" - 2>/dev/null)
grep -q '2022年6月30日' <<<"$last" && grep -q '死灰复燃' <<<"$last"
check "the printed briefing keeps its sign-off with the last section's text" $?
# The "no after photo" filter (?after_photo=missing), on a copy of the content in which one closed case
# lost its after photo: the same case the build warns about, counted on the filter's option.
evid=$(mktemp -d)
cp -r content "$evid/content"
closed=$(grep -l '^closed:' $(grep -rl 'stage: after' "$evid/content/cases") | head -1)
id=$(basename "$closed" .yaml)
sed -i '/^photos:/,/^[a-z]/{/^photos:/d;/^ /d}' "$closed"
"$bin" build --content "$evid/content" --output "$evid/site" >"$evid/log" 2>&1
grep -q "已销号的场所没有整治后照片" "$evid/log" && grep -q "$id" "$evid/log"
check "the build warns about $id's missing after photo" $?
lacking=$(dom "file://$evid/site/cases/index.html?after_photo=missing")
results=$(sed -n '/id="case-results"/,/<\/table>/p' <<<"$lacking")
grep -q 'id="filter-count" aria-live="polite">1 / ' <<<"$lacking" && grep -q "href=\"$id.html\"" <<<"$results" \
  && grep -q '<option value="missing"[^>]*>已销号缺少（1）' <<<"$lacking"
check "case list filtered to closed cases without an after photo ($id, counted on the option)" $?
none=$(dom "file://$out/cases/index.html?after_photo=missing")
grep -q 'id="filter-count" aria-live="polite">0 / ' <<<"$none" && grep -q '已销号缺少（0）' <<<"$none"
check "the default content lacks no after photo (0 on the filter)" $?

# Accessibility: axe-core on every kind of page in each reading mode, and no sideways scrolling at
# 360 px (tests/browser/axe.mjs; .ci/run installs its npm packages with `npm ci`).
if [ -d tests/browser/node_modules/axe-core ] && [ -d tests/browser/node_modules/playwright-core ]; then
  while IFS= read -r line; do
    echo "$line"
    case "$line" in "ok   "*) passed=$((passed + 1)) ;; "FAIL "*) failed=$((failed + 1)) ;; esac
  done < <(node tests/browser/axe.mjs "$out" 2>&1)
else
  check "axe test installed (run \`npm ci\` in tests/browser)" 1
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
