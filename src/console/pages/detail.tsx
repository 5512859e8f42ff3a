// One ticket: every field (the contact in full only for those allowed), the whole timeline, and the
// actions the viewer may take — the same ones the card offers.
import type { Child } from "hono/jsx";
import { formatMinutes } from "../../../cards/duration.js";
import { fmt } from "../../../cards/i18n/index.js";
import type { TicketCardInput } from "../../../cards/ticket.js";
import type { WorkflowConfig } from "../../config/schema.js";
import type { Role } from "../../core/types.js";
import { maskContact } from "../../core/mask.js";
import type { TicketEventRow, TicketRow } from "../../store/tickets.js";
import type { Labels } from "../labels.js";
import { CONSOLE_BASE } from "../settings.js";
import { Actions } from "./actions.js";
import { Attachments, type AttachmentView } from "./attachments.js";
import { Flash, Layout, type PageContext } from "./layout.js";
import { isOverdue, PriorityTag, StatusTag } from "./tags.js";
import { Timeline } from "./timeline.js";

export interface DetailPageProps {
  page: PageContext;
  cfg: WorkflowConfig;
  labels: Labels;
  ticket: TicketRow;
  events: TicketEventRow[];
  attachments: AttachmentView[];
  collaborators: string[];
  mergedInto?: string;
  showContact: boolean;
  /** Roles on this ticket; undefined = the admin token alone, which only reads. */
  roles?: ReadonlySet<Role>;
  now: Date;
  /** Waiting now and time paused in all, in the ticket's SLA clock. */
  waiting?: Pick<TicketCardInput, "waiting" | "pausedMinutes" | "workingClock">;
  flash?: { ok?: string; error?: string };
}

type Row = [string, Child | string | null | undefined];
const present = (rows: Row[]) => rows.filter(([, v]) => v !== null && v !== undefined && v !== "" && v !== false);

function Fields(props: { rows: Row[] }) {
  return (
    <dl class="fields">
      {present(props.rows)
        .map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </>
        ))}
    </dl>
  );
}

