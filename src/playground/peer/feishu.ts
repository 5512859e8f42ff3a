// The sandbox's Feishu open platform: the Open APIs the bot calls (tenant token, send, reply, patch,
// urgent, bot info, contact user, message resources) and the web sign-in the console uses, answering
// as Feishu documents them (https://open.feishu.cn/document/server-docs/im-v1/message/create).
import { Hono, type Context } from "hono";
import type { SandboxCredentials } from "../mode.js";
import { personaByUserId, type Persona } from "../personas.js";
import type { Body, Chat, Message, World } from "../world.js";
import { oauthCodes, personaFromCookie } from "./oauth.js";

export interface FeishuPeerDeps {
  world: World;
  creds: SandboxCredentials["feishu"];
  personas: () => Persona[];
  now: () => Date;
}

const TOKEN_TTL_S = 7200;
/** Feishu drops a create/reply whose uuid it saw within the hour. */
const UUID_WINDOW_MS = 60 * 60_000;

type Obj = Record<string, unknown>;
const fail = (c: Context, status: number, code: number, msg: string) => c.json({ code, msg }, status as 400);

function bodyOf(msgType: string, content: unknown): Body | string {
  if (typeof content !== "string") return "content must be a JSON string";
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return "content is not valid JSON";
  }
  if (typeof parsed !== "object" || parsed === null) return "content is not a JSON object";
  const p = parsed as Obj;
  if (msgType === "interactive") return { type: "feishu_card", card: p };
  if (msgType === "text" && typeof p.text === "string") return { type: "text", text: p.text };
  return `msg_type ${msgType} is not supported by the playground`;
}

