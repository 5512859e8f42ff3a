// The real server wired to a fake DingTalk on loopback, with the two ways DingTalk delivers events —
// HTTP callbacks or the Stream gateway — behind one interface, so the same scenarios run in both modes.
import { decodeActionValue } from "../../src/adapter/dingtalk/parse.js";
import { TOPIC_CARD, TOPIC_ROBOT } from "../../src/adapter/dingtalk/stream.js";
import type { Clock } from "../../src/core/types.js";
import { startFakeDingTalk, type FakeCall, type FakeDingTalk } from "../fakes/dingtalk-server.js";
import { conditionShowing, SHEET_FORMS, visibleWhen } from "./dingtalk-card-rules.js";
import { cardCallback, nextTimestamp, robotGroupText, signedCardRequest, signedRobotRequest, type RobotOverrides } from "./dingtalk-events.js";
import { startTestServer, teamConfig, type TestServer } from "./server.js";

export const DT = {
  appKey: "ding-app-key",
  appSecret: "ding-app-secret",
  robotCode: "ding-robot-code",
  templateId: "7d3f0c2a-chatdesk-ticket.schema",
  /** The open conversation id of the support group the tests talk in. */
  group: "cid_tech==",
} as const;

export type DingTalkMode = "http" | "stream";

/** People in the group: dingtalk ids from teamConfig, plus two who are not configured. */
export const who = {
  reporter: { id: "dt_cs_liu", nick: "客服小刘" },
  zhang: { id: "dt_zhang", nick: "张三" },
  li: { id: "dt_li", nick: "李四" },
  stranger: { id: "dt_stranger", nick: "路人" },
} as const;
export type Person = { id: string; nick: string };

/** What DingTalk would apply to the clicker's view (https://open.dingtalk.com/document/development/event-callback-card). */
export interface CallbackResponse {
  cardUpdateOptions?: Record<string, boolean>;
  cardData?: { cardParamMap: Record<string, string> };
  userPrivateData?: { cardParamMap: { notice: string; noticeKind: string; noticeVersion: string } };
}

export interface DingTalkRig {
  mode: DingTalkMode;
  server: TestServer;
  fake: FakeDingTalk;
  /** Deliver a robot message as this mode does; resolves once acknowledged and processed. */
  robot(body: unknown): Promise<void>;
  /** Deliver a card click as this mode does; resolves with the clicker's update once side effects ran. */
  click(body: unknown): Promise<CallbackResponse>;
  /** A group message @ the bot from `from`, replying through a session webhook on the fake. */
  message(text: string, from: Person, o?: RobotOverrides): Record<string, unknown>;
  /** The private data each person's clicks left on a card (outTrackId → userId → cardParamMap). */
  privateData: Map<string, Map<string, Record<string, string>>>;
  close(): Promise<void>;
}

export interface RigOptions {
  now?: Clock;
  /** Reuse a database directory (restart tests). */
  dir?: string;
  /** Reuse a running fake (restart tests); it is then left open on close. */
  fake?: FakeDingTalk;
  env?: Record<string, string>;
  /** Top-level keys replacing those of dingtalkConfig. */
  config?: Record<string, unknown>;
}

export { nextTimestamp } from "./dingtalk-events.js";

export function dingtalkEnv(mode: DingTalkMode, fake: FakeDingTalk): Record<string, string> {
  return {
    DINGTALK_CLIENT_ID: DT.appKey,
    DINGTALK_CLIENT_SECRET: DT.appSecret,
    DINGTALK_ROBOT_CODE: DT.robotCode,
    DINGTALK_API_BASE: fake.url,
    DINGTALK_OAPI_BASE: fake.url,
    DINGTALK_MODE: mode,
    ...(mode === "stream" ? { DINGTALK_STREAM_GATEWAY: fake.url } : {}),
  };
}

/** teamConfig with the card template id set, as a DingTalk deployment with interactive cards has it. */
export const dingtalkConfig = { ...teamConfig, dingtalk: { cardTemplateId: DT.templateId } };

