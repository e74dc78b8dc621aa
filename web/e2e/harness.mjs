// Starts a real `hearth serve` on a free loopback port with its own data
// directory, and drives Debian's Chromium through playwright-core.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const SHOTS = join(here, "screenshots");
export const CHROMIUM = process.env.HEARTH_CHROMIUM || "/usr/bin/chromium";

export function hearthBin() {
  if (process.env.HEARTH_BIN) return process.env.HEARTH_BIN;
  const target = process.env.CARGO_TARGET_DIR || join(here, "..", "..", "target");
  return join(target, "debug", "hearth");
}

/** Runs the hearth CLI once against a data directory. */
export function hearth(dataDir, args, env = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(hearthBin(), ["--data-dir", dataDir, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "", err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    p.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`hearth ${args.join(" ")}: ${code} ${err}`))));
  });
}

/**
 * Starts `hearth serve`; returns { url, key, open, dir, stop }: `open` is the
 * whole address it printed (local mode carries a per-launch key), `url` the
 * same without the key. `prepare` runs CLI commands first.
 */
export async function startServer({ prepare = async () => {}, lockAfter, extra = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "hearth-e2e-"));
  const data = join(dir, "journal");
  await prepare(data);
  const args = ["--data-dir", data, "serve", "--addr", "127.0.0.1:0"];
  if (lockAfter) args.push("--lock-after", String(lockAfter));
  args.push(...extra);
  const proc = spawn(hearthBin(), args, { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  proc.stderr.on("data", (d) => (log += d));
  const [url, key] = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`hearth serve did not start: ${out} ${log}`)), 15000);
    proc.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+\/)(?:\?key=([0-9a-f]{64}))?\s/);
      if (m) { clearTimeout(timer); resolve([m[1], m[2]]); }
    });
    proc.on("exit", (code) => reject(new Error(`hearth serve exited with ${code}: ${log}`)));
  });
  return {
    url, key, open: key ? `${url}?key=${key}` : url, dir: data, log: () => log,
    /** Headers a program sends: the launch key as a bearer token. */
    headers: key ? { authorization: `Bearer ${key}` } : {},
    async stop() {
      proc.kill("SIGINT");
      await new Promise((r) => proc.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/**
 * A fresh page at a viewport; console errors and CSP violations are collected.
 * Given a server, the browser holds its launch key, as after opening the
 * address `hearth serve` printed.
 */
export async function newPage(browser, width = 1280, height = 900, server) {
  const context = await browser.newContext({ viewport: { width, height } });
  if (server?.key) {
    await context.addCookies([{ name: "hearth_key", value: server.key, url: server.url,
      httpOnly: true, sameSite: "Strict" }]);
  }
  const page = await context.newPage();
  page.problems = [];
  page.on("console", (m) => { if (m.type() === "error") page.problems.push(m.text()); });
  page.on("pageerror", (e) => page.problems.push(String(e)));
  return page;
}

/** Saves a screenshot under screenshots/ (for failures, and for looking). */
export async function shot(page, name, maxHeight = 3000) {
  if (!existsSync(SHOTS)) mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const width = page.viewportSize().width;
  await page.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, maxHeight) } });
  return path;
}

/** Runs `fn(page)`; on failure keeps a screenshot named after the test. */
export async function withShot(page, name, fn) {
  try {
    await fn(page);
  } catch (e) {
    const path = await shot(page, `FAILED-${name}`).catch(() => "(no screenshot)");
    e.message += `\nscreenshot: ${path}`;
    throw e;
  }
}
