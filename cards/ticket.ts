// The ticket card: status colour, fields, masked contact, deadlines with an overdue marker,
// timeline excerpt, and the buttons that fit the ticket's status (and the viewer's role, when known).
import type { Action, Block, Button, Card, CardColor } from "./model.js";
import { formatLocal, truncate } from "./format.js";
import { md, mdFmt, mdJoin, mdPlain, type Md } from "./safe-text.js";
import { formatMinutes } from "./duration.js";
import { fmt, messages } from "./i18n/index.js";
import { colon, par } from "./punctuation.js";
import type { Locale, Priority, Role, Status } from "../src/core/types.js";
import { can, type TicketAction } from "../src/core/state-machine.js";
import { maskContact } from "../src/core/mask.js";

export interface TicketCardInput {
  number: string;
  title: string;
  description: string;
  status: Status;
  priority: Priority;
  categoryLabel: string;
  departmentLabel: string;
  handlerLabel?: string | null;
  reporterLabel: string;
  /** Who wrote the message the ticket was made from, when not the reporter (reaction, thread root, quote). */
  authorLabel?: string | null;
  customerName?: string | null;
  customerId?: string | null;
  customerTier: string;
  customerContact?: string | null;
  channel?: string | null;
  product?: string | null;
  expectedDate?: string | null;
  receivedAt: Date;
  responseDueAt: Date;
  resolutionDueAt: Date;
  firstResponseAt?: Date | null;
  resolvedAt?: Date | null;
  plan?: string | null;
  result?: string | null;
  satisfaction?: number | null;
  /** Set while work is blocked (受阻): why, who marked it, since when. */
  blocked?: { reason: string; by: string; at: Date } | null;
  /** Set while the clocks stand still (待客户反馈 / 待第三方); minutes paused so far in the SLA clock. */
  waiting?: { on: string; reason: string; by: string; at: Date; minutes: number } | null;
  /** Time paused in all (finished stretches and the open one), in the SLA clock. */
  pausedMinutes?: number;
  /** The SLA clock counts working time (paused lengths are shown without 24-hour days). */
  workingClock?: boolean;
  attachmentCount: number;
  /** How many of them are images ("附件：2 个（1 张图片）"). */
  imageCount?: number;
  /** 1 + the tickets merged into this one (each a vote for the same problem). */
  reportCount?: number;
  /** Intake's suggestion: this ticket looks like that one (shown with 合并到 / 不是重复 while active). */
  duplicate?: { number: string; title: string; status: Status };
  /** Set once merged: the ticket it joined. */
  mergedInto?: { number: string; title: string; status: Status };
  version: number;
  timeline: { at: Date; actor: string; kind: string; text?: string }[];
  /** Full contact shown only when the viewer may see it (handlers). */
  showFullContact?: boolean;
  consoleUrl?: string;
  mentions?: { platform: "feishu" | "dingtalk"; userId: string; name?: string }[];
}

const STATUS_COLOR: Record<Status, CardColor> = {
  open: "orange",
  in_progress: "blue",
  resolved: "turquoise",
  closed: "green",
  rejected: "grey",
  merged: "grey",
};
const PRIORITY_COLOR: Record<Priority, CardColor> = { urgent: "red", high: "orange", medium: "blue", low: "grey" };

export interface TicketCardOptions {
  now: Date;
  timeZone: string;
  locale: Locale;
  /** Roles of the person the card is for; omitted for a group card (all status actions shown). */
  viewerRoles?: ReadonlySet<Role>;
}

const ALL_ROLES: ReadonlySet<Role> = new Set<Role>(["reporter", "handler", "lead", "manager"]);

