// DingTalk WITH the card template, read as a person in the group reads it: every card the fake DingTalk
// received (createAndDeliver, then PUT updates of the same outTrackId) as its template variables resolve
// on screen, and every robot message with its @mentions as DingTalk draws them ("@userId" listed in
// atUserIds is shown as "@<the member's name>", https://open.dingtalk.com/document/development/robot-message-type).
import type { FakeCall, FakeDingTalk } from "../fakes/dingtalk-server.js";
import { SHEET_FORMS, ticketTemplateViolations } from "./dingtalk-card-rules.js";
import { dingtalkMarkdownVisible, dingtalkTextVisible } from "./visible-text.js";

/** A ticket card as it reads: header, tags, field label → value, the timeline lines (times dropped), what can be tapped. */
export interface CardReading {
  title: string;
  subtitle: string;
  tags: string[];
  fields: Record<string, string>;
  content: string;
  /** "张三 认领", newest first: the note's lines under its heading, without the "MM-DD hh:mm" stamp. */
  timeline: string[];
  buttons: string[];
  /** Form titles with their input labels: "标记已解决 [处理结果 *]". */
  forms: string[];
  /** The select's placeholder and the option it shows, "调整优先级: 紧急"; "" when hidden. */
  select: string;
  commands: string[];
}

const STAMP = /^\d{2}-\d{2} \d{2}:\d{2} /;

export function readTicketCard(d: Record<string, string>): CardReading {
  const [, ...timeline] = (d.note ?? "").split("\n");
  const options = JSON.parse(d.selectOptions || "[]") as { text: string }[];
  const btns: string[] = [];
  for (let n = 1; n <= 6; n++) if (d[`btn${n}Visible`] === "true") btns.push(d[`btn${n}Text`] ?? "");
  return {
    title: d.headerTitle ?? "",
    subtitle: d.headerSubtitle ?? "",
    tags: (JSON.parse(d.headerTags || "[]") as { text: string }[]).map((t) => t.text),
    fields: Object.fromEntries((JSON.parse(d.fields || "[]") as { label: string; value: string }[]).map((f) => [f.label, f.value])),
    content: dingtalkMarkdownVisible(d.content ?? ""),
    timeline: timeline.map((l) => l.replace(STAMP, "")),
    buttons: btns,
    forms: SHEET_FORMS.filter((f) => d[f.visible] === "true").map((f) => {
      const labels = f.inputs.filter((i) => d[i.visible] === "true").map((i) => d[`${i.param}Label`]);
      return `${d[`${f.map.replace(/Map$/, "")}Title`] ?? ""} [${labels.join(", ")}]`;
    }),
    select: d.selectVisible === "true" ? `${d.selectPlaceholder}: ${options[Number(d.selectIndex)]?.text ?? ""}` : "",
    commands: (d.commands ?? "").split("\n").filter(Boolean),
  };
}

/** Every text of a card reading, for "no id, no code anywhere" checks. */
export const readingTexts = (r: CardReading): string[] => [
  r.title, r.subtitle, ...r.tags, ...Object.entries(r.fields).map(([k, v]) => `${k}：${v}`), r.content, ...r.timeline, ...r.buttons, ...r.forms, r.select, ...r.commands,
];

/** One thing the fake DingTalk received, in arrival order. */
export type Seen =
  | { kind: "card"; how: "create" | "update"; ref: string; to: string; card: CardReading; raw: Record<string, string> }
  | { kind: "text"; to: string; text: string; at: string[] };

/**
 * What the group saw from call index `from` on. A session webhook's conversation is read from its name
 * (dingtalk-plain.ts sessionFor names them "<conversation>~n"); a card update goes to the group its create named.
 */
export function seenSince(fake: FakeDingTalk, from: number, nameOf: (userId: string) => string | undefined): Seen[] {
  const groups = new Map<string, string>();
  for (const c of fake.calls) {
    if (c.path === "/v1.0/card/instances/createAndDeliver" && c.status === 200) groups.set(c.body.outTrackId, String(c.body.openSpaceId).replace(/^dtv1\.card\/\/IM_GROUP\./, ""));
  }
  return fake.calls.slice(from).flatMap((c) => readOne(c, groups, nameOf) ?? []);
}

function readOne(c: FakeCall, groups: Map<string, string>, nameOf: (userId: string) => string | undefined): Seen | undefined {
  if (c.status !== 200) return undefined;
  const data = c.body?.cardData?.cardParamMap as Record<string, string> | undefined;
  if (data && (c.path === "/v1.0/card/instances/createAndDeliver" || (c.path === "/v1.0/card/instances" && c.method === "PUT"))) {
    const violations = ticketTemplateViolations(data);
    if (violations.length) throw new Error(`card ${c.body.outTrackId} breaks the template: ${violations.join("; ")}`);
    return { kind: "card", how: c.method === "PUT" ? "update" : "create", ref: c.body.outTrackId, to: groups.get(c.body.outTrackId) ?? "?", card: readTicketCard(data), raw: data };
  }
  if (c.path === "/robot/sendBySession") {
    const at: string[] = c.body.at?.atUserIds ?? [];
    const raw = String(c.body.text?.content ?? c.body.markdown?.text ?? "");
    return { kind: "text", to: String(c.query.session).replace(/~\d+$/, ""), text: dingtalkTextVisible(raw, at, nameOf), at };
  }
  if (c.path === "/v1.0/robot/groupMessages/send") {
    const p = JSON.parse(c.body.msgParam) as Record<string, string>;
    return { kind: "text", to: c.body.openConversationId, text: p.content ?? dingtalkMarkdownVisible(p.text ?? ""), at: [] };
  }
  return undefined;
}
