// The ceiling: the same framework and Node adapter as ChatDesk, a route that reads and parses the
// body and answers {} — no signature, no decryption, no database. Run as its own process.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.get("/readyz", (c) => c.json({ status: "ok" }));
app.post("/webhooks/*", async (c) => {
  JSON.parse(await c.req.text());
  return c.json({});
});
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: "0.0.0.0" });
