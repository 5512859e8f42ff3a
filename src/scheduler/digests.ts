// Scheduled digests. Daily: each lead, directly, for the departments they lead. Weekly and monthly:
// the digest chats (digestChats), or every manager directly when no digest chat is configured. Each
// digest is claimed per period and recipient in the same batch as its message, so it goes out once.
import { dailyDigestCard, periodDigestCard } from "../../cards/digest.js";
import type { Card } from "../../cards/model.js";
import { cardMessage } from "../app/notify.js";
import type { Locale } from "../core/types.js";
import type { ChatPlatform } from "../platform/port.js";
import { claimAndEnqueue, claimedKeys, type NoticeClaim } from "../store/notices.js";
import { chatIdFor, directChat, recipientOn } from "./audience.js";
import { dailyFigures, periodFigures } from "../app/figures.js";
import { duePeriod, type DigestKind, type DigestPeriod } from "./periods.js";
import { claimed, type Run } from "./run.js";

interface Delivery {
  platform: ChatPlatform;
  chatId: string;
  locale: Locale;
  /** Person id for direct digests. */
  personId?: string;
  claim: NoticeClaim;
}

const digestClaim = (p: DigestPeriod, recipient: string): NoticeClaim => ({
  key: `digest:${p.kind}:${p.from}:${recipient}`,
  kind: `digest.${p.kind}`,
  at: p.start,
});

const platforms = (run: Run): ChatPlatform[] => (["feishu", "dingtalk"] as const).filter((p) => run.ctx.senders[p]);

function dailyDeliveries(run: Run, p: DigestPeriod): Delivery[] {
  const cfg = run.ctx.config;
  const leads = [...new Set(cfg.departments.flatMap((d) => d.leads))];
  const out: Delivery[] = [];
  for (const id of leads) {
    for (const platform of platforms(run)) {
      const r = recipientOn(cfg, id, platform);
      if (r) out.push({ platform, chatId: directChat(r.userId), locale: r.locale, personId: id, claim: digestClaim(p, `${platform}:${directChat(r.userId)}`) });
    }
  }
  return out;
}

function managerDeliveries(run: Run, p: DigestPeriod): Delivery[] {
  const cfg = run.ctx.config;
  const out: Delivery[] = [];
  for (const platform of platforms(run)) {
    for (const chat of cfg.digestChats[platform]) {
      const chatId = chatIdFor(platform, chat);
      out.push({ platform, chatId, locale: cfg.locale, claim: digestClaim(p, `${platform}:${chatId}`) });
    }
  }
  if (out.length) return out;
  for (const id of new Set(cfg.departments.flatMap((d) => d.managers))) {
    for (const platform of platforms(run)) {
      const r = recipientOn(cfg, id, platform);
      if (r) out.push({ platform, chatId: directChat(r.userId), locale: r.locale, personId: id, claim: digestClaim(p, `${platform}:${directChat(r.userId)}`) });
    }
  }
  return out;
}

export async function runDigests(run: Run): Promise<void> {
  const { ctx, now } = run;
  const kinds: [DigestKind, string][] = [
    ["daily", ctx.config.schedule.dailyDigest],
    ["weekly", ctx.config.schedule.weeklyDigest],
    ["monthly", ctx.config.schedule.monthlyDigest],
  ];
  for (const [kind, expr] of kinds) {
    const period = duePeriod(kind, expr, ctx.calendar, now);
    if (!period) continue;
    const all = kind === "daily" ? dailyDeliveries(run, period) : managerDeliveries(run, period);
    const taken = await claimedKeys(ctx.db, all.map((d) => d.claim.key));
    const todo = all.filter((d) => !taken.has(d.claim.key));
    run.summary.alreadyClaimed += all.length - todo.length;
    // One computation per locale (and per lead for daily digests: their departments).
    const cards = new Map<string, Card>();
    for (const d of todo) {
      const departments = d.personId && kind === "daily" ? ctx.config.departments.filter((x) => x.leads.includes(d.personId!)).map((x) => x.id) : undefined;
      const cacheKey = `${d.locale}|${departments?.join(",") ?? "*"}`;
      let card = cards.get(cacheKey);
      if (!card) {
        const o = { locale: d.locale, timeZone: ctx.config.calendar.timeZone };
        card =
          kind === "daily"
            ? dailyDigestCard(await dailyFigures(ctx, { date: period.to, since: period.start, until: period.end }, d.locale, departments ?? []), o)
            : periodDigestCard(await periodFigures(ctx, kind, period, d.locale), o);
        cards.set(cacheKey, card);
      }
      const msg = cardMessage(d.platform, d.chatId, card, { opts: { readOnly: true } });
      if (claimed(run, await claimAndEnqueue(ctx.db, d.claim, [msg], now))) run.summary.digests++;
    }
  }
}
