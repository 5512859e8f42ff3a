// DingTalk sends interactive-card clicks in HTTP mode only to a callback URL registered for the app
// (https://open.dingtalk.com/document/development/register-card-callback-address). A Worker has no start-up hook, so the first cron run registers
// PUBLIC_URL/webhooks/dingtalk/cards and remembers it in the Notice table; a failure retries next run.
import type { AppContext } from "../../app/context.js";
import type { DingTalkSettings } from "../../config/env.js";
import { registerCardCallback } from "../dingtalk/sender.js";

export type CallbackSetup = "registered" | "already registered" | "not needed";

export async function ensureDingTalkCardCallback(ctx: AppContext, settings: DingTalkSettings | undefined, now: Date): Promise<CallbackSetup> {
  // Without a template there are no interactive cards; without a public URL there is nothing to register.
  if (!settings || settings.mode !== "http" || !ctx.config.dingtalk.cardTemplateId || !ctx.publicUrl) return "not needed";
  const url = `${ctx.publicUrl.replace(/\/+$/, "")}/webhooks/dingtalk/cards`;
  const key = `setup:dingtalk-card-callback:${settings.clientId}:${url}`;
  if (await ctx.db.notice.findUnique({ where: { key } })) return "already registered";
  await registerCardCallback(settings, url);
  // Two overlapping cron runs may both register: forceUpdate makes that harmless, the row is kept once.
  await ctx.db.notice.upsert({ where: { key }, create: { key, kind: "setup", at: now }, update: {} });
  ctx.log.info("dingtalk card callback registered", { url });
  return "registered";
}
