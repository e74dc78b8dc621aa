// Screenshots of every page on demo data, at phone and desktop widths and on
// a phone in dark mode, for a person to look at: `npm run shots`, then open
// screenshots/.
import { startServer, launch, newPage, shot } from "./harness.mjs";

const pages = ["/", "/log", "/history", "/surveys", "/surveys/phq9", "/surveys/phq9/history",
  "/surveys/gad7", "/surveys/phq2", "/surveys/ucla3", "/surveys/post-sex", "/surveys/sexual-function",
  "/surveys/sexual-function/history", "/insights", "/medications", "/settings", "/shares", "/report",
  "/import", "/help", "/demo", "/reminders"];

const server = await startServer();
const browser = await launch();
try {
  for (const [label, width, scheme] of [["phone", 360, "light"], ["desktop", 1280, "light"], ["phone-dark", 360, "dark"]]) {
    const page = await newPage(browser, width, 800, server);
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(server.url + "welcome");
    await shot(page, `${label}-welcome`);
    if (label === "phone") {
      await page.getByRole("button", { name: "Explore with demo data" }).click();
      await page.waitForURL(server.url);
      // An activity with no after-rating yet, so Today shows what waits.
      await page.goto(server.url + "log");
      await page.getByRole("radio", { name: "Exercise", exact: true }).check();
      await page.getByRole("group", { name: "Mood before" }).getByRole("radio", { name: "4", exact: true }).check();
      await page.getByRole("button", { name: "Save" }).first().click();
      await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    }
    for (const p of pages) {
      await page.goto(server.url + p.slice(1));
      await shot(page, `${label}-${p === "/" ? "today" : p.slice(1).replaceAll("/", "-")}`);
    }
    const first = await page.goto(server.url + "history");
    const link = page.locator("li.entry a").first();
    await link.click();
    await shot(page, `${label}-entry`);
    if (page.problems.length) console.error(page.problems.join("\n"));
  }
} finally {
  await server.stop();
}

// Server mode: sign-up, sign-in and the account page.
const accounts = await startServer({ extra: ["--accounts", "--registration", "open"] });
try {
  const page = await newPage(browser, 360, 800);
  await page.goto(accounts.url + "register");
  await shot(page, "server-register");
  await page.getByLabel(/^Username/).fill("frankie");
  await page.getByLabel(/^Password/).fill("a good long password");
  await page.getByLabel("Type it again").fill("a good long password");
  await page.getByRole("button", { name: "Create my account" }).click();
  await page.goto(accounts.url);
  await shot(page, "server-today");
  await page.goto(accounts.url + "account");
  await shot(page, "server-account");
  await page.goto(accounts.url + "shares");
  await page.getByRole("button", { name: "Make a link" }).click();
  await shot(page, "server-shares");
  await page.getByRole("button", { name: "Sign out" }).click();
  await shot(page, "server-login");
  if (page.problems.length) console.error(page.problems.join("\n"));
} finally {
  await browser.close();
  await accounts.stop();
}
console.log("screenshots in web/e2e/screenshots/");
