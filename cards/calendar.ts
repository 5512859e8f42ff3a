// The calendar in chat: the year at a glance (/calendar 2027), replies to edits (/holiday, /workday),
// and the managers' warning when official holiday data runs out. zh-CN by default, English second.
// Holiday names come from feeds and people: always text (cards/safe-text.ts), never markup.
import type { Block, Card } from "./model.js";
import { formatLocal, truncate } from "./format.js";
import { mdFmt, mdJoin, mdMarkup, type Md } from "./safe-text.js";
import { fmt } from "./i18n/index.js";
import type { Locale } from "../src/core/types.js";

const zh = {
  yearTitle: "{year} 年工作日历",
  provisionalYear: "⚠️ {year} 年尚无官方放假安排：下列节日按法定日期推算（**暂定**，无调休）。录入官方安排后发送 `/calendar {year} official`。",
  officialByHand: "{year} 年的安排为手动录入（已确认）。",
  through: "官方节假日数据截至 **{through}**。",
  noData: "未配置节假日数据（holidays: none，且无订阅源）。",
  month: "{m} 月",
  offRun: "{range} 休 {name}",
  workDay: "{date} 班 {name}",
  provisionalMark: "（暂定）",
  editedMark: "（手动）",
  nothing: "本年没有节假日或调休。",
  sources: "数据来源：{list}",
  source: { package: "{name} 包", feed: "订阅 {url}", config: "配置文件 {n} 天", edits: "手动修改 {n} 天" } as Record<string, string>,
  recent: "最近修改：{list}",
  editLine: "{at} {who} {what}",
  help: "修改：`/holiday 2027-02-06~2027-02-12 春节` 设为休息日 · `/workday 2027-02-14` 设为调休上班 · `/calendar reset 2027-02-14` 撤销修改 · `/calendar 2027 official` 确认全年安排",
  weekday: ["", "一", "二", "三", "四", "五", "六", "日"],
  action: { off: "设为休息日", work: "设为工作日", reset: "撤销修改", official: "确认全年安排", provisional: "取消确认" } as Record<string, string>,
  done: "已将 {range}（{days} 天）{action}{name}。",
  doneYear: "已{action}：{year} 年。",
  moved: "{n} 张未结工单的截止时间已按新日历重算。",
  noneMoved: "未结工单的截止时间无需调整。",
  refused: "只有主管或负责人可以修改日历（你{who}）。查看日历请发送 /calendar {year}。",
  notConfigured: "不是 ChatDesk 配置中的人员",
  hasRoles: "的角色：{roles}",
  noRole: "没有主管或负责人角色",
  badDates: "日期有误：{message}。格式：/holiday 2027-02-06~2027-02-12 名称 或 /workday 2027-02-14",
  warning:
    "【节假日数据即将用完】官方节假日数据只到 {through}（{left}）。{next} 年的工作时间目前按法定节日推算（暂定，不含调休），跨年工单的截止时间可能不准。请任选一种方式补上：\n" +
    "1. 订阅节假日源：在工作流配置的 calendar.feeds 中加入 {\"url\": \"https://cdn.jsdelivr.net/gh/NateScarlet/holiday-cn@master/{year}.json\", \"format\": \"json\"}\n" +
    "2. 手动录入：按国务院通知发送「/holiday 日期~日期 名称」「/workday 日期」，录完后发送「/calendar {next} official」{console}\n" +
    "3. 升级节假日包：「npm update chinese-days」后重新部署",
  consoleHint: "（也可在控制台日历页操作：{url}）",
  left: "还剩 {n} 天",
  today: "今天到期",
  past: "已过 {n} 天",
};

type CalendarTexts = typeof zh;

const en: CalendarTexts = {
  yearTitle: "Working calendar {year}",
  provisionalYear: "⚠️ No official arrangement for {year} yet: the holidays below are computed from the statutory dates (**provisional**, no make-up days). After entering the official one, send `/calendar {year} official`.",
  officialByHand: "{year} was entered by hand (confirmed).",
  through: "Official holiday data runs through **{through}**.",
  noData: "No holiday data configured (holidays: none, no feeds).",
  month: "Month {m}",
  offRun: "{range} off {name}",
  workDay: "{date} working day {name}",
  provisionalMark: " (provisional)",
  editedMark: " (edited)",
  nothing: "No holidays or make-up days this year.",
  sources: "Sources: {list}",
  source: { package: "package {name}", feed: "feed {url}", config: "workflow file, {n} days", edits: "edits, {n} days" },
  recent: "Recent edits: {list}",
  editLine: "{at} {who} {what}",
  help: "Edit: `/holiday 2027-02-06~2027-02-12 Spring Festival` days off · `/workday 2027-02-14` make-up working day · `/calendar reset 2027-02-14` undo · `/calendar 2027 official` confirm the year",
  weekday: ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
  action: { off: "made days off", work: "made working days", reset: "reset", official: "confirmed", provisional: "unconfirmed" },
  done: "{range} ({days} days) {action}{name}.",
  doneYear: "{action} {year}.",
  moved: "Deadlines of {n} open tickets were recomputed on the new calendar.",
  noneMoved: "No open ticket's deadline had to move.",
  refused: "Only leads and managers can change the calendar ({who}). To see it, send /calendar {year}.",
  notConfigured: "you are not a person in ChatDesk's configuration",
  hasRoles: "your roles: {roles}",
  noRole: "you are neither a lead nor a manager",
  badDates: "Bad dates: {message}. Use /holiday 2027-02-06~2027-02-12 name or /workday 2027-02-14",
  warning:
    "[Holiday data runs out] Official holiday data ends on {through} ({left}). Working time in {next} is computed from the statutory dates for now (provisional, no make-up days), so deadlines across the new year may be wrong. Fix it one of these ways:\n" +
    "1. Add a feed: in the workflow file's calendar.feeds add {\"url\": \"https://cdn.jsdelivr.net/gh/NateScarlet/holiday-cn@master/{year}.json\", \"format\": \"json\"}\n" +
    "2. Enter the year by hand: send /holiday from~to name and /workday date as the State Council's notice says, then /calendar {next} official{console}\n" +
    "3. Update the package: npm update chinese-days, then redeploy",
  consoleHint: " (or on the console's calendar page: {url})",
  left: "{n} days left",
  today: "ends today",
  past: "{n} days ago",
};

