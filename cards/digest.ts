// Digest cards for leads and managers: the daily brief (new, backlog, due today, overdue) and the
// period report (weekly, monthly, /stats): volume and trend, recurring problems, SLA, satisfaction,
// handler load. Figures arrive computed (src/scheduler/figures.ts); this only lays them out.
import type { Block, Card } from "./model.js";
import { formatMinutes } from "./duration.js";
import { formatLocal, truncate } from "./format.js";
import { md, mdFmt, mdJoin, mdLink, mdMarkup, type Md } from "./safe-text.js";
import { fmt, messages } from "./i18n/index.js";
import { colon, listSep, par } from "./punctuation.js";
import type { Locale } from "../src/core/types.js";

export interface DigestLine {
  number: string;
  title: string;
  deadline: "response" | "resolution";
  due: Date;
  handler?: string;
  url?: string;
}

export interface DailyDigestData {
  date: string;
  departments: string[];
  /** Start of the "new" window (the previous digest). */
  since: Date;
  newCount: number;
  backlog: { active: number; overdue: number; unassigned: number };
  dueToday: { total: number; rows: DigestLine[] };
  overdue: { total: number; rows: DigestLine[] };
  url?: string;
  /** Who is on duty today per department, and how many tickets wait on customers now. */
  duty?: { onDuty: { department: string; people: string[] }[]; waitingNow: number };
}

export interface CountWithTrend {
  label: string;
  count: number;
  previous: number;
}

export interface PeriodDigestData {
  kind: "weekly" | "monthly" | "stats";
  /** Local dates, inclusive. */
  from: string;
  to: string;
  departments?: string[];
  received: number;
  previousReceived: number;
  solved: number;
  /** solved / received, null when nothing was received. */
  resolutionRate: number | null;
  responseOnTime: { ok: number; due: number };
  resolutionOnTime: { ok: number; due: number };
  avgResponseMinutes: number | null;
  p90ResponseMinutes: number | null;
  avgResolutionMinutes: number | null;
  p90ResolutionMinutes: number | null;
  byCategory: CountWithTrend[];
  byDepartment: CountWithTrend[];
  byChannel: CountWithTrend[];
  topProblems: { label: string; count: number; example: string }[];
  /** 高频问题 by similar text: each group's most typical title, its count, the previous period's, an example. */
  recurring?: { title: string; count: number; previous: number; example: string }[];
  satisfaction: { average: number | null; ratings: number; distribution: number[]; unsatisfied: { number: string; score: number }[] };
  handlers: { name: string; received: number; solved: number; active: number; overdue: number; capacity?: number }[];
  /** Tickets solved in the period: average time waiting on customers vs time worked, in their SLA clocks. */
  waiting?: { avgWaiting: number | null; avgWorking: number | null; waitingNow: number };
  backlog: { active: number; overdue: number; unassigned: number };
  url?: string;
}

export interface DigestOptions {
  locale: Locale;
  timeZone: string;
}

export const percent = (ok: number, of: number): string => (of ? `${Math.round((ok / of) * 1000) / 10}%` : "—");


/** "+2", "-1", "±0". */
const delta = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `${n}` : "±0");

function change(now: number, before: number, locale: Locale): string {
  const m = messages(locale).digest;
  if (!before) return now ? m.previousNone : "±0";
  const pct = Math.round(((now - before) / before) * 1000) / 10;
  return fmt(m.change, { change: `${pct > 0 ? "+" : ""}${pct}%` });
}

const linkButton = (label: string, url: string): Block => ({ type: "actions", actions: [{ type: "button", label, url, value: { action: "open_console" } }] });

function lines(items: { total: number; rows: DigestLine[] }, o: DigestOptions): Md {
  const m = messages(o.locale);
  if (!items.total) return mdMarkup(m.digest.nothing);
  const out = items.rows.map((r) =>
    mdFmt(m.digest.dueLine, {
      number: r.url ? mdLink(r.number, r.url) : r.number,
      title: truncate(r.title, 30),
      deadline: r.deadline === "response" ? m.field.responseDue : m.field.resolutionDue,
      due: formatLocal(r.due, o.timeZone),
      handler: r.handler ?? m.unassigned,
    }),
  );
  if (items.total > items.rows.length) out.push(mdFmt(m.digest.more, { n: items.total - items.rows.length }));
  return mdJoin(out, "\n");
}

