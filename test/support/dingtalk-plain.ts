// DingTalk WITHOUT a card template (robot markdown mode), in both modes: every message the fake DingTalk
// received, read as the group reads it — which conversation, how it went (session webhook or OpenAPI),
// its text and whom it @-mentions — for a full ticket life driven by text commands.
import { expect } from "vitest";
import type { FakeCall, FakeDingTalk } from "../fakes/dingtalk-server.js";
import { robotMessageViolations, webhookBodyViolations } from "./dingtalk-card-rules.js";
import { who, type DingTalkRig, type Person } from "./dingtalk-rig.js";
import { dingtalkMarkdownVisible } from "./visible-text.js";

/** One message as it reached DingTalk. */
export interface Received {
  /** "session": the message's sessionWebhook; "group": groupMessages/send; "user": oToMessages/batchSend. */
  via: "session" | "group" | "user";
  /** The conversation: the group's open conversation id, or the user for 1:1 messages. */
  to: string;
  /** markdown / text / actionCard, or the OpenAPI msgKey. */
  kind: string;
  text: string;
  /** People DingTalk will notify with an @ (only the session webhook can). */
  at: string[];
}

/** Session webhooks on the fake are named `<conversation>~<n>`, so a reply says which conversation it went to. */
let sessions = 0;
export const sessionFor = (fake: FakeDingTalk, conversation: string) => fake.sessionWebhookUrl(`${conversation}~${++sessions}`);

function readCall(c: FakeCall): Received | undefined {
  if (c.status !== 200) return undefined;
  if (c.path === "/robot/sendBySession") {
    const b = c.body as Record<string, any>;
    expect(webhookBodyViolations(b)).toEqual([]);
    const text = b.msgtype === "text" ? b.text.content : b.msgtype === "markdown" ? b.markdown.text : b.actionCard?.text;
    return { via: "session", to: String(c.query.session).replace(/~\d+$/, ""), kind: b.msgtype, text, at: b.at?.atUserIds ?? [] };
  }
  if (c.path === "/v1.0/robot/groupMessages/send" || c.path === "/v1.0/robot/oToMessages/batchSend") {
    const b = c.body as Record<string, any>;
    const param = JSON.parse(b.msgParam) as Record<string, string>;
    expect(robotMessageViolations({ msgKey: b.msgKey, msgParam: param })).toEqual([]);
    const group = c.path.includes("group");
    return { via: group ? "group" : "user", to: group ? b.openConversationId : (b.userIds as string[]).join(","), kind: b.msgKey, text: param.content ?? param.text ?? "", at: [] };
  }
  return undefined;
}

/** Every message DingTalk received since call index `from`, in arrival order. */
export const receivedSince = (fake: FakeDingTalk, from: number): Received[] => fake.calls.slice(from).flatMap((c) => readCall(c) ?? []);

/** Run `step` and return what DingTalk received meanwhile (the rig waits for the outbox to go idle). */
export async function during(rig: DingTalkRig, step: () => Promise<unknown>): Promise<Received[]> {
  const from = rig.fake.calls.length;
  await step();
  await rig.server.idle();
  return receivedSince(rig.fake, from);
}

/** A text command (or feedback) @ the bot in `group`, from `from`, with its own session webhook. */
export function say(rig: DingTalkRig, group: string, from: Person, text: string): Promise<void> {
  return rig.robot(rig.message(text, from, { conversationId: group, sessionWebhook: sessionFor(rig.fake, group) }));
}

/** The posted ticket among what was received (its markdown starts with the ticket's heading). */
export const ticketPost = (got: Received[], number: string) => {
  const posts = got.filter((r) => r.kind !== "text" && r.kind !== "sampleText" && r.text.startsWith(`#### ${number} `));
  expect(posts, `exactly one ticket post of ${number} in ${JSON.stringify(got)}`).toHaveLength(1);
  return posts[0]!;
};

/** The commands a ticket post offers, e.g. ["/claim FB…", "/priority FB… <紧急|高|中|低>"]. */
export const commandsOffered = (post: Received): string[] =>
  dingtalkMarkdownVisible(post.text)
    .split("\n")
    .flatMap((l) => /^- [^：]+：(\/\S.*)$/.exec(l)?.[1] ?? [])
    .map((c) => c.trim());

/** The short texts (answers, notices) among what was received. */
export const shortTexts = (got: Received[]) => got.filter((r) => r.kind === "text" || r.kind === "sampleText");

/** The ticket a group's message created (exactly one). */
export async function ticketFrom(rig: DingTalkRig, group: string) {
  const rows = await rig.server.db.ticket.findMany({ where: { platform: "dingtalk", chatId: `group:${group}` }, orderBy: { id: "desc" } });
  expect(rows.length).toBeGreaterThan(0);
  return rows[0]!;
}

export const personOf: Record<string, Person> = { zhang: who.zhang, li: who.li };
