// The sandbox as the platforms' event senders: what a person does on the page becomes the webhook
// request Feishu or DingTalk would make (encrypted, signed), POSTed to the bot's real routes; the
// answers (acks, toasts, cards for the clicker) are applied to the world as the clients would.
import { cardCallbackBody, signedCardRequest, signedRobotRequest } from "./events/dingtalk.js";
import { feishuCardAction, feishuEnvelope, feishuMessage, signFeishu, type FeishuMention } from "./events/feishu.js";
import type { SandboxCredentials } from "./mode.js";
import { PEER_BASE } from "./mode.js";
import { userIdOn, type Persona } from "./personas.js";
import type { Body, Chat, Message, World } from "./world.js";

export interface DeliverDeps {
  world: World;
  creds: SandboxCredentials;
  /** The bot's own origin (its webhooks) and the sandbox peers' (session webhooks). */
  origin: string;
  now: () => Date;
  personas: () => Persona[];
  sessions: Map<string, { chatId: string; exp: number }>;
}

export interface Compose {
  chat: Chat;
  persona: Persona;
  text: string;
  mentionBot: boolean;
  imageKeys: string[];
  /** Feishu: the message replied to (its thread). */
  replyTo?: Message;
}

export interface Toast {
  kind: string;
  text: string;
}

/** DingTalk's session webhooks stay valid for about 90 minutes. */
const SESSION_TTL_MS = 90 * 60_000;

async function postJson(url: string, req: { headers: Record<string, string>; body: string }): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { method: "POST", headers: req.headers, body: req.body, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    /* keep the text */
  }
  return { status: res.status, body };
}

/** "@张工" in the text → that persona, when they are on this platform. */
function mentionedPersonas(text: string, personas: Persona[], platform: Chat["platform"]): Persona[] {
  return personas.filter((p) => userIdOn(p, platform) && !p.stranger && text.includes(`@${p.name}`));
}