export const calendarTexts = (locale: Locale): CalendarTexts => (locale === "en" ? en : zh);

export interface CalendarDayView {
  date: string;
  working: boolean;
  name?: string;
  provisional?: boolean;
  edited?: boolean;
}

export interface CalendarYearView {
  year: number;
  /** Marked days of the year (holidays and make-up working days), in date order. */
  days: CalendarDayView[];
  provisional: boolean;
  officialByHand: boolean;
  through: string | null;
  sources: string[];
  recent: { at: Date; who: string; what: string }[];
}

const name24 = (s: string | undefined) => (s ? truncate(s, 24) : "");
const short = (date: string) => date.slice(5);

/** Consecutive days off with one name become one line ("02-05~02-11 休 春节"). */
function monthLines(t: CalendarTexts, days: CalendarDayView[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < days.length; ) {
    const d = days[i]!;
    const mark = `${d.provisional ? t.provisionalMark : ""}${d.edited ? t.editedMark : ""}`;
    if (d.working) {
      lines.push(`${fmt(t.workDay, { date: short(d.date), name: name24(d.name) }).trim()}${mark}`);
      i++;
      continue;
    }
    let j = i;
    const next = (k: number) => days[k + 1];
    while (next(j) && !next(j)!.working && next(j)!.name === d.name && !!next(j)!.provisional === !!d.provisional && Date.parse(next(j)!.date) - Date.parse(days[j]!.date) === 86_400_000) j++;
    const range = j > i ? `${short(d.date)}~${short(days[j]!.date)}` : short(d.date);
    lines.push(`${fmt(t.offRun, { range, name: name24(d.name) }).trim()}${mark}`);
    i = j + 1;
  }
  return lines;
}

export function calendarYearCard(v: CalendarYearView, o: { locale: Locale; timeZone: string }): Card {
  const t = calendarTexts(o.locale);
  const blocks: Block[] = [];
  if (v.provisional) blocks.push({ type: "markdown", text: mdFmt(t.provisionalYear, { year: v.year }) });
  else if (v.officialByHand) blocks.push({ type: "note", text: mdFmt(t.officialByHand, { year: v.year }) });
  const fields: { label: string; value: string }[] = [];
  for (let m = 1; m <= 12; m++) {
    const lines = monthLines(t, v.days.filter((d) => Number(d.date.slice(5, 7)) === m));
    if (lines.length) fields.push({ label: fmt(t.month, { m }), value: lines.join("\n") });
  }
  if (fields.length) blocks.push({ type: "fields", fields });
  else blocks.push({ type: "markdown", text: mdMarkup(t.nothing) });
  blocks.push({ type: "note", text: v.through ? mdFmt(t.through, { through: v.through }) : mdMarkup(t.noData) });
  if (v.sources.length) blocks.push({ type: "note", text: mdFmt(t.sources, { list: v.sources.map((x) => truncate(x, 120)).join(" · ") }) });
  if (v.recent.length) {
    const list: Md = mdJoin(v.recent.map((e) => mdFmt(t.editLine, { at: formatLocal(e.at, o.timeZone), who: name24(e.who), what: truncate(e.what, 60) })), "；");
    blocks.push({ type: "note", text: mdFmt(t.recent, { list }) });
  }
  blocks.push({ type: "note", text: mdMarkup(t.help) });
  const title = fmt(t.yearTitle, { year: v.year });
  return { header: { title, color: v.provisional ? "orange" : "blue" }, blocks, summary: title };
}

/** "2027-02-06~2027-02-12" or one date. */
export const rangeText = (from: string, to: string) => (from === to ? from : `${from}~${to}`);

export function warningText(o: { locale: Locale; through: string; daysLeft: number; consoleUrl?: string }): string {
  const t = calendarTexts(o.locale);
  const left = o.daysLeft > 0 ? fmt(t.left, { n: o.daysLeft }) : o.daysLeft === 0 ? t.today : fmt(t.past, { n: -o.daysLeft });
  const next = Number(o.through.slice(0, 4)) + 1;
  // {year} in the feed URL is literal: ChatDesk expands it itself.
  return fmt(t.warning, { through: o.through, left, next, console: o.consoleUrl ? fmt(t.consoleHint, { url: o.consoleUrl }) : "", year: "{year}" });
}