export async function startDingTalkRig(mode: DingTalkMode, o: RigOptions = {}): Promise<DingTalkRig> {
  const fake = o.fake ?? (await startFakeDingTalk({ appKey: DT.appKey, appSecret: DT.appSecret, robotCode: DT.robotCode }));
  const connectionsBefore = fake.connections;
  const server = await startTestServer({
    config: { ...dingtalkConfig, ...(o.config ?? {}) },
    now: o.now,
    dir: o.dir,
    longConnections: mode === "stream",
    env: { ...dingtalkEnv(mode, fake), ...(o.env ?? {}) },
  });
  if (mode === "stream") await fake.waitForConnections(connectionsBefore + 1);
  await server.idle(); // startup recovery sweep

  const post = async (path: string, init: RequestInit) => {
    const res = await fetch(`${server.url}${path}`, init);
    const body = await res.json();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(body)}`);
    return body;
  };

  const rig: DingTalkRig = {
    mode,
    server,
    fake,
    async robot(body) {
      if (mode === "http") {
        const reply = await post("/webhooks/dingtalk/robot", await signedRobotRequest(body, DT.appSecret));
        if ((reply as { msgtype?: string }).msgtype !== "empty") throw new Error(`robot callback answered ${JSON.stringify(reply)}`);
      } else {
        const ack = await fake.waitForAck(fake.pushStream(TOPIC_ROBOT, body));
        if (ack.code !== 200) throw new Error(`robot frame ACKed with ${ack.code}`);
      }
      await server.idle();
    },
    async click(body) {
      let reply: CallbackResponse;
      if (mode === "http") reply = (await post("/webhooks/dingtalk/cards", await signedCardRequest(body, DT.appSecret, nextTimestamp()))) as CallbackResponse;
      else reply = (JSON.parse((await fake.waitForAck(fake.pushStream(TOPIC_CARD, body))).data) as { response: CallbackResponse }).response;
      await server.idle();
      // DingTalk keeps userPrivateData for the clicker, merged by key (updatePrivateDataByKey).
      const { outTrackId, userId } = (body ?? {}) as { outTrackId?: string; userId?: string };
      const priv = reply.userPrivateData?.cardParamMap;
      if (outTrackId && userId && priv) {
        const perUser = rig.privateData.get(outTrackId) ?? new Map<string, Record<string, string>>();
        perUser.set(userId, { ...(perUser.get(userId) ?? {}), ...priv });
        rig.privateData.set(outTrackId, perUser);
      }
      return reply;
    },
    privateData: new Map(),
    message: (text, from, extra) => groupMessage(fake, text, from, extra),
    async close() {
      await server.close();
      if (!o.fake) await fake.close();
    },
  };
  return rig;
}

/** A group message @ the bot from `from`, replying through a session webhook on the fake. */
export function groupMessage(fake: FakeDingTalk, text: string, from: Person, extra: RobotOverrides = {}): Record<string, unknown> {
  return robotGroupText({
    text,
    conversationId: DT.group,
    senderStaffId: from.id,
    senderNick: from.nick,
    robotCode: DT.robotCode,
    sessionWebhook: fake.sessionWebhookUrl(),
    ...extra,
  });
}

/* ------------------------- the card as the group sees it ------------------------- */

/** A delivered card: its outTrackId, the open conversation it is in, and its public data on the fake. */
export interface SentCard {
  ref: string;
  group: string;
  data: Record<string, string>;
}

/** The DingTalk card of a ticket as the group sees it now. */
export async function ticketCardOf(rig: DingTalkRig, ticketId: number): Promise<SentCard> {
  const refs = await rig.server.db.cardRef.findMany({ where: { ticketId, platform: "dingtalk" } });
  if (refs.length !== 1) throw new Error(`ticket ${ticketId} has ${refs.length} DingTalk cards`);
  const { ref, chatId } = refs[0]!;
  const data = rig.fake.cards.get(ref);
  if (!data) throw new Error(`the fake never received card ${ref}`);
  return { ref, group: (chatId ?? "").replace(/^group:/, ""), data };
}

/** Actions of the visible callback buttons, in slot order. */
export function buttonActions(data: Record<string, string>): string[] {
  const out: string[] = [];
  for (let n = 1; n <= 6; n++) if (data[`btn${n}Visible`] === "true") out.push(decodeActionValue(data[`btn${n}Value`])?.action ?? "?");
  return out;
}

/** The click DingTalk sends when `user` taps the visible button whose action is `action`. */
export function buttonClick(card: SentCard, action: string, user: Person): Record<string, unknown> {
  for (let n = 1; n <= 6; n++) {
    const value = card.data[`btn${n}Value`];
    if (card.data[`btn${n}Visible`] === "true" && decodeActionValue(value)?.action === action) {
      return cardCallback({ outTrackId: card.ref, userId: user.id, spaceId: card.group, actionId: `btn${n}`, params: { value } });
    }
  }
  throw new Error(`card ${card.ref} shows no "${action}" button (has ${buttonActions(card.data).join(", ")})`);
}

/** Actions of the visible forms, in slot order (the build sheet's form sections). */
export const formActions = (data: Record<string, string>): string[] =>
  SHEET_FORMS.filter((f) => data[f.visible] === "true").map((f) => decodeActionValue(data[f.value])?.action ?? "?");

/**
 * The click DingTalk sends when `user` fills the visible form whose submit does `action` (input
 * name → text) and taps its submit: the slot's value and map, plus the slots' texts.
 */
export function formSubmit(card: SentCard, action: string, inputs: Record<string, string>, user: Person): Record<string, unknown> {
  const f = SHEET_FORMS.find((x) => card.data[x.visible] === "true" && decodeActionValue(card.data[x.value])?.action === action);
  if (!f) throw new Error(`card ${card.ref} shows no "${action}" form (has ${formActions(card.data).join(", ") || "none"})`);
  const slots = JSON.parse(card.data[f.map]!) as Record<string, string>;
  const params: Record<string, string> = { value: card.data[f.value]!, form: card.data[f.map]! };
  for (const [slot, name] of Object.entries(slots)) if (inputs[name] !== undefined) params[slot] = inputs[name]!;
  return cardCallback({ outTrackId: card.ref, userId: user.id, spaceId: card.group, actionId: f.actionId, params });
}

/**
 * The card as `user` sees it: the public data, with that person's non-empty private values in
 * their place (how the template resolves a variable: private if set, else public).
 */
export function viewOf(rig: DingTalkRig, ref: string, user: Person): Record<string, string> {
  const view = { ...(rig.fake.cards.get(ref) ?? {}) };
  for (const [k, v] of Object.entries(rig.privateData.get(ref)?.get(user.id) ?? {})) if (v !== "") view[k] = v;
  return view;
}

/** The notice `user` sees under the buttons now, per the build sheet's condition; undefined when none. */
export function noticeSeenBy(rig: DingTalkRig, ref: string, user: Person): string | undefined {
  const view = viewOf(rig, ref, user);
  return visibleWhen(conditionShowing("notice"), view) ? view.notice : undefined;
}

/* ------------------------------ what the fake got ------------------------------ */

export const cardCreates = (fake: FakeDingTalk) => fake.callsTo("/v1.0/card/instances/createAndDeliver").filter((c) => c.status === 200);
export const cardUpdates = (fake: FakeDingTalk, ref: string) => fake.callsTo("/v1.0/card/instances").filter((c) => c.method === "PUT" && c.body?.outTrackId === ref);
export const webhookTexts = (fake: FakeDingTalk): FakeCall[] => fake.callsTo("/robot/sendBySession");
/** Group messages sent through the OpenAPI, with msgParam decoded. */
export const groupMessages = (fake: FakeDingTalk) =>
  fake.callsTo("/v1.0/robot/groupMessages/send").map((c) => ({ ...c.body, param: JSON.parse(c.body.msgParam) as Record<string, string> }));

/** Poll a condition without fixed sleeps. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
