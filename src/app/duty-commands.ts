// `/duty`: who is on duty today per department, with their open tickets against their capacity.
// `/leave 2026-12-03~2026-12-05`: the sender's own leave; a lead or manager records someone else's,
// with an optional cover: `/leave 张三 2026-12-03~2026-12-05 李四` (a swap is a leave with a cover).
import { fmt, messages } from "../../cards/i18n/index.js";
import { parseDateRange } from "../core/duty.js";
import { personByPlatformId } from "../core/routing.js";
import type { Actor, Locale } from "../core/types.js";
import type { Person } from "../core/workflow.js";
import { addLeave } from "../store/duty.js";
import type { AppContext } from "./context.js";
import { capacities, dutyToday, onDutyIn, openLoads } from "./duty.js";
import { departmentLabel, personName } from "./views.js";

export const isDutyCommand = (name: string) => name === "duty" || name === "leave";

export async function dutyCommand(ctx: AppContext, name: string, rest: string, actor: Actor, locale: Locale): Promise<string> {
  return name === "duty" ? dutyText(ctx, locale) : leave(ctx, rest, actor, locale);
}

async function dutyText(ctx: AppContext, locale: Locale): Promise<string> {
  const m = messages(locale).card;
  const today = await dutyToday(ctx);
  const lines = [fmt(m.dutyTitle, { date: today.date })];
  for (const dept of ctx.config.departments) {
    const duty = onDutyIn(dept, today);
    const load = await openLoads(ctx, duty);
    const cap = capacities(ctx, duty);
    const people = duty.map((id) => fmt(m.dutyLoad, { name: personName(ctx.config, id) ?? id, open: load[id] ?? 0, cap: cap[id] ? ` / ${cap[id]}` : "" }));
    lines.push(fmt(m.dutyLine, { department: departmentLabel(ctx.config, dept.id, locale), people: people.join(locale === "en" ? ", " : "、") || m.dutyNobody }));
  }
  return lines.join("\n");
}

const findPerson = (ctx: AppContext, word: string): Person | undefined => {
  const w = word.replace(/^@/, "").trim();
  return ctx.config.people.find((p) => p.id === w || p.name === w);
};

async function leave(ctx: AppContext, rest: string, actor: Actor, locale: Locale): Promise<string> {
  const m = messages(locale).card;
  const words = rest.split(/\s+/).filter(Boolean);
  const at = words.findIndex((w) => parseDateRange(w));
  const me = actor.platform === "system" ? undefined : personByPlatformId(ctx.config, actor.platform, actor.userId);
  if (at < 0 || at > 1 || !me) return m.leaveUsage;
  const range = parseDateRange(words[at]!)!;
  const who = at === 1 ? findPerson(ctx, words[0]!) : me;
  const cover = words[at + 1] ? findPerson(ctx, words[at + 1]!) : undefined;
  if (!who || (words[at + 1] && !cover)) return m.leaveUsage;
  const isLead = ctx.config.departments.some((d) => d.leads.includes(me.id) || d.managers.includes(me.id));
  if (who.id !== me.id && !isLead) return m.leaveForbidden;
  await addLeave(ctx.db, { personId: who.id, from: range.from, to: range.to, coverId: cover?.id ?? null, createdBy: me.name });
  return fmt(m.leaveSet, { name: who.name, from: range.from, to: range.to, cover: cover ? fmt(m.leaveCover, { cover: cover.name }) : "" });
}