export function ticketCard(t: TicketCardInput, o: TicketCardOptions): Card {
  const m = messages(o.locale);
  const responseOverdue = !t.firstResponseAt && o.now > t.responseDueAt && (t.status === "open" || t.status === "in_progress");
  const resolutionOverdue = !t.resolvedAt && o.now > t.resolutionDueAt && (t.status === "open" || t.status === "in_progress");
  const overdue = responseOverdue || resolutionOverdue;
  const tz = o.timeZone;
  const roles = o.viewerRoles ?? ALL_ROLES;
  const allow = (a: TicketAction) => can(t.status, a, roles);
  const val = (action: string, extra: Record<string, string> = {}) => ({ action, ticket: t.number, v: String(t.version), ...extra });

  const due = (d: Date, late: boolean, met: Date | null | undefined): Md =>
    met ? md`${formatLocal(d, tz)} ✓` : late ? md`${formatLocal(d, tz)} **${m.overdue}**` : md`${formatLocal(d, tz)}`;
  const customer = [t.customerName, t.customerId && `(${t.customerId})`, t.customerTier !== "normal" && (m.tier as Record<string, string>)[t.customerTier]]
    .filter(Boolean)
    .join(" ");
  const contact = t.customerContact ? (t.showFullContact ? t.customerContact : maskContact(t.customerContact)) : "";

  const fields: { label: string; value: string | Md }[] = [
    { label: m.field.number, value: t.number },
    { label: m.field.category, value: t.categoryLabel },
    { label: m.field.priority, value: m.priority[t.priority] },
    { label: m.field.department, value: t.departmentLabel },
    { label: m.field.handler, value: t.handlerLabel || m.unassigned },
    { label: m.field.reporter, value: t.authorLabel ? `${t.reporterLabel}${par(o.locale, `${m.field.author}${colon(o.locale)}${t.authorLabel}`)}` : t.reporterLabel },
  ];
  if (customer) fields.push({ label: m.field.customer, value: customer });
  if (contact) fields.push({ label: m.field.contact, value: contact });
  if (t.product) fields.push({ label: m.field.product, value: t.product });
  if (t.channel) fields.push({ label: m.field.channel, value: (m.channel as Record<string, string>)[t.channel] ?? t.channel });
  if (t.expectedDate) fields.push({ label: m.field.expected, value: t.expectedDate });
  fields.push(
    { label: m.field.receivedAt, value: formatLocal(t.receivedAt, tz) },
    { label: m.field.responseDue, value: due(t.responseDueAt, responseOverdue, t.firstResponseAt) },
    { label: m.field.resolutionDue, value: due(t.resolutionDueAt, resolutionOverdue, t.resolvedAt) },
  );
  fields.push(...tailFields(t, o.locale));

  const blocks: Block[] = [];
  if (t.mentions?.length) blocks.push({ type: "markdown", text: md`` }); // renderer fills the @mentions here
  blocks.push({ type: "fields", fields });
  blocks.push(...flagBlocks(t, o.timeZone, o.locale), ...duplicateBlocks(t, allow, val, o.locale)); // blocked / waiting, duplicate or merge
  blocks.push({ type: "markdown", text: md`**${m.field.description}**\n${truncate(t.description, 600)}` });
  if (t.attachmentCount) blocks.push({ type: "note", text: md`${attachmentLine(t.attachmentCount, t.imageCount ?? 0, o.locale)}` });
  if (t.plan) blocks.push({ type: "markdown", text: md`**${m.field.plan}**\n${truncate(t.plan, 400)}` });
  if (t.result) blocks.push({ type: "markdown", text: md`**${m.field.result}**\n${truncate(t.result, 400)}` });
  if (t.timeline.length) {
    const lines = t.timeline.slice(0, 3).map((e) => md`${formatLocal(e.at, tz)} ${e.actor} ${m.event[e.kind] ?? e.kind}${e.text ? md`：${truncate(e.text, 80)}` : ""}`);
    blocks.push({ type: "note", text: md`${m.field.timeline}\n${mdJoin(lines, "\n")}` });
  }

  blocks.push(...actionBlocks(t, allow, val, o.locale));
  // A link, not a callback: it opens the ticket's console page (signed in through the platform's 免登).
  if (t.consoleUrl) blocks.push({ type: "actions", actions: [{ type: "button", label: m.action.open_console, url: t.consoleUrl, value: { action: "open_console" } }] });

  const statusText = m.status[t.status];
  return {
    header: {
      title: `${t.number} ${truncate(t.title, 40)}`,
      subtitle: `${statusText} · ${t.categoryLabel} · ${t.departmentLabel}`,
      color: overdue ? "red" : STATUS_COLOR[t.status],
      tags: [
        { text: statusText, color: STATUS_COLOR[t.status] },
        { text: m.priority[t.priority], color: PRIORITY_COLOR[t.priority] },
        ...(overdue ? [{ text: m.overdue, color: "red" as CardColor }] : []),
        ...flagTags(t, o.locale),
      ],
    },
    blocks,
    mentions: t.mentions, locale: o.locale,
    summary: `[${statusText}] ${t.number} ${truncate(t.title, 60)}`,
    data: {
      number: t.number,
      title: t.title,
      status: t.status,
      statusText,
      priority: t.priority,
      priorityText: m.priority[t.priority],
      category: t.categoryLabel,
      department: t.departmentLabel,
      handler: t.handlerLabel || m.unassigned,
      reporter: t.reporterLabel,
      customer,
      contact,
      receivedAt: formatLocal(t.receivedAt, tz),
      responseDue: mdPlain(due(t.responseDueAt, responseOverdue, t.firstResponseAt)),
      resolutionDue: mdPlain(due(t.resolutionDueAt, resolutionOverdue, t.resolvedAt)),
      overdue: overdue ? "true" : "false",
      description: truncate(t.description, 600),
      plan: t.plan ?? "",
      result: t.result ?? "",
      satisfaction: t.satisfaction ? String(t.satisfaction) : "",
      version: String(t.version),
    },
  };
}

