// /playground: the page, its small JSON API (what a person does there), and the two platform peers.
// The API needs the x-playground header, which a cross-site page cannot send without a CORS preflight.
import { Hono, type Context } from "hono";
import type { AppContext } from "../app/context.js";
import type { SharedClock } from "../adapter/node/clock.js";
import type { Deliverer } from "./deliver.js";
import type { SandboxCredentials } from "./mode.js";
import { PlaygroundPage, chatList, clockLine } from "./page/layout.js";
import { pgTexts, type PgLocale } from "./page/i18n.js";
import { CLIENT_JS } from "./page/client.js";
import { STYLE } from "./page/style.js";
import { emptyDatabase } from "./reset.js";
import { MessageView, type ViewContext } from "./render/message.js";
import { userIdOn, type Persona } from "./personas.js";
import { plusHour, plusWorkingDay, resetClock, toDailyDigest, toNextReminder, type Jump, type TimeDeps } from "./time.js";
import type { Message, World } from "./world.js";

export interface PlaygroundDeps {
  ctx: AppContext;
  world: World;
  clock: SharedClock;
  creds: SandboxCredentials;
  personas: () => Persona[];
  deliver: Deliverer;
  /** Where the browser must be for the sign-in redirects to work (PUBLIC_URL). */
  origin: string;
  peers: { feishu: Hono; dingtalk: Hono };
}

const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
const LONG_POLL_MS = 20_000;

type Obj = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : "");

