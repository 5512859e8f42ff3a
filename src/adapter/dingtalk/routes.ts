// HTTP-mode receivers, mounted by the app at /webhooks/dingtalk:
//   POST /robot — robot message callback (https://open.dingtalk.com/document/development/receive-message): verify sign, store, answer {"msgtype":"empty"}.
//   POST /cards — card callback (https://open.dingtalk.com/document/development/event-callback-card): verify x-ddpaas-signature,
//                 refuse a signature seen before, answer within 2 s with the clicker's card data.
import { Hono } from "hono";
import type { DingTalkSettings } from "../../config/env.js";
import { isChatDeskError } from "../../core/errors.js";
import type { InboundMessage } from "../../platform/inbound.js";
import type { CardActionReply, EventSink } from "../../platform/sink.js";
import { parseCardCallback, parseRobotMessage } from "./parse.js";
import { renderCallbackResponse } from "./render-card.js";
import { CARD_SIGN_WINDOW_MS, SIGN_WINDOW_MS, verifyCardCallback, verifyRobotCallback, type SignedPair } from "./sign.js";

/** Same shape as the Feishu adapter's: one record per call, with `level` and `msg`. */
export type Log = (obj: Record<string, unknown>) => void;

export const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The card callback must be answered within 2 s (https://open.dingtalk.com/document/development/event-callback-card); leave room for the network. */
export const CARD_REPLY_BUDGET_MS = 1_500;

const EMPTY_REPLY = { msgtype: "empty" } as const;

/**
 * Ask the sink for the clicker's reply, but never later than the budget: a late reply gets an
 * "in progress" notice, and the app's own card update (PUT) brings the final state.
 */
export async function cardReplyWithin(sink: EventSink, ev: Parameters<EventSink["cardAction"]>[0], budgetMs: number, log: Log): Promise<CardActionReply> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<CardActionReply>((resolve) => {
    timer = setTimeout(() => resolve({ toast: { kind: "info", text: "处理中，请稍候… / Working on it…" } }), budgetMs);
  });
  const work = sink.cardAction(ev).catch((e: unknown): CardActionReply => {
    log({ level: "error", msg: "dingtalk card action failed", error: errText(e), cardRef: ev.cardRef });
    return { toast: { kind: "error", text: "操作失败，请稍后重试 / Action failed, try again" } };
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Remembers accepted signatures across processes and instances (src/store/used-signatures.ts): true the
 * first time `key` is seen, false on any reuse until `expiresAt`.
 */
export type SignatureLedger = (key: string, expiresAt: Date, now: Date) => Promise<boolean>;

export interface DingTalkRouteOptions {
  /** Card and robot callbacks: a captured (timestamp, signature) pair would otherwise authorise any body. */
  replay: SignatureLedger;
  /** Robot callbacks: whether this message was stored already (a redelivery, which the sink dedupes). */
  knownMessage: (ev: InboundMessage) => Promise<boolean>;
}

/**
 * The robot signature covers only its timestamp: a pair is good for one message. Its second use is a
 * redelivery of that message (stored already, deduplicated) or a forged body, which is refused. Two
 * genuine messages signed in the same millisecond would collide too; docs/security.md says so.
 */
async function robotPairFits(opts: DingTalkRouteOptions, signed: SignedPair, ev: InboundMessage, now: number): Promise<boolean> {
  const key = `dingtalk-robot:${signed.timestamp}:${signed.signature}`;
  if (await opts.replay(key, new Date(now + 2 * SIGN_WINDOW_MS), new Date(now))) return true;
  return opts.knownMessage(ev);
}

export function dingtalkRoutes(settings: DingTalkSettings, sink: EventSink, log: Log, opts: DingTalkRouteOptions): Hono {
  const app = new Hono();

  app.post("/robot", async (c) => {
    const now = Date.now();
    let signed: SignedPair;
    try {
      signed = await verifyRobotCallback({ timestamp: c.req.header("timestamp"), sign: c.req.header("sign") }, settings.clientSecret, now);
    } catch (e) {
      if (!isChatDeskError(e)) throw e;
      log({ level: "warn", msg: "dingtalk robot callback rejected", code: e.code, reason: e.message });
      return c.json({ error: e.code }, 401);
    }
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return c.json({ error: "PAYLOAD_INVALID" }, 400);
    }
    const parsed = parseRobotMessage(body);
    if ("ignored" in parsed) {
      log({ level: "debug", msg: "dingtalk robot callback ignored", reason: parsed.ignored });
      return c.json(EMPTY_REPLY);
    }
    if (!(await robotPairFits(opts, signed, parsed.event, now))) {
      log({ level: "warn", msg: "dingtalk robot callback rejected", code: "SIGNATURE_REPLAYED", reason: "this timestamp and signature came with another message" });
      return c.json({ error: "SIGNATURE_REPLAYED" }, 401);
    }
    // Stored before we answer; a failure answers 500 so nothing is silently lost.
    await sink.accept(parsed.event);
    return c.json(EMPTY_REPLY);
  });

  app.post("/cards", async (c) => {
    const timestamp = c.req.header("x-ddpaas-signature-timestamp");
    const now = Date.now();
    let signed: SignedPair;
    try {
      // registerCardCallback registers the app secret as the callback's apiSecret.
      signed = await verifyCardCallback({ timestamp, signature: c.req.header("x-ddpaas-signature") }, settings.clientSecret, now);
    } catch (e) {
      if (!isChatDeskError(e)) throw e;
      log({ level: "warn", msg: "dingtalk card callback rejected", code: e.code, reason: e.message });
      return c.json({ error: e.code }, 401);
    }
    // Kept past the window on both sides of now, so the pair is remembered for as long as it could pass.
    if (!(await opts.replay(`dingtalk-card:${signed.timestamp}:${signed.signature}`, new Date(now + 2 * CARD_SIGN_WINDOW_MS), new Date(now)))) {
      log({ level: "warn", msg: "dingtalk card callback rejected", code: "SIGNATURE_REPLAYED", reason: "this timestamp and signature were used before" });
      return c.json({ error: "SIGNATURE_REPLAYED" }, 401);
    }
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return c.json({ error: "PAYLOAD_INVALID" }, 400);
    }
    const parsed = parseCardCallback(body, timestamp);
    if ("ignored" in parsed) {
      log({ level: "debug", msg: "dingtalk card callback ignored", reason: parsed.ignored });
      return c.json({});
    }
    const reply = await cardReplyWithin(sink, parsed.event, CARD_REPLY_BUDGET_MS, log);
    return c.json(renderCallbackResponse(reply, parsed.event.value));
  });

  return app;
}