/** Votes (reports merged in) and the satisfaction, after the deadlines. */
function tailFields(t: TicketCardInput, locale: Locale): { label: string; value: string }[] {
  const m = messages(locale);
  const out: { label: string; value: string }[] = [];
  if (t.reportCount && t.reportCount > 1) out.push({ label: m.field.reports, value: String(t.reportCount) });
  if (t.satisfaction) out.push({ label: m.field.satisfaction, value: `${"★".repeat(t.satisfaction)}${"☆".repeat(5 - t.satisfaction)} ${(m.satisfaction as Record<number, string>)[t.satisfaction]}` });
  return out;
}

/** "可能与 FB… 重复" with 合并到 / 不是重复 (the reporter or a lead decides), or where a merged ticket went. */
function duplicateBlocks(
  t: TicketCardInput,
  allow: (a: TicketAction) => boolean,
  val: (action: string, extra?: Record<string, string>) => Record<string, string>,
  locale: Locale,
): Block[] {
  const m = messages(locale);
  if (t.status === "merged" && t.mergedInto) {
    return [{ type: "markdown", text: md`🔗 ${mdFmt(m.card.mergedInto, { number: t.mergedInto.number, title: truncate(t.mergedInto.title, 60) })}` }];
  }
  if (!t.duplicate || !allow("not_duplicate")) return [];
  const d = t.duplicate;
  const line = mdFmt(m.card.possibleDuplicate, { number: d.number, title: truncate(d.title, 60), status: m.status[d.status] });
  return [
    { type: "markdown", text: md`⚠️ ${line}` },
    {
      type: "actions",
      actions: [
        { type: "button", label: fmt(m.card.mergeInto, { number: d.number }), style: "primary", value: val("merge", { into: d.number }) as Button["value"] },
        { type: "button", label: m.action.not_duplicate, style: "default", value: val("not_duplicate") as Button["value"] },
      ],
    },
  ];
}

function actionBlocks(
  t: TicketCardInput,
  allow: (a: TicketAction) => boolean,
  val: (action: string, extra?: Record<string, string>) => Record<string, string>,
  locale: Locale,
): Block[] {
  const m = messages(locale);
  const out: Block[] = [];
  const btn = (a: TicketAction | "confirm", style: Button["style"] = "default", confirm?: Button["confirm"]): Button => ({
    type: "button",
    label: m.action[a],
    style,
    value: val(a) as Button["value"],
    ...(confirm ? { confirm } : {}),
  });

  const row: Action[] = [];
  if (allow("claim")) row.push(btn("claim", "primary"));
  if (allow("priority"))
    row.push({
      type: "select",
      placeholder: m.form.priorityPlaceholder,
      initial: t.priority,
      options: (["urgent", "high", "medium", "low"] as const).map((p) => ({ label: m.priority[p], value: p })),
      value: val("priority") as Button["value"],
    });
  if (allow("reassign")) row.push({ type: "person_select", placeholder: m.form.reassignPlaceholder, value: val("reassign") as Button["value"] });
  if (t.blocked && allow("unblock")) row.push(btn("unblock", "primary"));
  if (t.waiting && allow("resume")) row.push(btn("resume", "primary"));
  if (allow("reject")) row.push(btn("reject", "danger", { title: m.action.reject, text: `${t.number} → ${m.status.rejected}` }));
  if (row.length) out.push({ type: "actions", actions: row });

  if (allow("progress") && t.status === "in_progress") {
    out.push({
      type: "form",
      name: "progress_form",
      inputs: [{ type: "text", name: "text", label: m.form.progressLabel, placeholder: m.form.progressPlaceholder, required: true, multiline: true, maxLength: 1000 }],
      submit: btn("progress", "primary"),
    });
  }
  if (allow("resolve") && t.status === "in_progress") {
    out.push({
      type: "form",
      name: "resolve_form",
      inputs: [{ type: "text", name: "result", label: m.form.resultLabel, placeholder: m.form.resultPlaceholder, required: true, multiline: true, maxLength: 1000 }],
      submit: btn("resolve", "primary"),
    });
  }
  out.push(...flagForms(t, allow, btn, locale));
  if (allow("confirm")) {
    out.push({
      type: "form",
      name: "confirm_form",
      inputs: [
        {
          type: "select",
          name: "score",
          label: m.form.ratingLabel,
          required: true,
          options: [5, 4, 3, 2, 1].map((s) => ({ label: `${s} ${(m.satisfaction as Record<number, string>)[s]}`, value: String(s) })),
        },
        { type: "text", name: "comment", label: m.form.commentLabel, placeholder: m.form.commentPlaceholder, maxLength: 500 },
      ],
      submit: btn("confirm", "primary"),
    });
  }
  if (allow("reopen")) {
    out.push({
      type: "form",
      name: "reopen_form",
      inputs: [{ type: "text", name: "reason", label: m.form.reasonLabel, placeholder: m.form.reasonPlaceholder, maxLength: 500 }],
      submit: btn("reopen", "danger"),
    });
  }
  if (t.status === "closed" && !t.satisfaction && allow("rate")) {
    out.push({
      type: "actions",
      actions: [
        {
          type: "select",
          placeholder: m.form.ratingPlaceholder,
          options: [5, 4, 3, 2, 1].map((s) => ({ label: `${s} ${(m.satisfaction as Record<number, string>)[s]}`, value: String(s) })),
          value: val("rate") as Button["value"],
        },
      ],
    });
  }
  // Feishu forms must contain only their own fields; text equivalents help DingTalk's fallback too.
  void fmt;
  return out;
}

