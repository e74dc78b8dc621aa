// The OpenAPI document a real `hearth serve` publishes, checked by an
// independent validator (@apidevtools/swagger-parser), in local and server mode.
import { test } from "node:test";
import assert from "node:assert/strict";
import SwaggerParser from "@apidevtools/swagger-parser";
import { startServer } from "../harness.mjs";

for (const [mode, extra] of [["local", []], ["server", ["--accounts", "--registration", "open"]]]) {
  test(`the OpenAPI document is valid OpenAPI 3 (${mode} mode)`, async () => {
    const server = await startServer({ extra });
    try {
      if (server.key) {
        const stranger = await fetch(server.url + "api/v1/openapi.json");
        assert.equal(stranger.status, 401, "local mode answers only with the launch key");
      }
      const res = await fetch(server.url + "api/v1/openapi.json", { headers: server.headers });
      assert.equal(res.status, 200);
      const doc = await res.json();
      const api = await SwaggerParser.validate(structuredClone(doc));
      assert.match(api.openapi, /^3\./);
      for (const path of ["/checkins", "/episodes", "/entries", "/entries/{id}", "/surveys/{instrument}",
        "/insights", "/medications", "/auth/login", "/auth/register", "/shares"]) {
        assert.ok(api.paths[path], `${path} is documented`);
      }
      // ...and the validator does refuse a broken document.
      const broken = structuredClone(doc);
      broken.paths["/checkins"].post.responses = "nope";
      await assert.rejects(SwaggerParser.validate(broken));
    } finally {
      await server.stop();
    }
  });
}
