// Partner mode in two browsers at phone width, through one real server:
// pairing by a code read out, a check-in where each sees exactly the
// overlap (never the other's one-sided yes), lowering an answer, unpairing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launch, newPage, withShot, shot, hearth } from "../harness.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signUp(page, url, name) {
  await page.goto(url + "register");
  await page.getByLabel(/^Username/).fill(name);
  await page.getByLabel(/^Password/).fill("a good long password");
  await page.getByLabel("Type it again").fill("a good long password");
  await page.getByRole("button", { name: "Create my account" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/register"));
  await page.goto(url + "partner");
}

async function answer(page, choices) {
  for (const [item, value] of Object.entries(choices)) {
    await page.getByRole("group", { name: item }).getByRole("radio", { name: value, exact: true }).check();
  }
  await page.getByRole("button", { name: "Send my answers" }).click();
  await page.getByRole("heading", { name: "What you share today" }).waitFor();
}

const resultOf = (page) => page.locator("#p-result").innerText();

async function fitsThePhone(page) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `the page is ${wide}px wide at 360`);
}

test("two partners pair, see only what they share, lower an answer and unpair", async () => {
  const server = await startServer({ extra: ["--accounts", "--registration", "open"] });
  const ana = await newPage(browser, 360, 800);
  const ben = await newPage(browser, 360, 800);
  ben.on("dialog", (d) => d.accept());
  try {
    await withShot(ana, "partner", async () => {
      await signUp(ana, server.url, "ana");
      await signUp(ben, server.url, "ben");
      assert.match(await ana.locator("main").innerText(), /only what you both said yes or maybe to/);
      assert.ok(await ana.getByRole("link", { name: "Need help now?" }).isVisible(), "crisis help stays on the page");
      await shot(ana, "partner-start-360");
      await fitsThePhone(ana);

      await ana.getByRole("button", { name: "Invite my partner" }).click();
      await ana.locator("#p-code").filter({ hasText: /\w/ }).waitFor();
      const code = (await ana.locator("#p-code").innerText()).trim();
      assert.match(code, /^[0-9A-Z]{5} [0-9A-Z]{5}$/);
      const invite = ana.getByRole("button", { name: "Invite my partner" });
      assert.ok((await ana.getByRole("button", { name: "Cancel" }).boundingBox()).height >= 44);
      await shot(ana, "partner-code-360");
      assert.equal(await invite.isVisible(), false);

      // Typed the way a person would: lower case, a dash.
      await ben.getByLabel(/type the code/).fill(code.toLowerCase().replace(" ", "-"));
      await ben.getByRole("button", { name: "Pair", exact: true }).click();
      await ana.getByRole("heading", { name: "Today, I would like…" }).waitFor({ timeout: 15000 });
      await ben.getByRole("heading", { name: "Today, I would like…" }).waitFor({ timeout: 15000 });
      const anaCode = await ana.locator("#p-confirm-code").innerText();
      assert.match(anaCode, /^\d{3} \d{3}$/);
      assert.equal(await ben.locator("#p-confirm-code").innerText(), anaCode, "both compare one number");
      assert.match(await ana.locator("main").innerText(), /A yes is an invitation, never a promise/);

      // Ana answers first; her yes to sex is one-sided and must never show.
      await answer(ana, { "Talking together": "Maybe", "Cuddling or hugging": "Yes", "Massage": "Yes", "Sex": "Yes" });
      await ben.reload();
      await answer(ben, { "Talking together": "Yes", "Cuddling or hugging": "Yes", "Massage": "Maybe", "Sensual touch, with no goal": "Yes" });
      // Ben's device waits for Ana's; what he sees says nothing of her.
      assert.match(await resultOf(ben), /Nothing to show yet/);
      await ana.reload();
      await ana.locator("#p-both-yes").waitFor();
      await ben.reload();
      await ben.locator("#p-both-yes").waitFor();
      for (const page of [ana, ben]) {
        const text = await resultOf(page);
        assert.match(text, /You both said yes to cuddling or hugging\./);
        assert.match(text, /You are both open to talking together and massage\./);
        assert.doesNotMatch(text, /Sex|Sensual|Nothing to show/);
        await fitsThePhone(page);
      }
      await shot(ana, "partner-result-360");
      // Answers can only go down.
      const sexYes = ana.getByRole("group", { name: "Sex" }).getByRole("radio", { name: "Yes", exact: true });
      assert.equal(await sexYes.isChecked(), true);
      assert.equal(await ana.getByRole("group", { name: "Talking together" }).getByRole("radio", { name: "Yes", exact: true }).isDisabled(), true);

      // What the API hands Ben is sealed: no item or answer in it.
      const raw = await ben.evaluate(async () => {
        const st = await (await fetch("/api/v1/partner")).text();
        return st;
      });
      assert.doesNotMatch(raw, /sex|massage|cuddle|"yes"|maybe/i);

      // Ana takes massage back: it goes from both screens.
      await ana.getByRole("group", { name: "Massage" }).getByRole("radio", { name: "Not today", exact: true }).check();
      await ana.getByRole("button", { name: "Save the lower answers" }).click();
      await ana.locator("#p-both-open").filter({ hasNotText: "massage" }).waitFor();
      await ben.reload();
      await ben.locator("#p-both-open").filter({ hasText: "talking together" }).waitFor();
      assert.doesNotMatch(await resultOf(ben), /massage/i);

      // Sensate focus: "ready" shows nothing until both said it.
      await ana.goto(server.url + "partner/sensate-focus");
      await ana.locator("#s-paired").waitFor();
      assert.equal(await ana.locator("#s-stage").innerText(), "1");
      await ana.getByRole("button", { name: "I feel ready for the next stage" }).click();
      await ana.locator("#s-said").filter({ hasText: "You said you feel ready for stage 2" }).waitFor();
      await ben.goto(server.url + "partner/sensate-focus");
      await ben.locator("#s-paired").waitFor();
      assert.equal(await ben.getByRole("button", { name: "I feel ready for the next stage" }).isEnabled(), true);
      assert.equal(await ben.locator("#s-said").isVisible(), false, "Ana's one-sided ready never shows");
      await ben.getByRole("button", { name: "I feel ready for the next stage" }).click();
      await ben.locator("#s-said").filter({ hasText: "You said you feel ready" }).waitFor();
      await ana.reload();
      await ana.locator("#s-said").filter({ hasText: "You are both ready: stage 2" }).waitFor();
      await ben.reload();
      await ben.locator("#s-stage").filter({ hasText: "2" }).waitFor();
      // Each logs a session privately, as closeness.
      assert.equal(await ana.getByLabel("Stage", { exact: true }).inputValue(), "2");
      await ana.getByLabel(/^Minutes/).fill("20");
      await ana.getByRole("group", { name: "Mood before" }).getByRole("radio", { name: "4", exact: true }).check();
      await ana.getByRole("group", { name: "Mood after" }).getByRole("radio", { name: "6", exact: true }).check();
      await ana.getByLabel(/^What I noticed/).fill("warm hands");
      await ana.getByRole("button", { name: "Save the session" }).click();
      await ana.getByText("Saved to your journal").waitFor();
      await shot(ana, "sensate-focus-saved-360");
      const logged = await ana.evaluate(async () => (await (await fetch("/api/v1/entries")).json()));
      const session = JSON.stringify(logged);
      assert.match(session, /Sensate focus, stage 2: warm hands/);
      assert.match(session, /"intimacy"/);
      const bens = await ben.evaluate(async () => JSON.stringify(await (await fetch("/api/v1/entries")).json()));
      assert.doesNotMatch(bens, /warm hands/, "a session is its logger's alone");

      // Ben ends it alone; both pages say so.
      await ben.goto(server.url + "partner");
      await ana.goto(server.url + "partner");
      await ben.getByRole("button", { name: "Unpair" }).click();
      await ben.getByText("You ended the pairing").waitFor();
      await ana.reload();
      await ana.getByText("The pairing has ended").waitFor();
      await shot(ana, "partner-ended-360");
      assert.deepEqual(ana.problems.filter((p) => !/409|404/.test(p)), []);
    });
  } finally {
    await ana.context().close();
    await ben.context().close();
    await server.stop();
  }
});

