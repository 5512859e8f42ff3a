// Outbound DingTalk port. With a card template id, tickets are interactive cards (createAndDeliver,
// updated in place by outTrackId). Without one, cards degrade to robot markdown/actionCard messages
// that cannot be edited: updateCard posts the new state as a new message into the same chat.
import type { Card } from "../../../cards/model.js";
import type { DingTalkSettings } from "../../config/env.js";
import { PlatformError, type ChatSender, type SendOptions } from "../../platform/port.js";
import { callApi, DEFAULT_TIMEOUT_MS, isAuthError, type ApiOptions } from "./api.js";
import { dingtalkDownload } from "./download.js";
import { dingtalkTextMessage } from "./escape.js";
import { renderRobotMessage, renderTemplateData } from "./render-card.js";
import { appTokens, createTokenProvider, type TokenProvider } from "./token.js";

export interface DingTalkSenderOptions {
  cardTemplateId?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Share one token cache with the Stream client. */
  tokens?: TokenProvider;
  /** HTTP-mode cards route their callbacks by this key (see registerCardCallback). */
  callbackRouteKey?: string;
  /** Messages per chat per minute before we refuse with retryAfterMs (20/min/robot: https://open.dingtalk.com/document/development/custom-robots-send-group-messages). */
  perChatPerMinute?: number;
  now?: () => number;
}

export const DEFAULT_CALLBACK_ROUTE_KEY = "chatdesk";
/** Stop using a session webhook this long before DingTalk's stated expiry. */
const WEBHOOK_MARGIN_MS = 60_000;

type Target = { kind: "group" | "user"; id: string; chatId: string };

function targetOf(chatId: string): Target {
  const m = /^(group|user):(.+)$/.exec(chatId);
  if (!m) throw new PlatformError(`not a DingTalk chat id: ${chatId}`, false);
  return { kind: m[1] as Target["kind"], id: m[2]!, chatId };
}

/** Refs of robot messages carry their chat, so updateCard knows where to post the new state. */
const messageRef = (chatId: string, key: string) => `${chatId}#${key}`;
function parseMessageRef(ref: string): Target | undefined {
  const i = ref.lastIndexOf("#");
  if (i < 0 || !/^(group|user):/.test(ref)) return undefined;
  return targetOf(ref.slice(0, i));
}

/**
 * Only post to DingTalk hosts (or the configured API origin, for fakes): the webhook URL comes from a
 * callback body, which the robot signature does not cover (https://open.dingtalk.com/document/development/receive-message).
 */
function trustedWebhook(url: string, apiBase: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === "https:" && (u.hostname === "dingtalk.com" || u.hostname.endsWith(".dingtalk.com"))) || u.origin === new URL(apiBase).origin;
  } catch {
    return false;
  }
}

/** A text through a session webhook: an @ needs the id in `at.atUserIds` and `@id` in the text (https://open.dingtalk.com/document/development/robot-message-type). */
const webhookText = (text: string, ats: string[]) => ({
  msgtype: "text",
  text: { content: ats.length ? `${text} ${ats.map((id) => `@${id}`).join(" ")}` : text },
  at: { atUserIds: ats, isAtAll: false },
});

/** Sliding-window count per chat; refuses (with the wait) rather than queueing, so the outbox backs off. */
function chatLimiter(perMinute: number, now: () => number) {
  const sent = new Map<string, number[]>();
  return (chatId: string) => {
    const t = now();
    const recent = (sent.get(chatId) ?? []).filter((x) => t - x < 60_000);
    if (recent.length >= perMinute) {
      throw new PlatformError(`DingTalk rate limit: ${perMinute} messages/min to ${chatId}`, true, undefined, 60_000 - (t - recent[0]!));
    }
    recent.push(t);
    sent.set(chatId, recent);
    if (sent.size > 5_000) for (const [k, v] of sent) if (!v.some((x) => t - x < 60_000)) sent.delete(k);
  };
}

/** The app's shared token cache (token lifetimes are real time), unless the caller brought its own fetch (tests). */
function senderTokens(settings: DingTalkSettings, opts: DingTalkSenderOptions, api: ApiOptions): TokenProvider {
  if (!opts.fetch && !opts.timeoutMs) return appTokens(settings);
  return createTokenProvider({ apiBase: settings.apiBase, appKey: settings.clientId, appSecret: settings.clientSecret, fetch: api.fetch, timeoutMs: api.timeoutMs, now: opts.now });
}

/**
 * A user's display name: POST /topapi/v2/user/get (https://open.dingtalk.com/document/orgapp/query-user-details) with the app
 * token; needs the optional 成员信息读权限 (qyapi_get_member). A refusal (errcode ≠ 0) means "no name", not a failure.
 */
