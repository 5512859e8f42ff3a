// HTTP mode: DingTalk sends card clicks only to a registered callback URL (https://open.dingtalk.com/document/development/register-card-callback-address). We register
// on every start (forceUpdate), so a changed PUBLIC_URL takes effect. A failure is a warning, not a
// crash: robot messages keep working, and clicks start arriving after a start that registers.
import type { DingTalkSettings } from "../../config/env.js";
import type { Logger } from "../../log.js";
import { errText } from "./routes.js";
import { DEFAULT_CALLBACK_ROUTE_KEY, registerCardCallback } from "./sender.js";

export const CARD_CALLBACK_PATH = "/webhooks/dingtalk/cards";

export const cardCallbackUrl = (publicUrl: string) => `${publicUrl.replace(/\/+$/, "")}${CARD_CALLBACK_PATH}`;

/** Register PUBLIC_URL/webhooks/dingtalk/cards in HTTP mode with a card template; true when DingTalk accepted it. */
export async function registerCardCallbackOnStart(
  settings: DingTalkSettings,
  o: { publicUrl?: string; cardTemplateId?: string; log: Logger; fetch?: typeof fetch },
): Promise<boolean> {
  // Stream mode gets clicks on the connection; without a template there are no interactive cards
  // (the same rule as the Worker's src/adapter/worker/dingtalk-callback.ts).
  if (settings.mode !== "http" || !o.cardTemplateId) return false;
  if (!o.publicUrl) {
    o.log.warn("dingtalk card callback not registered: PUBLIC_URL is not set, so card clicks will not reach this server (set PUBLIC_URL, or use DINGTALK_MODE=stream)");
    return false;
  }
  const url = cardCallbackUrl(o.publicUrl);
  try {
    await registerCardCallback(settings, url, { fetch: o.fetch });
    o.log.info("dingtalk card callback registered", { url, callbackRouteKey: DEFAULT_CALLBACK_ROUTE_KEY });
    return true;
  } catch (e) {
    o.log.warn("dingtalk card callback registration failed: card clicks will not reach this server until a restart registers it", {
      url,
      error: errText(e),
    });
    return false;
  }
}
