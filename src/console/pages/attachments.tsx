// The ticket page's attachments: stored images drawn inline (through the authenticated file route),
// other stored files as download links, and what could not be kept with the reason.
import type { Texts } from "../i18n.js";
import { CONSOLE_BASE } from "../settings.js";
import type { AttachmentRow } from "../../store/attachments.js";
import { INLINE_TYPES } from "../inline-types.js";

export type AttachmentView = Pick<AttachmentRow, "id" | "kind" | "name" | "status" | "size" | "contentType" | "error">;

const size = (n: number | null) => (n === null ? "" : n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} B`);

export function Attachments(p: { number: string; list: AttachmentView[]; tx: Texts }) {
  const { t: ct, m } = p.tx;
  const kinds = m.attachment.kinds as Record<string, string>;
  return (
    <section class="card" id="attachments">
      <h2>
        {ct.detail.attachments} ({p.list.length})
      </h2>
      <ul class="attachments">
        {p.list.map((a) => {
          const url = `${CONSOLE_BASE}/tickets/${encodeURIComponent(p.number)}/attachments/${a.id}`;
          const label = a.name ?? `${kinds[a.kind] ?? a.kind} #${a.id}`;
          const stored = a.status === "stored";
          return (
            <li data-status={a.status} data-kind={a.kind}>
              {stored && a.kind === "image" && INLINE_TYPES.has(a.contentType ?? "") && (
                <a href={url}>
                  <img src={url} alt={label} loading="lazy" />
                </a>
              )}
              <div>
                {stored ? <a href={`${url}?download`}>{label}</a> : <span>{label}</span>} <span class="small muted">{stored ? size(a.size) : (ct.detail.attachmentState[a.status] ?? a.status)}</span>
              </div>
              {a.status === "failed" && a.error && <div class="small muted">{a.error}</div>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
