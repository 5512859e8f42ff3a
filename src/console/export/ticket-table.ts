// A ticket as an export row; the list export writes these for every ticket the filter matches.
import { maskContact } from "../../core/mask.js";
import type { TicketRow } from "../../store/tickets.js";
import type { Texts } from "../i18n.js";
import type { Labels } from "../labels.js";
import { isOverdue } from "../pages/tags.js";
import type { Cell, Column } from "./table.js";

export function ticketColumns(tx: Texts): Column[] {
  const { m, t } = tx;
  const c = (header: string, width?: number): Column => ({ header, width });
  return [
    c(m.field.number, 16),
    c(tx.locale === "en" ? "Title" : "标题", 30),
    c(t.list.status, 10),
    c(m.field.priority, 8),
    c(m.field.category, 16),
    c(m.field.department, 12),
    c(m.field.handler, 10),
    c(m.field.reporter, 12),
    c(t.detail.platform, 10),
    c(m.field.receivedAt, 17),
    c(m.field.customer, 18),
    c(t.detail.customerId, 14),
    c(t.detail.tier, 8),
    c(m.field.contact, 16),
    c(m.field.channel, 10),
    c(m.field.product, 16),
    c(m.field.responseDue, 17),
    c(t.detail.firstResponse, 17),
    c(m.field.resolutionDue, 17),
    c(t.detail.resolvedAt, 17),
    c(t.detail.closedAt, 17),
    c(t.export.overdueFlag, 8),
    c(m.field.satisfaction, 8),
    c(m.field.result, 30),
    c(m.field.description, 50),
  ];
}

export function ticketCells(r: TicketRow, L: Labels, tx: Texts, now: Date, showContact: boolean): Cell[] {
  const contact = r.customerContact ? (showContact ? r.customerContact : maskContact(r.customerContact)) : null;
  return [
    r.number,
    r.title,
    L.status(r.status),
    L.priority(r.priority),
    L.category(r.category, r.subCategory),
    L.department(r.department),
    r.handlerId ? L.person(r.handlerId, r.handlerName) : null,
    L.person(r.reporterId, r.reporterName, r.platform),
    r.platform,
    L.time(r.receivedAt),
    r.customerName,
    r.customerId,
    L.tier(r.customerTier),
    contact,
    L.channel(r.channel) || null,
    [r.product, r.productVersion].filter(Boolean).join(" ") || null,
    L.time(r.responseDueAt),
    L.time(r.firstResponseAt) || null,
    L.time(r.resolutionDueAt),
    L.time(r.resolvedAt) || null,
    L.time(r.closedAt) || null,
    isOverdue(r, now) ? tx.t.export.yes : tx.t.export.no,
    r.satisfaction,
    r.result,
    r.description,
  ];
}