export function dailyDigestCard(d: DailyDigestData, o: DigestOptions): Card {
  const m = messages(o.locale);
  const g = m.digest;
  const title = fmt(g.dailyTitle, { date: d.date });
  const blocks: Block[] = [
    { type: "note", text: mdFmt(g.scope, { departments: d.departments.join(listSep(o.locale)) || g.allDepartments }) },
    {
      type: "fields",
      fields: [
        { label: fmt(g.newSince, { since: formatLocal(d.since, o.timeZone) }), value: String(d.newCount) },
        { label: g.backlog, value: fmt(g.backlogValue, d.backlog) },
        { label: g.dueToday, value: String(d.dueToday.total) },
        { label: g.overdueList, value: String(d.overdue.total) },
      ],
    },
    { type: "markdown", text: md`**${g.dueToday}**\n${lines(d.dueToday, o)}` },
    { type: "markdown", text: md`**${g.overdueList}**\n${lines(d.overdue, o)}` },
    ...dutyBlocks(d, o.locale),
  ];
  if (d.url) blocks.push(linkButton(g.openReport, d.url));
  return {
    header: { title, color: d.overdue.total ? "orange" : "blue" },
    blocks,
    summary: `${title}: ${g.backlog} ${d.backlog.active} · ${g.dueToday} ${d.dueToday.total} · ${g.overdueList} ${d.overdue.total}`,
  };
}

function trendLine(label: string, rows: CountWithTrend[], locale: Locale): Md {
  const g = messages(locale).digest;
  const body = rows.length ? mdJoin(rows.map((r) => md`${r.label} ${r.count}${par(locale, delta(r.count - r.previous))}`), " · ") : mdMarkup(g.nothing);
  return md`**${label}**\n${body}`;
}

/** 高频问题: by sub-category, then by similar text (named by the most typical title, with the change since last period). */
function problemsBlock(d: PeriodDigestData, locale: Locale): Block {
  const g = messages(locale).digest;
  const byCategory = d.topProblems.length ? mdJoin(d.topProblems.map((p, i) => mdFmt(g.problemLine, { rank: i + 1, label: p.label, count: p.count, number: p.example })), "\n") : mdMarkup(g.nothing);
  const text: Md[] = [md`**${g.topProblems}**`, byCategory];
  if (d.recurring) {
    const lines = d.recurring.map((p, i) => mdFmt(g.recurringLine, { rank: i + 1, title: truncate(p.title, 40), count: p.count, trend: par(locale, delta(p.count - p.previous)), number: p.example }));
    text.push(md`**${g.recurringTitle}**`, lines.length ? mdJoin(lines, "\n") : mdMarkup(g.nothing));
  }
  return { type: "markdown", text: mdJoin(text, "\n") };
}

