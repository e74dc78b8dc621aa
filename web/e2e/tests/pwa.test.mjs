// The installable web app: every page names a manifest that starts on
// Today (where what is waiting shows first) in a window of its own, with
// icons a phone's home screen can use, all served by Hearth itself.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../harness.mjs";

test("pages name a manifest with a standalone start on Today and icons that load", async () => {
  const server = await startServer();
  try {
    const html = await (await fetch(server.url + "welcome", { headers: server.headers })).text();
    const href = html.match(/<link rel="manifest" href="([^"]+)">/)?.[1];
    assert.ok(href, "the page links its manifest");
    const res = await fetch(new URL(href, server.url));
    assert.equal(res.status, 200, "served without the launch key, as browsers fetch it");
    assert.match(res.headers.get("content-type"), /^application\/manifest\+json/);
    const m = await res.json();
    assert.equal(m.name, "Hearth");
    assert.equal(m.start_url, "/");
    assert.equal(m.display, "standalone");
    for (const size of [192, 512]) {
      const icon = m.icons.find((i) => i.sizes === `${size}x${size}` && i.type === "image/png");
      assert.ok(icon, `a ${size} px icon`);
      const bytes = Buffer.from(await (await fetch(new URL(icon.src, server.url))).arrayBuffer());
      assert.equal(bytes.subarray(1, 4).toString(), "PNG");
      assert.equal(bytes.readUInt32BE(16), size, "width");
      assert.equal(bytes.readUInt32BE(20), size, "height");
    }
    for (const icon of m.icons) {
      assert.ok(icon.src.startsWith("/static/"), "no other site is asked for anything");
    }
  } finally {
    await server.stop();
  }
});
