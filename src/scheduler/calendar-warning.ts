// Nobody is surprised: from 45 days before the last date with official holiday data, the managers
// get a chat message once a week (in working time) naming the fix — add a feed, enter the year by
// hand, or update the package. Directly to each manager; to the digest chats when no manager can be
// reached. Claimed per week and recipient like any notice, so it goes out once.
import { warningText } from "../../cards/calendar.js";
import { calendarHorizon } from "../app/calendar/status.js";
import { textMessage } from "../app/notify.js";
import { daysBetween } from "../core/holiday-data.js";
import type { Locale } from "../core/types.js";
import type { ChatPlatform } from "../platform/port.js";
import { claimAndEnqueue, claimedKeys } from "../store/notices.js";
import { chatIdFor, directChat, recipientOn } from "./audience.js";
import { claimed, type Run } from "./run.js";

export const WARN_DAYS_AHEAD = 45;

interface Target {
  platform: ChatPlatform;
  chatId: string;
  locale: Locale;
}

function targets(run: Run): Target[] {
  const cfg = run.ctx.config;
  const platforms = (["feishu", "dingtalk"] as const).filter((p) => run.ctx.senders[p]);
  const out: Target[] = [];
  for (const id of new Set(cfg.departments.flatMap((d) => d.managers))) {
    for (const platform of platforms) {
      const r = recipientOn(cfg, id, platform);
      if (r) out.push({ platform, chatId: directChat(r.userId), locale: r.locale });
    }
  }
  if (out.length) return out;
  for (const platform of platforms) for (const chat of cfg.digestChats[platform]) out.push({ platform, chatId: chatIdFor(platform, chat), locale: cfg.locale });
  return out;
}

export async function runCalendarWarning(run: Run): Promise<void> {
  const { ctx, now } = run;
  const status = calendarHorizon(ctx, now);
  if (!status.through || status.daysLeft === null || status.daysLeft > WARN_DAYS_AHEAD) return;
  // A warning is read at work, not at 3 a.m. on a Sunday; a week without working time skips it.
  if (!ctx.calendar.isWorkingTime(now)) return;
  const week = Math.floor(daysBetween(ctx.calendar.addLocalDays(status.through, -WARN_DAYS_AHEAD), ctx.calendar.localDate(now)) / 7);
  const all = targets(run);
  if (!all.length) {
    ctx.log.warn("official holiday data runs out and no manager can be told in chat", { through: status.through, daysLeft: status.daysLeft });
    return;
  }
  const claimOf = (t: Target) => ({ key: `calendar:warning:${status.through}:${week}:${t.platform}:${t.chatId}`, kind: "calendar.warning", at: ctx.calendar.startOfLocalDay(status.through!) });
  const taken = await claimedKeys(ctx.db, all.map((t) => claimOf(t).key));
  const consoleUrl = ctx.publicUrl ? `${ctx.publicUrl.replace(/\/+$/, "")}/console/calendar?year=${Number(status.through.slice(0, 4)) + 1}` : undefined;
  for (const t of all.filter((x) => !taken.has(claimOf(x).key))) {
    const msg = textMessage(t.platform, t.chatId, warningText({ locale: t.locale, through: status.through, daysLeft: status.daysLeft, consoleUrl }));
    if (claimed(run, await claimAndEnqueue(ctx.db, claimOf(t), [msg], now))) run.summary.calendarWarnings++;
  }
}
