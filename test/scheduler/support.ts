// Scheduler test rig: the real server (SQLite file, fake clock) with its real senders pointed at the
// fake Feishu / DingTalk servers, and readers for what those fakes received.
import { submitFeedback } from "../../src/app/tickets/submit.js";
import type { Actor } from "../../src/core/types.js";
import type { TicketRow } from "../../src/store/tickets.js";
import type { FakeDingTalk } from "../fakes/dingtalk-server.js";
import type { FakeFeishuServer } from "../fakes/feishu-server.js";
import { startTestServer, teamConfig, type TestServer, type TestServerOptions } from "../support/server.js";

export const reporter: Actor = { platform: "feishu", userId: "ou_reporter_1", name: "客服小刘" };
export const dingReporter: Actor = { platform: "dingtalk", userId: "dt_reporter_1", name: "客服小周" };

/** Shanghai wall-clock time → instant ("2025-10-09 09:00"). */
export const sh = (local: string) => new Date(`${local.replace(" ", "T")}:00+08:00`);

export interface Clock {
  now: Date;
  set(local: string): Date;
}

export function clock(start: string): Clock {
  const c = {
    now: sh(start),
    set(local: string) {
      c.now = sh(local);
      return c.now;
    },
  };
  return c;
}

/** Digests off, for tests about ticket follow-ups only. */
export const NO_DIGESTS = { schedule: { dailyDigest: "off", weeklyDigest: "off", monthlyDigest: "off" } };

export async function startRig(
  o: { clock: Clock; feishu?: FakeFeishuServer; dingtalk?: FakeDingTalk; config?: Record<string, unknown> } & Omit<TestServerOptions, "config" | "now">,
): Promise<TestServer> {
  const { clock: c, feishu, dingtalk, config, env, ...rest } = o;
  return startTestServer({
    ...rest,
    now: () => c.now,
    config: { ...teamConfig, ...(config ?? NO_DIGESTS) },
    env: {
      ...(feishu ? { FEISHU_APP_ID: "cli_sched", FEISHU_APP_SECRET: "sched-secret", FEISHU_DOMAIN: feishu.url } : {}),
      ...(dingtalk ? { DINGTALK_CLIENT_ID: "ding-app-key", DINGTALK_CLIENT_SECRET: "ding-app-secret", DINGTALK_API_BASE: dingtalk.url } : {}),
      ...(env ?? {}),
    },
  });
}

export function newTicket(
  s: TestServer,
  text: string,
  o: { priority?: string; category?: string; platform?: "feishu" | "dingtalk"; chatId?: string; messageId?: string; reporter?: Actor } = {},
): Promise<TicketRow> {
  const platform = o.platform ?? "feishu";
  return submitFeedback(s.ctx, {
    text,
    reporter: o.reporter ?? (platform === "feishu" ? reporter : dingReporter),
    platform,
    chatId: o.chatId ?? (platform === "feishu" ? "oc_group" : "group:cid_group"),
    messageId: o.messageId,
    form: { priority: o.priority, category: o.category ?? "bug" },
  });
}

export interface FeishuSent {
  /** "user:<open_id>", a chat id, or "reply:<message id>". */
  to: string;
  card?: Record<string, unknown>;
  text?: string;
  messageId?: string;
}

/** Messages the fake Feishu accepted (sends and replies), in order of arrival. */
export function feishuSent(fake: FakeFeishuServer): FeishuSent[] {
  const out: FeishuSent[] = [];
  for (const c of fake.calls) {
    // Only what the fake accepted: a faulted attempt (500, 429, hang) was not a delivery.
    if ("at" in c && c.status !== 200) continue;
    const body = (c.body ?? {}) as Record<string, unknown>;
    let to: string | undefined;
    if (c.method === "POST" && c.path === "/open-apis/im/v1/messages") to = c.query.receive_id_type === "open_id" ? `user:${String(body.receive_id)}` : String(body.receive_id);
    const reply = /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/.exec(c.path);
    if (c.method === "POST" && reply) to = `reply:${reply[1]}`;
    if (!to) continue;
    const content = c.content as Record<string, unknown> | undefined;
    out.push(body.msg_type === "interactive" ? { to, card: content } : { to, text: String((content as { text?: string } | undefined)?.text ?? "") });
  }
  return out;
}

/** Feishu card header title. */
export const titleOf = (card: Record<string, unknown> | undefined): string =>
  String(((card?.header as Record<string, unknown> | undefined)?.title as { content?: string } | undefined)?.content ?? "");

/** All markdown text of a Feishu card, for looking up figures; escaped characters as they show (&#126; → ~). */
export function cardText(card: Record<string, unknown> | undefined): string {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o.content === "string") out.push(o.content.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))));
      Object.values(o).forEach(visit);
    }
  };
  visit(card?.body);
  return out.join("\n");
}

/** Robot messages the fake DingTalk accepted: group sends and 1:1 batch sends. */
export function dingtalkSent(fake: FakeDingTalk): { to: string; msgKey: string; msgParam: Record<string, string> }[] {
  return fake.calls
    .filter((c) => c.method === "POST" && (c.path === "/v1.0/robot/groupMessages/send" || c.path === "/v1.0/robot/oToMessages/batchSend"))
    .filter((c) => typeof c.body?.msgParam === "string")
    .map((c) => ({
      to: c.path.endsWith("batchSend") ? `user:${String(c.body.userIds?.[0])}` : `group:${String(c.body.openConversationId)}`,
      msgKey: String(c.body.msgKey),
      msgParam: JSON.parse(c.body.msgParam) as Record<string, string>,
    }));
}