export function periodDigestCard(d: PeriodDigestData, o: DigestOptions): Card {
  const m = messages(o.locale);
  const g = m.digest;
  const title =
    d.kind === "weekly" ? fmt(g.weeklyTitle, { from: d.from, to: d.to }) : d.kind === "monthly" ? fmt(g.monthlyTitle, { month: d.from.slice(0, 7) }) : fmt(g.statsTitle, { from: d.from, to: d.to });
  const min = (v: number | null) => formatMinutes(v, o.locale);
  const s = d.satisfaction;
  const dist = s.distribution.map((n, i) => `${i + 1}★ ${n}`).reverse().join(" · ");
  const blocks: Block[] = [
    { type: "note", text: mdFmt(g.scope, { departments: d.departments?.join(listSep(o.locale)) || g.allDepartments }) },
    {
      type: "fields",
      fields: [
        { label: g.received, value: `${d.received}${par(o.locale, change(d.received, d.previousReceived, o.locale))}` },
        { label: g.solved, value: String(d.solved) },
        { label: g.resolutionRate, value: d.resolutionRate === null ? "—" : percent(d.solved, d.received) },
        { label: g.backlog, value: fmt(g.backlogValue, d.backlog) },
        { label: g.responseOnTime, value: fmt(g.onTimeValue, { pct: percent(d.responseOnTime.ok, d.responseOnTime.due), ...d.responseOnTime }) },
        { label: g.resolutionOnTime, value: fmt(g.onTimeValue, { pct: percent(d.resolutionOnTime.ok, d.resolutionOnTime.due), ...d.resolutionOnTime }) },
        { label: g.responseTime, value: `${min(d.avgResponseMinutes)} / ${min(d.p90ResponseMinutes)}` },
        { label: g.resolutionTime, value: `${min(d.avgResolutionMinutes)} / ${min(d.p90ResolutionMinutes)}` },
      ],
    },
    { type: "markdown", text: mdJoin([trendLine(g.byCategory, d.byCategory, o.locale), trendLine(g.byDepartment, d.byDepartment, o.locale), trendLine(g.byChannel, d.byChannel, o.locale)], "\n") },
    problemsBlock(d, o.locale),
    {
      type: "markdown",
      text: mdJoin(
        [
          md`**${g.satisfaction}**`,
          s.ratings ? md`${fmt(g.satisfactionValue, { avg: (Math.round((s.average ?? 0) * 100) / 100).toFixed(2), n: s.ratings })} · ${dist}` : mdMarkup(g.satisfactionNone),
          ...(s.unsatisfied.length ? [md`${g.unsatisfied}${colon(o.locale)}${s.unsatisfied.map((u) => `${u.number}${par(o.locale, `${u.score}★`)}`).join(" · ")}`] : []),
        ],
        "\n",
      ),
    },
    {
      type: "markdown",
      text: md`**${g.handlers}**\n${d.handlers.length ? mdJoin(d.handlers.map((h) => handlerLine(h, o.locale)), "\n") : mdMarkup(g.nothing)}`,
    },
    ...waitingBlocks(d, o.locale),
  ];
  if (d.url) blocks.push(linkButton(g.openReport, d.url));
  return {
    header: { title, color: "indigo" },
    blocks,
    summary: `${title}: ${g.received} ${d.received} · ${g.resolutionRate} ${d.resolutionRate === null ? "—" : percent(d.solved, d.received)}`,
  };
}

/** "张三：新接 3 · 解决 2 · 在办 4 / 5 · 超时 0": the load against the capacity when one is set. */
function handlerLine(h: PeriodDigestData["handlers"][number], locale: Locale): Md {
  const g = messages(locale).digest;
  const { capacity: _capacity, ...rest } = h;
  return mdFmt(g.handlerLine, { ...rest, active: h.capacity ? `${h.active} / ${h.capacity}` : h.active });
}

/** The daily brief's "今日值班" and "等待客户反馈" lines. */
function dutyBlocks(d: DailyDigestData, locale: Locale): Block[] {
  if (!d.duty) return [];
  const g = messages(locale).digest;
  const rows = d.duty.onDuty.map((x) => md`${x.department}${colon(locale)}${x.people.join(listSep(locale)) || g.nobodyOnDuty}`);
  return [{ type: "markdown", text: md`**${g.onDuty}**\n${rows.length ? mdJoin(rows, "\n") : mdMarkup(g.nothing)}\n${mdFmt(g.waitingNow, { n: d.duty.waitingNow })}` }];
}

/** The period report's time waiting on customers apart from the time worked. */
function waitingBlocks(d: PeriodDigestData, locale: Locale): Block[] {
  if (!d.waiting) return [];
  const g = messages(locale).digest;
  const len = (v: number | null) => formatMinutes(v, locale, { days: false });
  return [{ type: "markdown", text: md`**${g.waitingVsWorking}**\n${mdFmt(g.waitingVsWorkingValue, { waiting: len(d.waiting.avgWaiting), working: len(d.waiting.avgWorking) })}\n${mdFmt(g.waitingNow, { n: d.waiting.waitingNow })}` }];
}