function userNameLookup(settings: DingTalkSettings, api: ApiOptions, tokens: TokenProvider): (userId: string) => Promise<string | undefined> {
  const oapi = settings.oapiBase ?? "https://oapi.dingtalk.com";
  return async (userId) => {
    const url = `${oapi}/topapi/v2/user/get?access_token=${encodeURIComponent(await tokens.get())}`;
    const r = await callApi<{ errcode?: number; result?: { name?: unknown } }>(api, "user/get", url, { method: "POST", body: { userid: userId, language: "zh_CN" } }).catch((e: unknown) => {
      if (e instanceof PlatformError && !e.retryable) return undefined;
      throw e;
    });
    return r?.errcode === 0 && typeof r.result?.name === "string" && r.result.name ? r.result.name : undefined;
  };
}

/** Call a token-authenticated API; a rejected token is dropped and the call tried once more. */
function authedCaller(api: ApiOptions, base: string, tokens: TokenProvider) {
  return async function authed<T>(what: string, method: string, path: string, body: unknown): Promise<T> {
    const call = async () => callApi<T>(api, what, `${base}${path}`, { method, body, headers: { "x-acs-dingtalk-access-token": await tokens.get() } });
    try {
      return await call();
    } catch (e) {
      if (!isAuthError(e)) throw e;
      tokens.invalidate();
      return call();
    }
  };
}

