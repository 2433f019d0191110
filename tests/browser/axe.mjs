// Accessibility of the built site: axe-core (WCAG 2 A and AA rules) on one page of every kind, in
// the normal, large-text (?mode=large) and high-contrast (?mode=contrast) reading modes, in the
// system's Chromium at a phone's width; also checks that no page scrolls sideways at 360 px.
// Usage: node axe.mjs SITE_DIR. Prints "ok   …" or "FAIL …" per check (run.sh counts them).
import { chromium } from "playwright-core";
import axe from "axe-core";
import { existsSync, mkdtempSync, rmSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const site = process.argv[2];
if (!site) { console.error("usage: node axe.mjs SITE_DIR"); process.exit(2); }

/** The first file of a folder matching `re`, so the page kinds do not depend on the content. */
function first(dir, re) {
  if (!existsSync(join(site, dir))) return null;
  const names = readdirSync(join(site, dir)).filter((n) => re.test(n)).sort();
  return names.length ? `${dir}/${names[0]}` : null;
}
const photoCase = (() => {
  if (!existsSync(join(site, "files", "photos"))) return null;
  const names = readdirSync(join(site, "files", "photos")).filter((n) => n.endsWith(".480.jpg")).sort();
  const id = names.length ? names[0].replace(/-(before|after)\..*$/, "") : null;
  return id ? `cases/${id}.html` : null;
})();
const pages = [
  "index.html", "plan.html", "tasks/index.html", first("tasks", /^\d+\.html$/), first("units", /\.html$/),
  "streets/index.html", first("streets", /^(?!index).*\.html$/), "cases/index.html", photoCase || first("cases", /^(?!index|page-).*\.html$/),
  "watchlist.html", "briefings/index.html", first("briefings", /^\d{4}-\d{2}\.html$/), "notes/index.html",
  first("notes", /^(?!index|page-).*\.html$/), "publicity/index.html", first("publicity", /^(?!index|page-).*\.html$/),
  "search.html?q=%E6%95%B4%E6%B2%BB", "rivers.html",
].filter((p) => p && existsSync(join(site, p.split("?")[0])));

const modes = ["normal", "large", "contrast"];
const profile = mkdtempSync(join(tmpdir(), "rectify-axe-"));
let browser;
try {
  // A persistent context is how Playwright takes a --user-data-dir (here a temp folder removed below).
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    viewport: { width: 360, height: 780 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
      "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage();
  for (const mode of modes) {
    for (const p of pages) {
      const sep = p.includes("?") ? "&" : "?";
      await page.goto(`file://${join(site, p.split("?")[0])}${p.includes("?") ? "?" + p.split("?")[1] : ""}${sep}mode=${mode}`);
      await page.waitForLoadState("load");
      const applied = await page.evaluate((m) => m === "normal" || document.documentElement.classList.contains("mode-" + m), mode);
      if (!applied) { console.log(`FAIL ${p} [${mode}]: the mode was not applied`); continue; }
      await page.addScriptTag({ content: axe.source });
      const result = await page.evaluate(async (m) => {
        // High contrast promises WCAG AAA: 7:1 text contrast (axe's color-contrast-enhanced) on top.
        const tags = m === "contrast" ? ["wcag2a", "wcag2aa", "wcag2aaa"] : ["wcag2a", "wcag2aa"];
        const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
        return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
      }, mode);
      if (result.length) console.log(`FAIL axe ${p} [${mode}]: ${result.join("; ")}`);
      else console.log(`ok   axe ${p} [${mode}]: no serious or critical violations`);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (wide > 0) console.log(`FAIL ${p} [${mode}] scrolls sideways by ${wide} px at 360 px`);
      else console.log(`ok   ${p} [${mode}] fits 360 px without sideways scrolling`);
      if (mode === "large") {
        // The phone's or WeChat's own text scaling (about 2×) on top of large text.
        const wider = await page.evaluate(() => {
          document.documentElement.style.fontSize = "300%";
          return document.documentElement.scrollWidth - window.innerWidth;
        });
        if (wider > 0) console.log(`FAIL ${p} [large + 2× phone text] scrolls sideways by ${wider} px at 360 px`);
        else console.log(`ok   ${p} [large + 2× phone text] fits 360 px without sideways scrolling`);
      }
    }
  }
} catch (e) {
  console.log(`FAIL axe test could not run: ${e.message.split("\n")[0]}`);
} finally {
  if (browser) await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
