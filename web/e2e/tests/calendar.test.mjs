// The private calendar feed, read by an independent iCalendar parser
// (ical.js) as a phone's calendar would: one daily event with an alarm at
// each chosen time, none in quiet hours, and words that name nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import ICAL from "ical.js";
import { startServer, hearth } from "../harness.mjs";

test("a calendar link gives a feed a calendar app can read, and stops at once", async () => {
  const server = await startServer({
    prepare: async (dir) => {
      await hearth(dir, ["init", "--tz", "Europe/Berlin"]);
      await hearth(dir, ["settings", "set", "remind_at", "08:15,19:45,23:30"]);
      await hearth(dir, ["settings", "set", "quiet_hours", "23:00-06:00"]);
      await hearth(dir, ["log", "sex-partnered", "--before", "3", "--note", "private words"]);
    },
  });
  try {
    const made = await fetch(server.url + "api/v1/calendar", {
      method: "POST", headers: { ...server.headers, "content-type": "application/json" }, body: "{}",
    });
    assert.equal(made.status, 201);
    const { url } = await made.json();
    assert.match(url, /\/calendar\.ics\?token=[0-9a-f]{64}$/);
    // The phone has no key and no session: the link is enough.
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type"), /^text\/calendar/);
    const text = await res.text();
    const cal = new ICAL.Component(ICAL.parse(text));
    const events = cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    assert.deepEqual(events.map((e) => e.startDate.toString().slice(11, 16)).sort(), ["08:15", "19:45"],
      "23:30 falls in the quiet hours");
    for (const e of events) {
      assert.equal(e.summary, "Hearth");
      assert.ok(e.isRecurring(), "every day");
      assert.equal(e.component.getFirstPropertyValue("rrule").freq, "DAILY");
      const alarm = e.component.getFirstSubcomponent("valarm");
      assert.equal(alarm.getFirstPropertyValue("action"), "DISPLAY");
      assert.equal(alarm.getFirstPropertyValue("trigger").toSeconds(), 0);
    }
    for (const word of ["sex", "partner", "private words", "mood"]) {
      assert.ok(!text.toLowerCase().includes(word), `the feed never says ${word}`);
    }
    const stop = await fetch(server.url + "api/v1/calendar", { method: "DELETE", headers: server.headers });
    assert.equal(stop.status, 204);
    assert.equal((await fetch(url)).status, 404);
  } finally {
    await server.stop();
  }
});