export function createDeliverer(deps: DeliverDeps) {
  const { world, creds } = deps;
  const feishuSecrets = { encryptKey: creds.feishu.encryptKey, verificationToken: creds.feishu.verificationToken };

  const userMessage = (c: Compose, body: Body, id: string): Message =>
    world.addMessage({
      id,
      chatId: c.chat.id,
      platform: c.chat.platform,
      sender: { kind: "user", userId: userIdOn(c.persona, c.chat.platform) ?? c.persona.id, name: c.persona.name },
      at: deps.now().toISOString(),
      body,
      ...(c.replyTo ? { rootId: c.replyTo.rootId ?? c.replyTo.id, parentId: c.replyTo.id } : {}),
    });

  async function feishuSend(c: Compose): Promise<Message> {
    const openId = c.persona.feishu!;
    const mentions: FeishuMention[] = [];
    let text = c.text;
    if (c.mentionBot) mentions.push({ key: "@_user_1", openId: creds.feishu.botOpenId, name: "ChatDesk", bot: true });
    for (const p of mentionedPersonas(text, deps.personas(), "feishu")) {
      const key = `@_user_${mentions.length + 1}`;
      text = text.split(`@${p.name}`).join(key);
      mentions.push({ key, openId: p.feishu!, name: p.name });
    }
    const botKey = c.mentionBot ? "@_user_1 " : "";
    const shown = mentions.map((m) => ({ key: m.key, userId: m.openId, name: m.name }));
    let messageType: string;
    let content: Record<string, unknown>;
    let body: Body;
    if (c.imageKeys.length && !text.trim() && !c.mentionBot) {
      messageType = "image";
      content = { image_key: c.imageKeys[0] };
      body = { type: "image", imageKey: c.imageKeys[0]! };
    } else if (c.imageKeys.length) {
      messageType = "post";
      const line: Record<string, unknown>[] = [];
      if (c.mentionBot) line.push({ tag: "at", user_id: "@_user_1", user_name: "ChatDesk" });
      line.push({ tag: "text", text: `${c.mentionBot ? " " : ""}${text}` });
      content = { title: "", content: [line, ...c.imageKeys.map((k) => [{ tag: "img", image_key: k }])] };
      body = { type: "post", text: `${botKey}${text}`, imageKeys: c.imageKeys, mentions: shown };
    } else {
      messageType = "text";
      content = { text: `${botKey}${text}` };
      body = { type: "text", text: `${botKey}${text}`, mentions: shown };
    }
    const msg = userMessage(c, body, world.nextId("om_pgu"));
    // With only the group_at_msg scope (docs/feishu.md), Feishu pushes group messages that @ the bot; a direct chat always.
    if (c.chat.kind === "group" && !c.mentionBot) return msg;
    const now = deps.now().getTime();
    const payload = feishuEnvelope(
      "im.message.receive_v1",
      {
        sender: { sender_id: { open_id: openId, union_id: `on_${openId.slice(3)}` }, sender_type: "user", tenant_key: creds.feishu.tenantKey },
        message: feishuMessage({
          messageId: msg.id,
          chatId: c.chat.id,
          chatType: c.chat.kind === "group" ? "group" : "p2p",
          messageType,
          content,
          mentions,
          tenantKey: creds.feishu.tenantKey,
          createTime: now,
          rootId: msg.rootId,
          parentId: msg.parentId,
        }),
      },
      { eventId: world.nextId("pgev_"), token: creds.feishu.verificationToken, appId: creds.feishu.appId, tenantKey: creds.feishu.tenantKey, createTime: now },
    );
    const res = await postJson(`${deps.origin}/webhooks/feishu/events`, await signFeishu(payload, feishuSecrets));
    world.record(msg, { at: deps.now().toISOString(), direction: "platform→bot", what: "im.message.receive_v1", request: payload, response: res.body, status: res.status });
    return msg;
  }

  async function dingtalkSend(c: Compose): Promise<Message> {
    const staffId = c.persona.dingtalk!;
    const group = c.chat.kind === "group";
    const mentioned = mentionedPersonas(c.text, deps.personas(), "dingtalk");
    const body: Body = c.imageKeys.length
      ? { type: "post", text: c.text, imageKeys: c.imageKeys }
      : { type: "text", text: `${c.mentionBot ? "@ChatDesk " : ""}${c.text}`, mentions: mentioned.map((p) => ({ key: `@${p.name}`, userId: p.dingtalk!, name: p.name })) };
    const msg = userMessage(c, body, world.nextId("msgPg"));
    // DingTalk delivers group messages to a robot only when they @ it.
    if (group && !c.mentionBot) return msg;
    const session = world.nextId("pgs");
    const createAt = deps.now().getTime(); // expiries on this clock too: the bot judges them by its (fast-forwarded) time
    deps.sessions.set(session, { chatId: c.chat.id, exp: createAt + SESSION_TTL_MS });
    const common = {
      conversationId: c.chat.id,
      conversationType: group ? "2" : "1",
      ...(group ? { conversationTitle: c.chat.name } : {}),
      chatbotCorpId: creds.dingtalk.corpId,
      chatbotUserId: creds.dingtalk.botUserId,
      msgId: msg.id,
      senderNick: c.persona.name,
      isAdmin: false,
      senderStaffId: staffId,
      senderUnionId: `pgunion${staffId}`,
      sessionWebhookExpiredTime: createAt + SESSION_TTL_MS,
      createAt,
      senderCorpId: creds.dingtalk.corpId,
      senderId: `$:LWCP_v1:$${staffId}`,
      isInAtList: c.mentionBot || !group,
      sessionWebhook: `${deps.origin}${PEER_BASE}/dingtalk/robot/sendBySession?session=${session}`,
      robotCode: creds.dingtalk.robotCode,
      atUsers: [...(c.mentionBot ? [{ dingtalkId: creds.dingtalk.botUserId }] : []), ...mentioned.map((p) => ({ dingtalkId: `$:LWCP_v1:$${p.dingtalk}`, staffId: p.dingtalk }))],
    };
    // DingTalk strips the @robot from the text and leaves the space before it.
    const payload = c.imageKeys.length
      ? c.text.trim()
        ? { ...common, msgtype: "richText", content: { richText: [{ text: ` ${c.text}` }, ...c.imageKeys.map((k) => ({ downloadCode: k, type: "picture" }))] } }
        : { ...common, msgtype: "picture", content: { downloadCode: c.imageKeys[0], pictureDownloadCode: c.imageKeys[0] } }
      : { ...common, msgtype: "text", text: { content: ` ${c.text}` } };
    const res = await postJson(`${deps.origin}/webhooks/dingtalk/robot`, await signedRobotRequest(payload, creds.dingtalk.clientSecret));
    world.record(msg, { at: deps.now().toISOString(), direction: "platform→bot", what: "robot callback", request: payload, response: res.body, status: res.status });
    return msg;
  }

  /** A click or form submit on a Feishu card, as card.action.trigger; the answer's card replaces the shared card. */
  async function feishuClick(msg: Message, persona: Persona, a: { value: Record<string, unknown>; tag: string; formValue?: Record<string, unknown>; option?: string; name?: string }): Promise<Toast | undefined> {
    const now = deps.now().getTime();
    const payload = feishuEnvelope(
      "card.action.trigger",
      feishuCardAction({ operatorId: persona.feishu!, tenantKey: creds.feishu.tenantKey, token: `c-${crypto.randomUUID()}`, ...a, messageId: msg.id, chatId: msg.chatId }),
      { eventId: world.nextId("pgev_"), token: creds.feishu.verificationToken, appId: creds.feishu.appId, tenantKey: creds.feishu.tenantKey, createTime: now },
    );
    const res = await postJson(`${deps.origin}/webhooks/feishu/cards`, await signFeishu(payload, feishuSecrets));
    world.record(msg, { at: deps.now().toISOString(), direction: "platform→bot", what: "card.action.trigger", request: payload, response: res.body, status: res.status });
    const answer = (res.body ?? {}) as { toast?: { type?: string; content?: string }; card?: { type?: string; data?: Record<string, unknown> } };
    if (res.status !== 200) return { kind: "error", text: `HTTP ${res.status}` };
    const card = answer.card?.type === "raw" ? answer.card.data : undefined;
    if (card && (msg.body.type !== "feishu_card" || JSON.stringify(msg.body.card) !== JSON.stringify(card))) {
      world.update(msg, (m) => {
        m.body = { type: "feishu_card", card };
        m.updates++;
      });
    }
    return answer.toast ? { kind: answer.toast.type ?? "info", text: answer.toast.content ?? "" } : undefined;
  }

  /** A click on a DingTalk card: to the URL registered for its route key, signed with the registered apiSecret. */
  async function dingtalkClick(msg: Message, persona: Persona, actionId: string, params: Record<string, unknown>): Promise<Toast | undefined> {
    if (msg.body.type !== "dingtalk_card") return undefined;
    const card = msg.body;
    const reg = card.routeKey !== undefined ? world.registration(card.routeKey) : undefined;
    if (card.callbackType !== "HTTP" || !reg) return { kind: "error", text: `no card callback registered for route key "${card.routeKey ?? ""}" (DingTalk would drop this click)` };
    const chat = world.chat(msg.chatId);
    const body = cardCallbackBody({
      outTrackId: card.outTrackId,
      userId: persona.dingtalk!,
      spaceId: chat?.kind === "direct" ? persona.dingtalk! : msg.chatId,
      spaceType: chat?.kind === "direct" ? "IM_ROBOT" : "IM_GROUP",
      corpId: creds.dingtalk.corpId,
      actionId,
      params,
    });
    const res = await postJson(reg.callbackUrl, await signedCardRequest(body, reg.apiSecret));
    world.record(msg, { at: deps.now().toISOString(), direction: "platform→bot", what: "card callback", request: body, response: res.body, status: res.status });
    if (res.status !== 200) return { kind: "error", text: `HTTP ${res.status}` };
    const answer = (res.body ?? {}) as { cardData?: { cardParamMap?: Record<string, string> }; userPrivateData?: { cardParamMap?: Record<string, string> } };
    world.update(msg, (m) => {
      const b = m.body as typeof card;
      if (answer.cardData?.cardParamMap) b.data = { ...b.data, ...answer.cardData.cardParamMap };
      if (answer.userPrivateData?.cardParamMap) b.privateData[persona.dingtalk!] = { ...(b.privateData[persona.dingtalk!] ?? {}), ...answer.userPrivateData.cardParamMap };
    });
    const notice = answer.userPrivateData?.cardParamMap;
    return notice?.notice ? { kind: notice.noticeKind ?? "info", text: notice.notice } : undefined;
  }

  return {
    send: (c: Compose) => (c.chat.platform === "feishu" ? feishuSend(c) : dingtalkSend(c)),
    feishuClick,
    dingtalkClick,
  };
}

export type Deliverer = ReturnType<typeof createDeliverer>;
