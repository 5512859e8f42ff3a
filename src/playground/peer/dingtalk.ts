// The sandbox's DingTalk: access token, robot group / 1:1 messages, interactive card instances
// (create and deliver, update, callback registration), session webhooks, message files and the web
// sign-in the console uses, answering as DingTalk documents them
// (https://open.dingtalk.com/document/orgapp/the-robot-sends-a-group-message).
import { Hono, type Context } from "hono";
import type { SandboxCredentials } from "../mode.js";
import { personaByUserId, type Persona } from "../personas.js";
import type { Body, Chat, Message, World } from "../world.js";
import { safeJson } from "./feishu.js";
import { oauthCodes, personaFromCookie } from "./oauth.js";

export interface DingTalkPeerDeps {
  world: World;
  creds: SandboxCredentials["dingtalk"];
  personas: () => Persona[];
  now: () => Date;
  /** Session webhooks the sandbox handed out with robot callbacks: session → chat, expiry (on the sandbox's clock, `now`). */
  sessions: Map<string, { chatId: string; exp: number }>;
}

type Obj = Record<string, unknown>;
const TOKEN_TTL_S = 7200;
/** msgParam ≤ 15000 bytes (groupMessages/send). */
const MSG_PARAM_MAX = 15_000;
/** cardParamMap values ≤ 1 KB each. */
const CARD_VALUE_MAX = 1024;

const bytes = (s: string) => new TextEncoder().encode(s).length;
const err = (c: Context, status: number, code: string, message: string) => c.json({ code, message, requestid: crypto.randomUUID() }, status as 400);