/** "待客户反馈 · 已暂停 3 小时：原因（张三，12-03 10:00 起…）"; the reason and name are user text, escaped. */
function waitingLine(t: TicketCardInput, w: NonNullable<TicketCardInput["waiting"]>, tz: string, locale: Locale): Md {
  const m = messages(locale);
  return mdFmt(m.waitingLine, {
    on: m.waiting[w.on] ?? w.on,
    paused: formatMinutes(w.minutes, locale, { days: !t.workingClock }),
    reason: truncate(w.reason, 200),
    by: w.by,
    at: formatLocal(w.at, tz),
  });
}

/** The 受阻 and waiting markers on the card, and the time paused in all once the clock runs again. */
function flagBlocks(t: TicketCardInput, tz: string, locale: Locale): Block[] {
  const m = messages(locale);
  const out: Block[] = [];
  if (t.blocked) out.push({ type: "markdown", text: md`🚧 ${mdFmt(m.blockedLine, { reason: truncate(t.blocked.reason, 200), by: t.blocked.by, at: formatLocal(t.blocked.at, tz) })}` });
  if (t.waiting) out.push({ type: "markdown", text: md`⏸ ${waitingLine(t, t.waiting, tz, locale)}` });
  else if (t.pausedMinutes) out.push({ type: "note", text: mdFmt(m.pausedTotal, { paused: formatMinutes(t.pausedMinutes, locale, { days: !t.workingClock }) }) });
  return out;
}

function flagTags(t: TicketCardInput, locale: Locale): { text: string; color: CardColor }[] {
  const m = messages(locale);
  return [...(t.blocked ? [{ text: m.blocked, color: "violet" as CardColor }] : []), ...(t.waiting ? [{ text: m.waiting[t.waiting.on] ?? t.waiting.on, color: "yellow" as CardColor }] : [])];
}

/** 标记受阻 (reason) and 暂停计时 (who + reason) while the flag is off; input names are unique on a Feishu card. */
function flagForms(t: TicketCardInput, allow: (a: TicketAction) => boolean, btn: (a: TicketAction, style?: Button["style"]) => Button, locale: Locale): Block[] {
  const m = messages(locale);
  const out: Block[] = [];
  if (!t.blocked && allow("block")) {
    out.push({
      type: "form",
      name: "block_form",
      inputs: [{ type: "text", name: "reason", label: m.form.blockedLabel, placeholder: m.form.blockedPlaceholder, required: true, maxLength: 500 }],
      submit: btn("block", "danger"),
    });
  }
  if (!t.waiting && allow("wait") && t.status === "in_progress") {
    out.push({
      type: "form",
      name: "wait_form",
      inputs: [
        { type: "select", name: "waiting_on", label: m.form.waitingOnLabel, required: true, options: (["customer", "third_party"] as const).map((w) => ({ label: m.waiting[w]!, value: w })) },
        { type: "text", name: "waiting_reason", label: m.form.waitingLabel, placeholder: m.form.waitingPlaceholder, required: true, maxLength: 500 },
      ],
      submit: btn("wait"),
    });
  }
  return out;
}

/** "附件：2 个（1 张图片）" / "Attachments: 2 (1 image)"; the image part only when there are images. */
export function attachmentLine(count: number, images: number, locale: Locale): string {
  const a = messages(locale).attachment;
  const pics = images === 1 ? a.imagesOne : images > 1 ? fmt(a.images, { images }) : "";
  return fmt(a.count, { count }) + pics;
}
