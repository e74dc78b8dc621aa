// Server mode in a real browser at phone width: create an account, check in,
// make a share link and open it as a clinician would, sign out and back in.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch, newPage, withShot } from "../harness.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("an account holder checks in, shares a report, and signs out", async () => {
  const server = await startServer({ extra: ["--accounts", "--registration", "open"] });
  const page = await newPage(browser, 360, 800);
  try {
    await withShot(page, "server-mode", async () => {
      await page.goto(server.url);
      await page.waitForURL(server.url + "login");
      await page.getByRole("link", { name: "Create an account" }).click();
      await page.getByLabel(/^Username/).fill("robin");
      await page.getByLabel(/^Password/).fill("a good long password");
      await page.getByLabel("Type it again").fill("a good long password");
      await page.getByRole("button", { name: "Create my account" }).click();
      await page.getByRole("link", { name: "Today", exact: true }).click();
      await page.getByRole("group", { name: "Mood", exact: true }).getByRole("radio", { name: "5", exact: true }).check();
      await page.getByRole("button", { name: "Save" }).first().click();
      await page.getByRole("status").filter({ hasText: "mood 5" }).waitFor();
      assert.match(await page.locator("footer").innerText(), /Signed in as robin/);

      await page.goto(server.url + "shares");
      await page.getByRole("button", { name: "Make a link" }).click();
      const url = await page.getByRole("textbox", { name: "The link to send" }).inputValue();
      assert.match(url, /\/s\/[0-9a-f]{64}$/);
      // Made on 127.0.0.1: the page says nobody elsewhere can open it, and offers the PDF.
      await page.getByRole("alert").filter({ hasText: "works only on this computer" }).waitFor();
      assert.ok(await page.getByRole("link", { name: "download the report as a PDF" }).isVisible());
      const copy = page.getByRole("button", { name: "Copy the link" });
      assert.ok(await copy.isVisible(), "a copy button, with the script");
      assert.ok((await copy.boundingBox()).height >= 44, "big enough to tap");
      const clinician = await newPage(browser, 1024, 800);
      await clinician.goto(url);
      await clinician.getByRole("heading", { name: "Hearth report" }).waitFor();
      assert.deepEqual(clinician.problems, [], "the report loads cleanly under its own policy");
      await clinician.context().close();
      await page.reload();
      assert.match(await page.locator("main").innerText(), /opened 1 time\b/);

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("heading", { name: "Sign in to Hearth" }).waitFor();
      await page.getByLabel("Username").fill("robin");
      await page.getByLabel("Password").fill("a good long password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "How are you right now?" }).waitFor();
      assert.deepEqual(page.problems, []);
    });
  } finally {
    await page.context().close();
    await server.stop();
  }
});
