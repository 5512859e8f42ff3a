// A ticket's stored attachment, for the console's ticket page: the same sign-in as every console page
// (mounted behind requireViewer). Raster images may show inline; everything else — SVG, HTML, PDF,
// anything unknown — is served as a download with a neutral type, so a file a customer sent can never
// run as a page of ours. nosniff keeps browsers from guessing otherwise
// (https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Content-Type-Options).
import { Hono } from "hono";
import { findTicketByNumber } from "../../store/tickets.js";
import { INLINE_TYPES } from "../inline-types.js";
import type { ConsoleDeps, ConsoleEnv } from "../context.js";


/** RFC 6266 / RFC 5987: an ASCII fallback and the UTF-8 name. */
export function contentDisposition(kind: "inline" | "attachment", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function attachmentRoutes(deps: ConsoleDeps): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const { ctx } = deps;

  app.get("/tickets/:number/attachments/:id", async (c) => {
    const t = await findTicketByNumber(ctx.db, c.req.param("number"));
    const id = Number(c.req.param("id"));
    const a = t && Number.isInteger(id) ? await ctx.db.attachment.findFirst({ where: { id, ticketId: t.id } }) : null;
    if (!a || a.status !== "stored" || !a.storageKey || !ctx.attachments) return c.text("not found", 404);
    const file = await ctx.attachments.get(a.storageKey);
    if (!file) {
      ctx.log.warn("stored attachment missing from storage", { attachment: a.id, key: a.storageKey, where: ctx.attachments.where });
      return c.text("not found", 404);
    }
    const type = a.contentType ?? "";
    const inline = INLINE_TYPES.has(type) && c.req.query("download") === undefined;
    const name = a.name ?? a.storageKey.split("/").pop()!;
    c.header("content-type", inline ? type : "application/octet-stream");
    c.header("content-disposition", contentDisposition(inline ? "inline" : "attachment", name));
    c.header("content-length", String(file.bytes.byteLength));
    // Nothing in the file may load or run anything, even opened on its own.
    c.header("content-security-policy", "default-src 'none'; sandbox");
    return c.body(file.bytes as Uint8Array<ArrayBuffer>);
  });

  return app;
}