export function DetailPage(p: DetailPageProps) {
  const { t: ct, m } = p.page.tx;
  const L = p.labels;
  const t = p.ticket;
  const overdue = isOverdue(t, p.now);
  const due = (at: Date, met: Date | null) => (
    <span>
      {L.time(at)}
      {met ? (met <= at ? " ✓" : ` (${m.overdue})`) : ""}
    </span>
  );
  const contact = t.customerContact ? (p.showContact ? t.customerContact : `${maskContact(t.customerContact)}${ct.detail.masked}`) : null;
  const product = [t.product, t.productVersion].filter(Boolean).join(" ");
  const satisfaction = t.satisfaction ? `${"★".repeat(t.satisfaction)}${"☆".repeat(5 - t.satisfaction)} ${(m.satisfaction as Record<number, string>)[t.satisfaction]}` : null;

  const handling: Row[] = [
    [m.field.plan, t.plan && <span class="text">{t.plan}</span>],
    [m.field.result, t.result && <span class="text">{t.result}</span>],
    [ct.detail.followUp, t.followUpPlan],
    [ct.detail.remarks, t.remarks],
    [m.field.satisfaction, satisfaction],
    [ct.detail.customerComment, t.customerComment],
    [ct.detail.mergedInto, p.mergedInto && <a href={`${CONSOLE_BASE}/tickets/${p.mergedInto}`}>{p.mergedInto}</a>],
  ];
  return (
    <Layout page={p.page} title={`${t.number} ${t.title}`} active="tickets">
      <Flash {...(p.flash ?? {})} />
      <div class="head">
        <a href={`${CONSOLE_BASE}/tickets`} class="small">
          ← {ct.detail.back}
        </a>
        <h1>
          <span class="muted">{t.number}</span> {t.title}
        </h1>
        <StatusTag status={t.status} labels={L} />
        <PriorityTag priority={t.priority} labels={L} />
        {overdue && <span class="tag late">{m.overdue}</span>}
        <FlagTags {...p} />
      </div>
      <Flags {...p} />
      <div class="cols">
        <div>
          <section class="card" id="description-card">
            <h2>{m.field.description}</h2>
            <div class="text" id="description">
              {t.description}
            </div>
          </section>
          <section class="card">
            <h2>{ct.detail.fields}</h2>
            <Fields
              rows={[
                [m.field.number, t.number],
                [m.field.category, L.category(t.category, t.subCategory)],
                [m.field.department, L.department(t.department)],
                [m.field.handler, <span id="handler">{L.person(t.handlerId, t.handlerName)}</span>],
                [m.field.collaborators, p.collaborators.map((c) => L.person(c)).join("、")],
                [m.field.reporter, L.person(t.reporterId, t.reporterName, t.platform)],
                [ct.detail.platform, L.platform(t.platform)],
                [m.field.receivedAt, L.time(t.receivedAt)],
                [m.field.channel, L.channel(t.channel)],
                [m.field.product, product],
                [ct.detail.scene, t.scene],
                [ct.detail.impact, t.impactScope],
                [ct.detail.expectation, t.expectation],
                [m.field.expected, t.expectedDate],
                // Listed in their own section when there are any.
                [m.field.attachments, p.attachments.length ? null : ct.detail.attachmentsNone],
              ]}
            />
          </section>
          {p.attachments.length > 0 && <Attachments number={t.number} list={p.attachments} tx={p.page.tx} />}
          <section class="card">
            <h2>{ct.detail.customerBlock}</h2>
            <Fields
              rows={[
                [m.field.customer, t.customerName],
                [ct.detail.customerId, t.customerId],
                [ct.detail.tier, L.tier(t.customerTier)],
                [ct.detail.industry, t.industry],
                [m.field.contact, contact && <span id="contact">{contact}</span>],
              ]}
            />
          </section>
          {present(handling).length > 0 && (
            <section class="card">
              <h2>{ct.detail.handling}</h2>
              <Fields rows={handling} />
            </section>
          )}
          <section class="card">
            <h2>{ct.detail.sla}</h2>
            <Fields
              rows={[
                [m.field.responseDue, due(t.responseDueAt, t.firstResponseAt)],
                [ct.detail.firstResponse, L.time(t.firstResponseAt)],
                [m.field.resolutionDue, due(t.resolutionDueAt, t.resolvedAt)],
                [ct.detail.resolvedAt, L.time(t.resolvedAt)],
                [ct.detail.closedAt, L.time(t.closedAt)],
                [ct.detail.lastProgress, L.time(t.lastProgressAt)],
              ]}
            />
          </section>
        </div>
        <div>
          <section class="card" id="actions">
            <h2>{ct.detail.actions}</h2>
            {p.roles && p.page.csrf ? (
              <Actions ticket={t} roles={p.roles} csrf={p.page.csrf} tx={p.page.tx} labels={L} cfg={p.cfg} />
            ) : (
              <p class="muted">{ct.detail.adminReadOnly}</p>
            )}
          </section>
          <section class="card" id="timeline">
            <h2>{ct.detail.timeline}</h2>
            <Timeline events={p.events} labels={L} tx={p.page.tx} platform={t.platform} />
          </section>
        </div>
      </div>
    </Layout>
  );
}

function FlagTags(p: DetailPageProps) {
  const m = p.page.tx.m;
  const w = p.waiting?.waiting;
  return (
    <>
      {p.ticket.blockedAt && <span class="tag late">{m.blocked}</span>}
      {w && <span class="tag">{m.waiting[w.on] ?? w.on}</span>}
    </>
  );
}

/** 🚧 受阻 …, and "⏸ 待客户反馈 · 已暂停 3 小时：…" while waiting, else the time paused in all (if any). */
function Flags(p: DetailPageProps) {
  const t = p.ticket;
  const m = p.page.tx.m;
  const blocked = t.blockedAt && (
    <p class="card" id="blocked">
      🚧 {fmt(m.blockedLine.replace(/\*\*/g, ""), { reason: t.blockedReason ?? "", by: t.blockedBy ?? "", at: p.labels.time(t.blockedAt) })}
    </p>
  );
  return (
    <>
      {blocked}
      <WaitingLine {...p} />
    </>
  );
}

function WaitingLine(p: DetailPageProps) {
  const w = p.waiting;
  if (!w) return null;
  const m = p.page.tx.m;
  const locale = p.page.tx.locale;
  const len = (minutes: number) => formatMinutes(minutes, locale, { days: !w.workingClock });
  if (w.waiting) {
    const x = w.waiting;
    return (
      <p class="card" id="waiting">
        ⏸ {fmt(m.waitingLine.replace(/\*\*/g, ""), { on: m.waiting[x.on] ?? x.on, paused: len(x.minutes), reason: x.reason, by: x.by, at: p.labels.time(x.at) })}
      </p>
    );
  }
  return w.pausedMinutes ? <p class="muted" id="paused">{fmt(m.pausedTotal, { paused: len(w.pausedMinutes) })}</p> : null;
}
