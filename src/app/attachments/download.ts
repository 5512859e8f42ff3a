// Attachments are downloaded after the ack, as outbox rows (op "download"): a platform API that fails is
// retried with the outbox's backoff, and a crash after the ack leaves the row to be picked up again.
// Each file is read through the platform's resource API (Feishu GET /open-apis/im/v1/messages/{message_id}/resources/{file_key},
// https://open.feishu.cn/document/server-docs/im-v1/message/get-2; DingTalk POST /v1.0/robot/messageFiles/download,
// https://open.dingtalk.com/document/orgapp/download-the-file-content-of-the-robot-receiving-message), at most 10 MB,
// and kept in the runtime's AttachmentStorage. What is too big or fails for good is said on the timeline.
import { fmt, messages } from "../../../cards/i18n/index.js";
import { SYSTEM_ACTOR, type Locale } from "../../core/types.js";
import { AttachmentTooBigError, MAX_ATTACHMENT_BYTES, type AttachmentRef } from "../../platform/download.js";
import { PlatformError, type ChatPlatform, type ChatSender } from "../../platform/port.js";
import { attachmentWithTicket, pendingAttachments, settleAttachment } from "../../store/attachments.js";
import type { NewOutbound } from "../../store/outbox.js";
import { appendEvent } from "../../store/tickets.js";
import type { AppContext } from "../context.js";
import type { DownloadPayload } from "../outbound-payload.js";
import { safeFileName, storageKeyOf } from "./storage.js";

const LIMIT_MB = MAX_ATTACHMENT_BYTES / (1024 * 1024);

/** One outbox row per attachment still pending; the dedupe key makes a second call (after a crash) a no-op. */
export async function downloadJobs(ctx: AppContext, ticketId: number, platform: ChatPlatform): Promise<NewOutbound[]> {
  return downloadJobsFor(ticketId, platform, (await pendingAttachments(ctx.db, ticketId)).map((a) => a.id));
}

/** The download rows for these attachment ids (a new ticket knows them from its INSERT). */
export const downloadJobsFor = (ticketId: number, platform: ChatPlatform, attachmentIds: number[]): NewOutbound[] =>
  attachmentIds.map((id) => ({
    platform,
    kind: "download" as const,
    target: `attachment:${id}`,
    ticketId,
    payload: { op: "download", attachmentId: id } satisfies DownloadPayload,
    dedupeKey: `download:${id}`,
  }));

/** The extension a stored file gets when the platform named it nothing. */
const EXTENSIONS: Record<string, string> = { "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp", "application/pdf": ".pdf", "audio/mpeg": ".mp3", "video/mp4": ".mp4" };

const baseType = (ct: string | undefined) => ct?.split(";")[0]!.trim().toLowerCase() || undefined;

/** Carry out one download row. Throws PlatformError for the outbox to retry (or give up on: attachmentGaveUp). */
export async function downloadAttachment(ctx: AppContext, sender: ChatSender, p: DownloadPayload): Promise<void> {
  const a = await attachmentWithTicket(ctx.db, p.attachmentId);
  if (!a || a.status !== "pending") return; // gone with its ticket, or settled by an earlier attempt
  if (!sender.download) throw new PlatformError(`${sender.platform} cannot download attachments`, false);
  if (!ctx.attachments) throw new PlatformError("no attachment storage is configured", false);
  let got;
  try {
    got = await sender.download({ kind: a.kind as AttachmentRef["kind"], fileKey: a.fileKey, messageId: a.messageId ?? undefined }, MAX_ATTACHMENT_BYTES);
  } catch (e) {
    if (!(e instanceof AttachmentTooBigError)) throw e;
    if (await settleAttachment(ctx.db, a.id, { status: "too_big", size: e.bytes, error: e.message })) await tellTimeline(ctx, a, "tooBig", "");
    ctx.log.warn("attachment too big, not kept", { attachment: a.id, ticket: a.ticket.number, bytes: e.bytes, declared: e.declared });
    return;
  }
  const contentType = baseType(got.contentType);
  const name = safeFileName(a.name ?? got.name, `${a.kind}-${a.id}${EXTENSIONS[contentType ?? ""] ?? ""}`);
  const storageKey = storageKeyOf(a.ticket.number, a.id, name);
  await ctx.attachments.put(storageKey, got.bytes, contentType);
  await settleAttachment(ctx.db, a.id, { status: "stored", size: got.bytes.byteLength, contentType: contentType ?? null, storageKey, name: a.name ?? got.name ?? name });
  ctx.log.info("attachment stored", { attachment: a.id, ticket: a.ticket.number, bytes: got.bytes.byteLength, where: ctx.attachments.where });
}

/** The outbox gave up on a download row (a refusal, or out of attempts): the attachment failed, and the timeline says so. */
export async function attachmentGaveUp(ctx: AppContext, p: DownloadPayload, error: string): Promise<void> {
  const a = await attachmentWithTicket(ctx.db, p.attachmentId);
  if (!a) return;
  if (await settleAttachment(ctx.db, a.id, { status: "failed", error })) await tellTimeline(ctx, a, "failed", error);
}

type WithTicket = NonNullable<Awaited<ReturnType<typeof attachmentWithTicket>>>;

/** A timeline note in the ticket's language, naming the file (plain text: the card and console escape it). */
async function tellTimeline(ctx: AppContext, a: WithTicket, what: "tooBig" | "failed", error: string): Promise<void> {
  const m = messages((a.ticket.locale as Locale) ?? ctx.config.locale).attachment;
  const name = a.name ?? `${(m.kinds as Record<string, string>)[a.kind] ?? a.kind} #${a.id}`;
  const text = fmt(m[what], { name, limit: LIMIT_MB, error: error.slice(0, 200) });
  await appendEvent(ctx.db, a.ticket.id, { kind: "attachment", actor: SYSTEM_ACTOR, source: "system", at: ctx.now(), payload: { attachmentId: a.id, outcome: what === "tooBig" ? "too_big" : "failed", text } });
}