export function dingtalkPeer(deps: DingTalkPeerDeps): Hono {
  const { world, creds } = deps;
  const app = new Hono();
  const tokens = new Map<string, number>();
  const codes = oauthCodes<{ userId: string; unionId: string; nick: string }>();
  const read = async (c: Context) => (await c.req.json().catch(() => ({}))) as Obj;
  const appToken = (t: string | undefined) => {
    const exp = tokens.get(t ?? "");
    return exp !== undefined && exp > Date.now();
  };
  const persona = (userId: string) => personaByUserId(deps.personas(), "dingtalk", userId);

  const post = (chat: Chat, body: Body, what: string, request: unknown, response: unknown): Message => {
    const m = world.addMessage({ id: world.nextId("dtmsg"), chatId: chat.id, platform: "dingtalk", sender: { kind: "bot" }, at: deps.now().toISOString(), body });
    world.record(m, { at: m.at, direction: "bot→platform", what, request, response, status: 200 });
    return m;
  };

  app.post("/v1.0/oauth2/accessToken", async (c) => {
    const b = await read(c);
    if (b.appKey !== creds.clientId || b.appSecret !== creds.clientSecret) return err(c, 400, "invalidClientIdOrSecret", "无效的clientId或clientSecret");
    const token = `pg${crypto.randomUUID().replace(/-/g, "")}`;
    tokens.set(token, Date.now() + TOKEN_TTL_S * 1000);
    return c.json({ accessToken: token, expireIn: TOKEN_TTL_S });
  });

  // Web sign-in (https://open.dingtalk.com/document/orgapp/tutorial-obtaining-user-personal-information).
  app.get("/oauth2/auth", (c) => {
    const redirect = c.req.query("redirect_uri");
    if (c.req.query("client_id") !== creds.clientId || c.req.query("response_type") !== "code" || !redirect) return err(c, 400, "invalidRequest", "client_id, response_type=code and redirect_uri are required");
    const p = personaFromCookie(c, deps.personas());
    if (!p?.dingtalk) return err(c, 403, "noUser", "playground: choose a persona with a DingTalk id on the playground page first");
    const code = codes.issue({ userId: p.dingtalk, unionId: `pgunion${p.dingtalk}`, nick: p.name }, redirect);
    const back = new URL(redirect);
    back.searchParams.set("authCode", code);
    back.searchParams.set("code", code);
    const state = c.req.query("state");
    if (state !== undefined) back.searchParams.set("state", state);
    return c.redirect(back.toString(), 302);
  });
  app.post("/v1.0/oauth2/userAccessToken", async (c) => {
    const b = await read(c);
    if (b.clientId !== creds.clientId || b.clientSecret !== creds.clientSecret) return err(c, 400, "invalidClientIdOrSecret", "无效的clientId或clientSecret");
    const user = b.grantType === "authorization_code" ? codes.take(String(b.code ?? ""), "") : undefined;
    if (!user) return err(c, 400, "invalidAuthCode", "不合法的临时授权码");
    return c.json({ accessToken: codes.token(user), refreshToken: `r${crypto.randomUUID()}`, expireIn: 7200, corpId: creds.corpId });
  });
  app.get("/v1.0/contact/users/me", (c) => {
    const user = codes.user(c.req.header("x-acs-dingtalk-access-token") ?? "");
    if (!user) return err(c, 401, "InvalidAuthentication", "不合法的access_token");
    return c.json({ nick: user.nick, unionId: user.unionId, openId: `open${user.unionId}`, avatarUrl: "", stateCode: "86" });
  });
  app.post("/topapi/user/getbyunionid", async (c) => {
    if (!appToken(c.req.query("access_token"))) return c.json({ errcode: 40014, errmsg: "不合法的access_token" });
    const b = await read(c);
    const p = deps.personas().find((x) => x.dingtalk && `pgunion${x.dingtalk}` === b.unionid);
    if (!p) return c.json({ errcode: 60121, errmsg: "找不到该用户" });
    return c.json({ errcode: 0, errmsg: "ok", result: { contact_type: 0, userid: p.dingtalk } });
  });

  // Session webhooks are authorised by their URL, not a token.
  app.post("/robot/sendBySession", async (c) => {
    const s = deps.sessions.get(c.req.query("session") ?? "");
    const chat = s && s.exp > deps.now().getTime() ? world.chat(s.chatId) : undefined;
    if (!chat) return c.json({ errcode: 300001, errmsg: "session不存在或已过期" });
    const b = await read(c);
    const type = String(b.msgtype ?? "");
    const param = (b[type] ?? {}) as Obj;
    if (!["text", "markdown", "actionCard"].includes(type)) return c.json({ errcode: 40035, errmsg: `不合法的参数 msgtype ${type}` });
    const res = { errcode: 0, errmsg: "ok" };
    post(chat, { type: "dingtalk_robot", msgKey: `webhook:${type}`, param: { ...param, at: b.at } }, "session webhook", b, res);
    return c.json(res);
  });

  app.use("/v1.0/*", async (c, next) => {
    if (!appToken(c.req.header("x-acs-dingtalk-access-token"))) return err(c, 401, "InvalidAuthentication", "不合法的access_token");
    await next();
  });

  const robotMessage = (b: Obj): { body: Body } | { error: string } => {
    if (b.robotCode !== creds.robotCode) return { error: "robotCode 不存在" };
    if (typeof b.msgParam !== "string") return { error: "msgParam 必须是 JSON 字符串" };
    if (bytes(b.msgParam) > MSG_PARAM_MAX) return { error: "msgParam 超过长度限制" };
    const param = safeJson(b.msgParam);
    if (typeof param !== "object" || param === null) return { error: "msgParam 不是 JSON 对象" };
    return { body: { type: "dingtalk_robot", msgKey: String(b.msgKey ?? ""), param: param as Obj } };
  };

  app.post("/v1.0/robot/groupMessages/send", async (c) => {
    const b = await read(c);
    const m = robotMessage(b);
    if ("error" in m) return err(c, 400, "invalidParameter", m.error);
    const chat = world.chat(String(b.openConversationId ?? ""));
    if (!chat || chat.platform !== "dingtalk" || chat.kind !== "group") return err(c, 400, "invalid.openConversationId", "机器人不在该群中");
    const res = { processQueryKey: world.nextId("pqk") };
    post(chat, m.body, "groupMessages/send", { ...b, msgParam: safeJson(b.msgParam) }, res);
    return c.json(res);
  });

  app.post("/v1.0/robot/oToMessages/batchSend", async (c) => {
    const b = await read(c);
    const m = robotMessage(b);
    if ("error" in m) return err(c, 400, "invalidParameter", m.error);
    const ids = Array.isArray(b.userIds) ? b.userIds.filter((x): x is string => typeof x === "string") : [];
    if (!ids.length || ids.length > 20) return err(c, 400, "invalidParameter.userIds.overMax", "userIds 为 1–20 个");
    const res = { processQueryKey: world.nextId("pqk"), invalidStaffIdList: ids.filter((id) => !persona(id)), flowControlledStaffIdList: [] as string[] };
    for (const id of ids) {
      const p = persona(id);
      if (p) post(world.directChat("dingtalk", id, p.name), m.body, "oToMessages/batchSend", { ...b, msgParam: safeJson(b.msgParam) }, res);
    }
    return c.json(res);
  });

  app.post("/v1.0/card/callbacks/register", async (c) => {
    const b = await read(c);
    if (typeof b.callbackUrl !== "string" || typeof b.apiSecret !== "string") return err(c, 400, "invalidParameter", "callbackUrl 与 apiSecret 必填");
    const key = typeof b.callbackRouteKey === "string" ? b.callbackRouteKey : "";
    world.register({ callbackRouteKey: key, callbackUrl: b.callbackUrl, apiSecret: b.apiSecret });
    return c.json({ success: true, result: { callbackUrl: b.callbackUrl, apiSecret: b.apiSecret } });
  });

  app.post("/v1.0/card/instances/createAndDeliver", async (c) => {
    const b = await read(c);
    const outTrackId = typeof b.outTrackId === "string" ? b.outTrackId : "";
    if (b.cardTemplateId !== creds.cardTemplateId) return err(c, 400, "param.templateNotExist", `卡片模板 ${String(b.cardTemplateId)} 不存在（the playground publishes ${creds.cardTemplateId}）`);
    if (!outTrackId || typeof b.openSpaceId !== "string") return err(c, 400, "param.openDeliverModelEmpty", "outTrackId 与 openSpaceId 必填");
    if (world.cardByTrackId(outTrackId)) return err(c, 400, "param.cardAlreadyExist", "卡片已存在");
    const data = cardParams(b.cardData);
    if (typeof data === "string") return err(c, 400, "param.cardParamMap", data);
    const [, space = "", spaceId = ""] = /^dtv1\.card\/\/([A-Z_]+)\.(.+)$/.exec(b.openSpaceId) ?? [];
    let chat: Chat | undefined;
    if (space === "IM_GROUP") chat = world.chat(spaceId);
    else if (space === "IM_ROBOT" && persona(spaceId)) chat = world.directChat("dingtalk", spaceId, persona(spaceId)!.name);
    const deliver = { spaceType: space, spaceId, success: Boolean(chat), carrierId: world.nextId("carrier"), ...(chat ? {} : { errorMsg: "机器人不在该会话中" }) };
    const res = { success: true, result: { outTrackId, deliverResults: [deliver] } };
    if (chat?.platform === "dingtalk") {
      const at = (b.imGroupOpenDeliverModel as Obj | undefined)?.atUserIds;
      post(
        chat,
        {
          type: "dingtalk_card",
          outTrackId,
          templateId: creds.cardTemplateId,
          data,
          privateData: {},
          callbackType: String(b.callbackType ?? "STREAM"),
          ...(typeof b.callbackRouteKey === "string" ? { routeKey: b.callbackRouteKey } : {}),
          ...(at && typeof at === "object" ? { atUserIds: at as Record<string, string> } : {}),
        },
        "card createAndDeliver",
        b,
        res,
      );
    }
    return c.json(res);
  });

  app.put("/v1.0/card/instances", async (c) => {
    const b = await read(c);
    const m = world.cardByTrackId(String(b.outTrackId ?? ""));
    if (!m || m.body.type !== "dingtalk_card") return err(c, 400, "param.cardNotExist", "卡片不存在");
    const data = cardParams(b.cardData);
    if (typeof data === "string") return err(c, 400, "param.cardParamMap", data);
    const byKey = (b.cardUpdateOptions as Obj | undefined)?.updateCardDataByKey === true;
    const res = { success: true, result: true };
    world.update(m, (x) => {
      const card = x.body as Extract<Body, { type: "dingtalk_card" }>;
      card.data = byKey ? { ...card.data, ...data } : data;
      x.updates++;
    });
    world.record(m, { at: deps.now().toISOString(), direction: "bot→platform", what: "card update", request: b, response: res, status: 200 });
    return c.json(res);
  });

  app.post("/v1.0/robot/messageFiles/download", async (c) => {
    const b = await read(c);
    const code = String(b.downloadCode ?? "");
    if (!world.image(code)) return err(c, 400, "resource.not.found", "下载码不存在");
    return c.json({ downloadUrl: `${new URL(c.req.url).origin}${c.req.path.replace(/\/v1\.0\/robot\/messageFiles\/download$/, "")}/files/${encodeURIComponent(code)}` });
  });

  app.get("/files/:code", (c) => {
    const img = world.image(c.req.param("code"));
    if (!img) return err(c, 404, "resource.not.found", "文件不存在");
    return c.body(Buffer.from(img.base64, "base64"), 200, { "content-type": img.type });
  });

  app.all("*", (c) => err(c, 404, "NotFound", `playground DingTalk has no ${c.req.method} ${c.req.path}`));
  return app;
}

/** cardData.cardParamMap: every value a string of at most 1 KB, as the card platform requires. */
function cardParams(cardData: unknown): Record<string, string> | string {
  const map = (cardData as Obj | undefined)?.cardParamMap;
  if (typeof map !== "object" || map === null) return "cardData.cardParamMap 必填";
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) {
    if (typeof v !== "string") return `cardParamMap.${k} 必须是字符串`;
    if (bytes(v) > CARD_VALUE_MAX) return `cardParamMap.${k} 超过 1KB`;
    out[k] = v;
  }
  return out;
}