export function createDingTalkSender(settings: DingTalkSettings, opts: DingTalkSenderOptions = {}): ChatSender {
  const now = opts.now ?? Date.now;
  const api: ApiOptions = { fetch: opts.fetch ?? globalThis.fetch.bind(globalThis), timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  const tokens = opts.tokens ?? senderTokens(settings, opts, api);
  const limit = chatLimiter(opts.perChatPerMinute ?? 20, now);
  const base = settings.apiBase;

  const authed = authedCaller(api, base, tokens);

  const webhookUsable = (o?: SendOptions): string | undefined =>
    o?.sessionWebhook && o.sessionWebhookExpiresAt !== undefined && o.sessionWebhookExpiresAt - now() > WEBHOOK_MARGIN_MS && trustedWebhook(o.sessionWebhook, base)
      ? o.sessionWebhook
      : undefined;

  /** POST to the session webhook; a definite rejection (expired, bad body) falls back to the OpenAPI. */
  async function viaWebhook(url: string, body: unknown): Promise<boolean> {
    try {
      await callApi(api, "sessionWebhook", url, { method: "POST", body });
      return true;
    } catch (e) {
      if (e instanceof PlatformError && !e.retryable) return false;
      throw e;
    }
  }

  /** Robot message through the OpenAPI (https://open.dingtalk.com/document/development/the-robot-sends-a-group-message, https://open.dingtalk.com/document/development/chatbots-send-one-on-one-chat-messages-in-batches); returns the processQueryKey. */
  async function robotSend(t: Target, msgKey: string, msgParam: Record<string, string>): Promise<string> {
    if (t.kind === "group") {
      const r = await authed<{ processQueryKey?: string }>("groupMessages/send", "POST", "/v1.0/robot/groupMessages/send", {
        robotCode: settings.robotCode,
        openConversationId: t.id,
        msgKey,
        msgParam: JSON.stringify(msgParam),
      });
      return r.processQueryKey ?? "";
    }
    const r = await authed<{ processQueryKey?: string; invalidStaffIdList?: string[]; flowControlledStaffIdList?: string[] }>(
      "oToMessages/batchSend",
      "POST",
      "/v1.0/robot/oToMessages/batchSend",
      { robotCode: settings.robotCode, userIds: [t.id], msgKey, msgParam: JSON.stringify(msgParam) },
    );
    if (r.flowControlledStaffIdList?.includes(t.id)) throw new PlatformError(`DingTalk throttled 1:1 message to ${t.id}`, true, 200, 60_000);
    if (r.invalidStaffIdList?.includes(t.id)) throw new PlatformError(`DingTalk rejected user id ${t.id}`, false, 200);
    return r.processQueryKey ?? "";
  }

  async function sendRobotCard(t: Target, card: Card, o?: SendOptions): Promise<string> {
    const hook = webhookUsable(o);
    if (hook && (await viaWebhook(hook, renderRobotMessage(card, { viaWebhook: true }).webhook))) {
      return messageRef(t.chatId, `session-${crypto.randomUUID()}`);
    }
    const m = renderRobotMessage(card);
    return messageRef(t.chatId, await robotSend(t, m.msgKey, m.msgParam));
  }

  async function createAndDeliver(templateId: string, t: Target, card: Card, o?: SendOptions): Promise<string> {
    const outTrackId = `chatdesk-${crypto.randomUUID()}`;
    const atUserIds: Record<string, string> = {};
    for (const m of card.mentions ?? []) if (m.platform === "dingtalk") atUserIds[m.userId] = m.name ?? m.userId;
    for (const id of o?.mentions ?? []) atUserIds[id] ??= id;
    const space = { supportForward: false, lastMessageI18n: { ZH_CN: card.summary, EN_US: card.summary } };
    const stream = settings.mode === "stream";
    const body: Record<string, unknown> = {
      cardTemplateId: templateId,
      outTrackId,
      callbackType: stream ? "STREAM" : "HTTP",
      ...(stream ? {} : { callbackRouteKey: opts.callbackRouteKey ?? DEFAULT_CALLBACK_ROUTE_KEY }),
      cardData: { cardParamMap: renderTemplateData(card) },
      userIdType: 1,
      ...(t.kind === "group"
        ? {
            openSpaceId: `dtv1.card//IM_GROUP.${t.id}`,
            imGroupOpenSpaceModel: space,
            imGroupOpenDeliverModel: { robotCode: settings.robotCode, ...(Object.keys(atUserIds).length ? { atUserIds } : {}) },
          }
        : {
            openSpaceId: `dtv1.card//IM_ROBOT.${t.id}`,
            imRobotOpenSpaceModel: space,
            imRobotOpenDeliverModel: { spaceType: "IM_ROBOT", robotCode: settings.robotCode },
          }),
    };
    const r = await authed<{ result?: { deliverResults?: { success?: boolean; errorMsg?: string; spaceId?: string }[] } }>(
      "card createAndDeliver",
      "POST",
      "/v1.0/card/instances/createAndDeliver",
      body,
    );
    const failed = r.result?.deliverResults?.find((d) => d.success === false);
    if (failed) throw new PlatformError(`DingTalk card delivery to ${t.chatId} failed: ${failed.errorMsg ?? "unknown"}`, false, 200);
    return outTrackId;
  }

  return {
    platform: "dingtalk",
    userName: userNameLookup(settings, api, tokens),
    download: dingtalkDownload(api, authed, settings.robotCode),
    async sendCard(chatId, card, o) {
      const t = targetOf(chatId);
      limit(chatId);
      if (opts.cardTemplateId && !o?.readOnly) return { ref: await createAndDeliver(opts.cardTemplateId, t, card, o), updatable: true };
      return { ref: await sendRobotCard(t, card, o), updatable: false };
    },

    async updateCard(ref, card) {
      const t = parseMessageRef(ref);
      if (t) {
        // Robot messages cannot be edited (https://open.dingtalk.com/document/development/robot-message-type): post the new state where the old one went.
        limit(t.chatId);
        const m = renderRobotMessage(card);
        await robotSend(t, m.msgKey, m.msgParam);
        return;
      }
      await authed("card update", "PUT", "/v1.0/card/instances", {
        outTrackId: ref,
        cardData: { cardParamMap: renderTemplateData(card) },
        cardUpdateOptions: { updateCardDataByKey: true },
        userIdType: 1,
      });
    },

    async sendText(chatId, raw, o) {
      const [t, text] = [targetOf(chatId), dingtalkTextMessage(raw)]; // user words in the text must not ring anyone
      limit(chatId);
      const hook = webhookUsable(o);
      const ats = o?.mentions ?? [];
      if (hook && (await viaWebhook(hook, webhookText(text, ats)))) return { ref: messageRef(chatId, `session-${crypto.randomUUID()}`) };
      // The robot message API cannot @ ("暂不支持 @ 功能", https://open.dingtalk.com/document/development/robot-reply-and-send-messages):
      // the outbox tells the people this was meant to ping in a 1:1 message instead.
      const ref = messageRef(chatId, await robotSend(t, "sampleText", { content: text }));
      return t.kind === "group" && ats.length ? { ref, unmentioned: ats } : { ref };
    },
  };
}

/**
 * HTTP-mode card callbacks: register our URL once per app (https://open.dingtalk.com/document/development/register-card-callback-address). apiSecret is the app's
 * client secret, which is what routes.ts verifies x-ddpaas-signature with.
 */
export async function registerCardCallback(
  settings: DingTalkSettings,
  callbackUrl: string,
  opts: { fetch?: typeof fetch; timeoutMs?: number; tokens?: TokenProvider; callbackRouteKey?: string } = {},
): Promise<void> {
  const api: ApiOptions = { fetch: opts.fetch ?? globalThis.fetch.bind(globalThis), timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  const tokens =
    opts.tokens ?? (opts.fetch ? createTokenProvider({ apiBase: settings.apiBase, appKey: settings.clientId, appSecret: settings.clientSecret, fetch: api.fetch }) : appTokens(settings));
  await callApi(api, "card callbacks/register", `${settings.apiBase}/v1.0/card/callbacks/register`, {
    method: "POST",
    headers: { "x-acs-dingtalk-access-token": await tokens.get() },
    body: { callbackRouteKey: opts.callbackRouteKey ?? DEFAULT_CALLBACK_ROUTE_KEY, callbackUrl, apiSecret: settings.clientSecret, forceUpdate: true },
  });
}