test("without accounts the Partner page explains what it needs", async () => {
  const server = await startServer({ prepare: (dir) => hearth(dir, ["init", "--tz", "Europe/London"]) });
  const page = await newPage(browser, 360, 800, server);
  try {
    await page.goto(server.url + "partner");
    assert.match(await page.locator("main").innerText(), /needs a Hearth server with accounts/);
  } finally {
    await page.context().close();
    await server.stop();
  }
});

test("the insights that fit link to the conversation guides, which read well on a phone", async () => {
  const server = await startServer({
    prepare: async (dir) => {
      await hearth(dir, ["init", "--tz", "Europe/London", "--region", "gb"]);
      await hearth(dir, ["demo", "--days", "180"]);
    },
  });
  const page = await newPage(browser, 360, 800, server);
  try {
    await withShot(page, "guides", async () => {
      await page.goto(server.url + "insights");
      for (const [card, guide] of [
        ["Feeling worse after sex", "When sex is followed by feeling worse"],
        ["Leaning on one tool", "Planning a week of closeness without sex"],
        ["Medication and sexual function", "Talking about side effects, together and with your prescriber"],
      ]) {
        const section = page.locator("section.insight").filter({ has: page.getByRole("heading", { name: card }) });
        assert.ok(await section.getByRole("link", { name: guide }).isVisible(), `${card} links to ${guide}`);
      }
      await page.getByRole("link", { name: "When sex is followed by feeling worse" }).first().click();
      await page.getByRole("heading", { name: "When sex is followed by feeling worse", level: 1 }).waitFor();
      const text = await page.locator("main").innerText();
      assert.match(text, /Need help now\?|talk to a doctor or therapist/);
      assert.ok(await page.getByRole("link", { name: "Need help now?" }).isVisible());
      await fitsThePhone(page);
      await shot(page, "guide-after-sex-360");
      await page.goto(server.url + "guides");
      assert.equal(await page.locator(".guide-list li").count(), 5);
      await page.goto(server.url + "partner/sensate-focus");
      for (let n = 1; n <= 5; n++) await page.getByRole("heading", { name: new RegExp(`^Stage ${n}:`) }).waitFor();
      assert.match(await page.locator("main").innerText(), /except breasts and genitals/);
      await fitsThePhone(page);
      await shot(page, "sensate-focus-360");
      assert.deepEqual(page.problems, []);
    });
  } finally {
    await page.context().close();
    await server.stop();
  }
});
