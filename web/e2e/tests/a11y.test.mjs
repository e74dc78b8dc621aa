// Every page on a 180-day demo journal, at 360 px and at desktop width, in
// light and dark: axe-core finds no serious or critical violation, every
// control is at least 44 px to tap, every chart fits its screen with text of
// at least 12 px, and every crisis number is a link a phone can call.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { startServer, launch, shot, hearth } from "../harness.mjs";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const PAGES = ["/", "/log", "/history", "/surveys", "/surveys/phq9", "/surveys/phq9/history",
  "/surveys/sexual-function", "/surveys/sexual-function/history", "/surveys/gad7", "/surveys/phq2",
  "/surveys/ucla3", "/surveys/post-sex", "/insights", "/medications", "/settings", "/shares", "/report",
  "/import", "/help", "/demo", "/reminders"];

let browser, server;
before(async () => {
  browser = await launch();
  server = await startServer({
    prepare: async (dir) => {
      await hearth(dir, ["init", "--tz", "Europe/London", "--region", "gb"]);
      await hearth(dir, ["demo", "--days", "180"]);
    },
  });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function page(width, scheme) {
  // axe is put into each page from outside, which the pages' own CSP
  // (rightly) forbids; only these contexts are let past it.
  const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme, bypassCSP: true });
  await context.addCookies([{ name: "hearth_key", value: server.key, url: server.url, httpOnly: true, sameSite: "Strict" }]);
  return context.newPage();
}

/** axe's serious and critical findings, one line each. */
async function axe(p) {
  await p.evaluate(axeSource);
  const found = await p.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
  return found;
}

/** Visible controls smaller than 44 px in either direction. */
async function smallTargets(p) {
  return p.evaluate(() => {
    const small = [];
    const seen = new Set();
    for (const el of document.querySelectorAll("a, button, select, textarea, summary, input")) {
      // Links inside running text are sized by the text around them.
      if (el.tagName === "A" && el.closest("p, li.entry .meta, figcaption, td, dd, .hint, .muted")) continue;
      let target = el;
      if (el.tagName === "INPUT" && ["radio", "checkbox"].includes(el.type)) {
        // The box itself stays big enough to see, even beside a long label.
        const box = el.getBoundingClientRect();
        if (getComputedStyle(el).opacity !== "0" && box.width > 0 && (box.width < 19.5 || box.height < 19.5)) {
          small.push(`${el.type} box "${(el.closest("label")?.innerText || el.name).trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
        }
        target = el.closest("label") || el;
      }
      if (el.tagName === "INPUT" && el.type === "hidden") continue;
      if (seen.has(target)) continue;
      seen.add(target);
      const r = target.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.right < 0 || getComputedStyle(target).visibility === "hidden") continue;
      // The 0–10 scale keeps its eleven numbers on one line at 360 px: each
      // is at least 24 px wide (WCAG 2.5.8), 44 px tall, and they touch.
      const narrowOk = target.closest(".scale-row") && r.width >= 24;
      if (r.height < 43.5 || (r.width < 43.5 && !narrowOk)) {
        const name = (target.innerText || target.getAttribute("aria-label") || target.name || target.tagName).trim().slice(0, 30);
        small.push(`${target.tagName.toLowerCase()} "${name}" ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    return small;
  });
}

/** Text or boxes that stick out past the screen's right edge, and 0–10
 * scales that wrap onto a second line. */
async function overflow(p) {
  return p.evaluate(() => {
    const bad = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1) bad.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${width})`);
    for (const el of document.querySelectorAll("main *")) {
      if (el.closest("[tabindex='0'], svg")) continue; // a labelled scroll region, or a chart (checked apart)
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1) {
        bad.push(`${el.tagName.toLowerCase()} "${(el.innerText || "").trim().slice(0, 30)}" ends at ${Math.round(r.right)} of ${width}`);
        break;
      }
    }
    for (const row of document.querySelectorAll(".scale-row")) {
      const tops = new Set([...row.querySelectorAll("label")].map((l) => Math.round(l.getBoundingClientRect().top)));
      if (tops.size > 1) bad.push(`a 0–10 scale wraps onto ${tops.size} lines`);
    }
    return bad;
  });
}

/** Charts that leave the screen, or whose text is drawn under 12 px. */
async function chartProblems(p) {
  return p.evaluate(() => {
    const bad = [];
    for (const svg of document.querySelectorAll("figure svg")) {
      const r = svg.getBoundingClientRect();
      if (r.width === 0) continue;
      if (r.left < 0 || r.right > window.innerWidth + 0.5) bad.push(`a chart spans ${Math.round(r.left)}..${Math.round(r.right)}`);
      const scale = r.width / svg.viewBox.baseVal.width;
      const view = svg.viewBox.baseVal;
      for (const t of svg.querySelectorAll("text")) {
        const px = parseFloat(t.getAttribute("font-size")) * scale;
        if (px < 12) { bad.push(`"${t.textContent.trim()}" is ${px.toFixed(1)} px`); break; }
        const box = t.getBBox();
        if (box.width > 0 && (box.x < -1 || box.x + box.width > view.width + 1)) {
          bad.push(`"${t.textContent.trim()}" runs off its chart (${Math.round(box.x)}..${Math.round(box.x + box.width)} of ${view.width})`);
        }
      }
    }
    return bad;
  });
}

for (const scheme of ["light", "dark"]) {
  for (const [label, width] of [["phone", 360], ["desktop", 1280]]) {
    test(`every page is accessible at ${label} width, ${scheme}`, async () => {
      const p = await page(width, scheme);
      const problems = [];
      try {
        for (const path of PAGES) {
          await p.goto(server.url + path.slice(1));
          const here = (list) => list.map((x) => `${path}: ${x}`);
          problems.push(...here(await axe(p)));
          problems.push(...here(await smallTargets(p)));
          problems.push(...here(await chartProblems(p)));
          problems.push(...here(await overflow(p)));
          if (width === 360 && scheme === "light") await shot(p, `a11y-${label}-${path === "/" ? "today" : path.slice(1).replaceAll("/", "-")}`);
        }
        assert.equal(problems.length, 0, `${problems.length} problems:\n${problems.join("\n")}`);
      } finally {
        await p.context().close();
      }
    });
  }
}

test("every crisis number on Help is a link a phone can call or text", async () => {
  const p = await page(360, "light");
  try {
    await p.goto(server.url + "help");
    const lines = await p.locator(".line").evaluateAll((els) =>
      els.map((e) => ({ text: e.innerText.trim(), href: e.getAttribute("href") || "" })));
    assert.ok(lines.filter((l) => l.href.startsWith("tel:")).length >= 2, "Help lists numbers to call");
    for (const l of lines) {
      // A line that is a number (perhaps "Call 999"), not one that mentions one.
      const number = l.text.replace(/^(Call|Text)\s+/, "");
      if (/^\+?\d[\d\s-]*\d$/.test(number)) {
        assert.match(l.href, /^(tel|sms):\+?[\d]+/, `${l.text} can be tapped to call or text`);
      }
    }
  } finally {
    await p.context().close();
  }
});