export function feishuPeer(deps: FeishuPeerDeps): Hono {
  const { world, creds } = deps;
  const app = new Hono();
  const tokens = new Map<string, number>(); // token → expiry (real time: tokens are transport)
  const uuids = new Map<string, { id: string; at: number }>();
  const codes = oauthCodes<{ openId: string; name: string }>();

  const authed = (c: Context) => {
    const t = (c.req.header("authorization") ?? "").replace(/^Bearer\s+/i, "");
    const exp = tokens.get(t);
    return exp !== undefined && exp > Date.now();
  };

  const answer = (m: Message) => ({
    code: 0,
    msg: "success",
    data: {
      message_id: m.id,
      ...(m.rootId ? { root_id: m.rootId } : {}),
      ...(m.parentId ? { parent_id: m.parentId } : {}),
      msg_type: m.body.type === "feishu_card" ? "interactive" : "text",
      create_time: String(new Date(m.at).getTime()),
      chat_id: m.chatId,
      sender: { id: creds.appId, id_type: "app_id", sender_type: "app", tenant_key: creds.tenantKey },
    },
  });

  const create = (c: Context, chat: Chat, req: Obj, what: string, parent?: Message) => {
    const body = bodyOf(String(req.msg_type ?? ""), req.content);
    if (typeof body === "string") return fail(c, 400, 230001, `invalid message content: ${body}`);
    const uuid = typeof req.uuid === "string" ? req.uuid : undefined;
    const seen = uuid ? uuids.get(uuid) : undefined;
    if (seen && Date.now() - seen.at < UUID_WINDOW_MS) {
      const m = world.message(seen.id);
      if (m) return c.json(answer(m));
    }
    const m = world.addMessage({
      id: world.nextId("om_pg"),
      chatId: chat.id,
      platform: "feishu",
      sender: { kind: "bot" },
      at: deps.now().toISOString(),
      body,
      ...(parent ? { rootId: parent.rootId ?? parent.id, parentId: parent.id } : {}),
    });
    const res = answer(m);
    world.record(m, { at: m.at, direction: "bot→platform", what, request: { ...req, content: safeJson(req.content) }, response: res, status: 200 });
    if (uuid) uuids.set(uuid, { id: m.id, at: Date.now() });
    return c.json(res);
  };

  app.post("/open-apis/auth/v3/tenant_access_token/internal", async (c) => {
    const b = (await c.req.json().catch(() => ({}))) as Obj;
    if (b.app_id !== creds.appId || b.app_secret !== creds.appSecret) return c.json({ code: 10014, msg: "app secret invalid" });
    const token = `t-pg-${crypto.randomUUID()}`;
    tokens.set(token, Date.now() + TOKEN_TTL_S * 1000);
    // Not wrapped in data (https://open.feishu.cn/document/server-docs/authentication-management/access-token/tenant_access_token_internal).
    return c.json({ code: 0, msg: "ok", tenant_access_token: token, expire: TOKEN_TTL_S });
  });

  // Web sign-in: the authorize page passes straight through for the persona the playground page chose
  // (as inside the Feishu client), and asks who you are otherwise.
  app.get("/open-apis/authen/v1/authorize", (c) => {
    const redirect = c.req.query("redirect_uri");
    if (c.req.query("app_id") !== creds.appId || !redirect) return fail(c, 400, 20001, "invalid request: app_id and redirect_uri are required");
    const persona = personaFromCookie(c, deps.personas());
    if (!persona?.feishu) return c.html(chooser(deps.personas().filter((p) => p.feishu), c.req.url), 200);
    const back = new URL(redirect);
    back.searchParams.set("code", codes.issue({ openId: persona.feishu, name: persona.name }, redirect));
    const state = c.req.query("state");
    if (state !== undefined) back.searchParams.set("state", state);
    return c.redirect(back.toString(), 302);
  });
  app.post("/open-apis/authen/v2/oauth/token", async (c) => {
    const b = (await c.req.json().catch(() => ({}))) as Record<string, string>;
    const user = b.client_id === creds.appId && b.client_secret === creds.appSecret && b.grant_type === "authorization_code" ? codes.take(b.code ?? "", b.redirect_uri ?? "") : undefined;
    if (!user) return c.json({ code: 20003, error: "invalid_grant", error_description: "The authorization code is invalid or has been used." }, 400);
    return c.json({ code: 0, access_token: codes.token(user), expires_in: 7200, token_type: "Bearer", scope: "" });
  });
  app.get("/open-apis/authen/v1/user_info", (c) => {
    const user = codes.user((c.req.header("authorization") ?? "").replace(/^Bearer\s+/i, ""));
    if (!user) return fail(c, 401, 99991668, "Invalid access token for authorization.");
    return c.json({ code: 0, msg: "success", data: { open_id: user.openId, union_id: `on_${user.openId.slice(3)}`, name: user.name, en_name: user.name, tenant_key: creds.tenantKey } });
  });

  app.use("/open-apis/*", async (c, next) => {
    if (!authed(c)) return fail(c, 400, 99991661, "Missing access token for authorization.");
    await next();
  });

  app.get("/open-apis/bot/v3/info", (c) =>
    c.json({ code: 0, msg: "ok", bot: { activate_status: 2, app_name: "ChatDesk", avatar_url: "", ip_white_list: [], open_id: creds.botOpenId } }),
  );

  app.get("/open-apis/contact/v3/users/:id", (c) => {
    const p = personaByUserId(deps.personas(), "feishu", c.req.param("id"));
    if (!p) return fail(c, 400, 41050, "no user authority error");
    return c.json({ code: 0, msg: "success", data: { user: { open_id: p.feishu, name: p.name, en_name: p.name } } });
  });

  app.post("/open-apis/im/v1/messages", async (c) => {
    const type = c.req.query("receive_id_type");
    const req = (await c.req.json().catch(() => ({}))) as Obj;
    const to = String(req.receive_id ?? "");
    if (type !== "chat_id" && type !== "open_id") return fail(c, 400, 99992402, "field validation failed: receive_id_type");
    let chat: Chat | undefined;
    if (type === "chat_id") chat = world.chat(to);
    else {
      const p = personaByUserId(deps.personas(), "feishu", to);
      if (p) chat = world.directChat("feishu", to, p.name);
    }
    if (!chat || chat.platform !== "feishu") return fail(c, 400, 230002, `The bot can not be outside the group (no chat ${to} in the playground).`);
    return create(c, chat, req, type === "chat_id" ? "send to chat" : "send to user");
  });

  app.post("/open-apis/im/v1/messages/:id/reply", async (c) => {
    const parent = world.message(c.req.param("id"));
    const req = (await c.req.json().catch(() => ({}))) as Obj;
    const chat = parent ? world.chat(parent.chatId) : undefined;
    if (!parent || !chat || parent.platform !== "feishu") return fail(c, 400, 230011, "The message was not found, it may have been recalled or deleted.");
    return create(c, chat, req, "reply", parent);
  });

  app.patch("/open-apis/im/v1/messages/:id/urgent_app", async (c) => {
    const m = world.message(c.req.param("id"));
    if (!m || m.platform !== "feishu") return fail(c, 400, 230011, "The message was not found.");
    const req = (await c.req.json().catch(() => ({}))) as Obj;
    const ids = Array.isArray(req.user_id_list) ? req.user_id_list.filter((x): x is string => typeof x === "string") : [];
    const known = ids.filter((id) => personaByUserId(deps.personas(), "feishu", id));
    const res = { code: 0, msg: "success", data: { invalid_user_id_list: ids.filter((id) => !known.includes(id)) } };
    world.update(m, (x) => (x.urgent = [...new Set([...(x.urgent ?? []), ...known])]));
    world.record(m, { at: deps.now().toISOString(), direction: "bot→platform", what: "urgent", request: req, response: res, status: 200 });
    return c.json(res);
  });

  app.patch("/open-apis/im/v1/messages/:id", async (c) => {
    const m = world.message(c.req.param("id"));
    const req = (await c.req.json().catch(() => ({}))) as Obj;
    if (!m || m.platform !== "feishu" || m.body.type !== "feishu_card") return fail(c, 400, 230011, "The message was not found or is not a card.");
    const body = bodyOf("interactive", req.content);
    if (typeof body === "string") return fail(c, 400, 230001, `invalid message content: ${body}`);
    const res = { code: 0, msg: "success", data: {} };
    world.update(m, (x) => {
      x.body = body;
      x.updates++;
    });
    world.record(m, { at: deps.now().toISOString(), direction: "bot→platform", what: "patch", request: { content: safeJson(req.content) }, response: res, status: 200 });
    return c.json(res);
  });

  app.get("/open-apis/im/v1/messages/:id/resources/:key", (c) => {
    const img = world.image(c.req.param("key"));
    if (!img) return fail(c, 400, 234003, "File not in msg.");
    return c.body(Buffer.from(img.base64, "base64"), 200, { "content-type": img.type });
  });

  app.all("*", (c) => fail(c, 404, 404, `playground Feishu has no ${c.req.method} ${c.req.path}`));
  return app;
}

export function safeJson(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** The sign-in page of the sandbox: who are you? (Only when the playground page chose nobody.) */
function chooser(people: Persona[], url: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const links = people
    .map((p) => {
      const u = new URL(url);
      u.searchParams.set("as", p.id);
      return `<li><a href="${esc(`${u.pathname}${u.search}`)}">${esc(p.name)}</a></li>`;
    })
    .join("");
  return `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Sign in</title><body style="font-family:sans-serif;padding:24px"><h1>飞书 · 授权登录 / Sign in</h1><p>选择身份 / Choose who you are:</p><ul>${links}</ul></body>`;
}