export function playgroundRoutes(d: PlaygroundDeps): Hono {
  const app = new Hono();
  const time: TimeDeps = { ctx: d.ctx, clock: d.clock, world: d.world };
  const lang = (c: Context): PgLocale => (c.req.query("lang") === "en" ? "en" : "zh-CN");
  const persona = (id: string | undefined): Persona => d.personas().find((p) => p.id === id) ?? d.personas()[0]!;
  const view = (c: Context, as: string | undefined): ViewContext => ({
    world: d.world,
    personas: d.personas(),
    viewer: persona(as),
    t: pgTexts(lang(c)),
    timeZone: d.ctx.config.calendar.timeZone,
    botOpenId: d.creds.feishu.botOpenId,
  });
  const html = (m: Message, v: ViewContext) => String(<MessageView m={m} v={v} />);

  app.route("/peer/feishu", d.peers.feishu);
  app.route("/peer/dingtalk", d.peers.dingtalk);

  app.get("/", (c) => {
    // The sign-in redirects name PUBLIC_URL: the page must be opened there, or the console cannot sign in.
    const want = new URL(d.origin);
    const got = new URL(c.req.url);
    if (got.host !== want.host) return c.redirect(`${d.origin}/playground${got.search}`, 302);
    c.header("cache-control", "no-store");
    const page = (
      <PlaygroundPage
        t={pgTexts(lang(c))}
        lang={lang(c)}
        personas={d.personas()}
        chats={d.world.chats()}
        now={d.clock.now()}
        offsetMs={d.clock.offsetMs()}
        timeZone={d.ctx.config.calendar.timeZone}
      />
    );
    return c.html(`<!DOCTYPE html>${String(page)}`);
  });
  app.get("/assets/playground.js", (c) => c.body(CLIENT_JS, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache" }));
  app.get("/assets/playground.css", (c) => c.body(STYLE, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "no-cache" }));
  app.get("/api/images/:key", (c) => {
    const img = d.world.image(c.req.param("key"));
    if (!img) return c.json({ code: "NOT_FOUND", message: "no such image" }, 404);
    return c.body(Buffer.from(img.base64, "base64"), 200, { "content-type": img.type, "x-content-type-options": "nosniff" });
  });

  app.use("/api/*", async (c, next) => {
    if (c.req.method !== "GET" && c.req.header("x-playground") !== "1") return c.json({ code: "FORBIDDEN", message: "playground API calls need the x-playground header" }, 403);
    await next();
  });

  // Long poll: answers when something changed after `since` (or after a while, with nothing).
  app.get("/api/view", async (c) => {
    const since = Number(c.req.query("since") ?? 0);
    if (since >= d.world.revision) await d.world.changed(LONG_POLL_MS);
    const v = view(c, c.req.query("as"));
    // Everyone can open their direct chat with the bot (as in the clients), before the bot writes first.
    for (const platform of ["feishu", "dingtalk"] as const) {
      const id = userIdOn(v.viewer, platform);
      if (id && !v.viewer.stranger) d.world.directChat(platform, id, v.viewer.name);
    }
    const chatId = c.req.query("chat") ?? "";
    const msgs = chatId ? d.world.messages(chatId) : [];
    return c.json({
      rev: d.world.revision,
      order: msgs.map((m) => m.id),
      messages: msgs.filter((m) => m.rev > since).map((m) => ({ id: m.id, html: html(m, v) })),
      chats: String(chatList({ t: v.t, chats: d.world.chats(), personas: d.personas(), viewer: v.viewer })),
      clock: String(clockLine({ t: v.t, now: d.clock.now(), offsetMs: d.clock.offsetMs(), timeZone: v.timeZone })),
    });
  });

  app.get("/api/raw/:id", (c) => {
    const m = d.world.message(c.req.param("id"));
    if (!m) return c.json({ code: "NOT_FOUND", message: "no such message" }, 404);
    return c.json(m);
  });

  app.post("/api/send", async (c) => {
    const b = (await c.req.json().catch(() => ({}))) as Obj;
    const chat = d.world.chat(str(b.chat));
    const p = persona(str(b.as));
    if (!chat) return c.json({ code: "NOT_FOUND", message: "no such chat" }, 404);
    if (!userIdOn(p, chat.platform)) return c.json({ code: "INVALID_INPUT", message: pgTexts(lang(c)).noPlatformId }, 400);
    const text = str(b.text).slice(0, 4000);
    const images = Array.isArray(b.images) ? b.images.filter((k): k is string => typeof k === "string" && !!d.world.image(k)).slice(0, 4) : [];
    if (!text.trim() && !images.length) return c.json({ code: "INVALID_INPUT", message: "empty message" }, 400);
    const replyTo = str(b.replyTo) ? d.world.message(str(b.replyTo)) : undefined;
    const m = await d.deliver.send({ chat, persona: p, text, mentionBot: b.mentionBot !== false, imageKeys: images, replyTo: replyTo?.chatId === chat.id ? replyTo : undefined });
    return c.json({ id: m.id, status: m.exchanges.at(-1)?.status });
  });

  app.post("/api/upload", async (c) => {
    const b = (await c.req.json().catch(() => ({}))) as Obj;
    const m = /^data:(image\/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=]+)$/.exec(str(b.dataUrl));
    if (!m) return c.json({ code: "INVALID_INPUT", message: "expected a data: URL of a PNG, JPEG, GIF or WebP image" }, 400);
    if ((m[2]!.length * 3) / 4 > MAX_IMAGE_BYTES) return c.json({ code: "PAYLOAD_TOO_LARGE", message: "images up to 2 MB" }, 413);
    const key = str(b.platform) === "dingtalk" ? d.world.nextId("pgdl") : d.world.nextId("img_v3_pg");
    d.world.putImage(key, m[1]!, m[2]!);
    return c.json({ key });
  });

  app.post("/api/click", async (c) => {
    const b = (await c.req.json().catch(() => ({}))) as Obj;
    const m = d.world.message(str(b.message));
    const p = persona(str(b.as));
    if (!m) return c.json({ code: "NOT_FOUND", message: "no such message" }, 404);
    if (!userIdOn(p, m.platform)) return c.json({ toast: { kind: "error", text: pgTexts(lang(c)).noPlatformId } });
    if (m.platform === "feishu") {
      const toast = await d.deliver.feishuClick(m, p, {
        value: (b.value ?? {}) as Obj,
        tag: str(b.tag) || "button",
        ...(b.formValue && typeof b.formValue === "object" ? { formValue: b.formValue as Obj } : {}),
        ...(str(b.option) ? { option: str(b.option) } : {}),
        ...(str(b.name) ? { name: str(b.name) } : {}),
      });
      return c.json({ toast });
    }
    const toast = await d.deliver.dingtalkClick(m, p, str(b.actionId), (b.params ?? {}) as Obj);
    return c.json({ toast });
  });

  app.post("/api/chats", async (c) => {
    const b = (await c.req.json().catch(() => ({}))) as Obj;
    const platform = str(b.platform) === "dingtalk" ? "dingtalk" : "feishu";
    const name = str(b.name).trim().slice(0, 40);
    if (!name) return c.json({ code: "INVALID_INPUT", message: "a group needs a name" }, 400);
    const id = platform === "feishu" ? d.world.nextId("oc_pg") : `${d.world.nextId("cidPg")}==`;
    return c.json(d.world.addChat({ id, platform, kind: "group", name }));
  });

  app.post("/api/time", async (c) => {
    const b = (await c.req.json().catch(() => ({}))) as Obj;
    let jump: Jump | undefined;
    switch (str(b.op)) {
      case "hour":
        jump = await plusHour(time);
        break;
      case "day":
        jump = await plusWorkingDay(time);
        break;
      case "reminder":
        jump = await toNextReminder(time);
        break;
      case "digest":
        jump = await toDailyDigest(time);
        break;
      default:
        return c.json({ code: "INVALID_INPUT", message: "op must be hour, day, reminder or digest" }, 400);
    }
    const t = pgTexts(lang(c));
    const done = jump ? (Object.keys(t.acted) as (keyof typeof t.acted)[]).filter((k) => jump.summary[k]).map((k) => `${t.acted[k]} ${jump.summary[k]}`) : [];
    const at = String(clockLine({ t, now: d.clock.now(), offsetMs: d.clock.offsetMs(), timeZone: d.ctx.config.calendar.timeZone })).replace(/<[^>]+>/g, "");
    return c.json({ jump: jump ?? null, now: d.clock.now().toISOString(), text: `${jump ? "→" : t.nothingDue} ${at}${done.length ? ` · ${done.join(", ")}` : ""}` });
  });

  app.post("/api/reset", async (c) => {
    const tables = await emptyDatabase(d.ctx.db);
    resetClock(time);
    d.world.reset();
    d.ctx.log.info("playground reset", { tables: tables.length });
    return c.json({ ok: true });
  });

  return app;
}
