// Ticket list: filters (a GET form, so every filtered view is a link), the table (cards on narrow
// screens), paging, and the exports of exactly this filter.
import type { WorkflowConfig } from "../../config/schema.js";
import { PRIORITIES, STATUSES } from "../../core/types.js";
import type { TicketRow } from "../../store/tickets.js";
import { listSearch, type ListQuery } from "../filters.js";
import { fmt } from "../../../cards/i18n/index.js";
import type { Labels } from "../labels.js";
import { CONSOLE_BASE } from "../settings.js";
import { Layout, type PageContext } from "./layout.js";
import { DueCell, PriorityTag, StatusTag } from "./tags.js";

export interface ListPageProps {
  page: PageContext;
  cfg: WorkflowConfig;
  labels: Labels;
  query: ListQuery;
  result: { total: number; page: number; pages: number; rows: TicketRow[] };
  now: Date;
  /** Whether the viewer handles tickets (offers "mine"). */
  handles: boolean;
}

function Select(props: { name: string; label: string; value: string; options: { value: string; label: string }[]; any: string }) {
  return (
    <div>
      <label for={`f-${props.name}`}>{props.label}</label>
      <select id={`f-${props.name}`} name={props.name}>
        <option value="">{props.any}</option>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ListPage(p: ListPageProps) {
  const { t } = p.page.tx;
  const L = p.labels;
  const q = p.query;
  const { total, page, pages, rows } = p.result;
  const search = listSearch(q);
  const advanced = [q.priority, q.category, q.department, q.handler, q.from, q.to, q.overdue].filter(Boolean).length;
  const handlers = [...new Set(p.cfg.departments.flatMap((d) => d.handlers))]
    .map((id) => ({ value: id, label: L.person(id) }))
    .sort((a, b) => a.label.localeCompare(b.label, "zh-CN"));
  return (
    <Layout page={p.page} title={t.list.title} active="tickets">
      <form class="card filters" method="get" action={`${CONSOLE_BASE}/tickets`} aria-label={t.list.filters}>
        <div class="wide">
          <label for="f-q">{t.list.search}</label>
          <input id="f-q" type="search" name="q" value={q.q} maxlength={100} />
        </div>
        <Select
          name="status"
          label={t.list.status}
          value={q.status}
          any={t.list.anyStatus}
          options={[{ value: "active", label: t.list.activeStatus }, ...STATUSES.map((s) => ({ value: s, label: L.status(s) }))]}
        />
        {/* On a phone the rest of the filters fold away behind a toggle (no script needed). */}
        <input type="checkbox" id="more-filters" class="toggle" checked={advanced > 0} />
        <label for="more-filters" class="btn toggle-label">
          {t.list.moreFilters}
          {advanced > 0 ? ` (${advanced})` : ""}
        </label>
        <div class="more">
        <Select name="priority" label={t.list.priority} value={q.priority} any={t.list.any} options={PRIORITIES.map((x) => ({ value: x, label: L.priority(x) }))} />
        <Select name="category" label={t.list.category} value={q.category} any={t.list.any} options={p.cfg.categories.map((c) => ({ value: c.id, label: L.category(c.id) }))} />
        <Select name="department" label={t.list.department} value={q.department} any={t.list.any} options={p.cfg.departments.map((d) => ({ value: d.id, label: L.department(d.id) }))} />
        <Select
          name="handler"
          label={t.list.handler}
          value={q.handler}
          any={t.list.any}
          options={[...(p.handles ? [{ value: "mine", label: t.list.mine }] : []), { value: "none", label: t.list.unassigned }, ...handlers]}
        />
        <div>
          <label for="f-from">{t.list.from}</label>
          <input id="f-from" type="date" name="from" value={q.from} />
        </div>
        <div>
          <label for="f-to">{t.list.to}</label>
          <input id="f-to" type="date" name="to" value={q.to} />
        </div>
        <label class="check">
          <input type="checkbox" name="overdue" value="1" checked={q.overdue} /> {t.list.overdue}
        </label>
        </div>
        <div class="buttons">
          <button class="btn primary" type="submit">
            {t.list.apply}
          </button>
          <a class="btn" href={`${CONSOLE_BASE}/tickets`}>
            {t.list.reset}
          </a>
          <a class="btn" href={`${CONSOLE_BASE}/tickets/export.csv${search}`} download>
            {t.list.exportCsv}
          </a>
          <a class="btn" href={`${CONSOLE_BASE}/tickets/export.xlsx${search}`} download>
            {t.list.exportXlsx}
          </a>
        </div>
      </form>

      <section class="card">
        <div class="row" style="justify-content:space-between;margin-bottom:6px">
          <h1 style="margin:0">{t.list.title}</h1>
          <span class="muted" data-total={String(total)}>
            {fmt(t.list.total, { total })}
          </span>
        </div>
        {rows.length === 0 ? (
          <p class="muted">{t.list.empty}</p>
        ) : (
          <table class="tickets">
            <thead>
              <tr>
                <th>{p.page.tx.m.field.number}</th>
                <th>{t.list.titleColumn}</th>
                <th>{t.list.status}</th>
                <th>{t.list.priority}</th>
                <th>{t.list.category}</th>
                <th>{t.list.department}</th>
                <th>{t.list.handler}</th>
                <th>{t.list.received}</th>
                <th>{t.list.due}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr data-number={r.number}>
                  <td class="nowrap c-number" data-label={p.page.tx.m.field.number}>
                    <a href={`${CONSOLE_BASE}/tickets/${r.number}`}>{r.number}</a>
                  </td>
                  <td class="title" data-label="">
                    <a href={`${CONSOLE_BASE}/tickets/${r.number}`}>{r.title}</a>
                  </td>
                  <td class="c-status" data-label={t.list.status}>
                    <StatusTag status={r.status} labels={L} />
                  </td>
                  <td class="c-priority" data-label={t.list.priority}>
                    <PriorityTag priority={r.priority} labels={L} />
                  </td>
                  <td class="c-category" data-label={t.list.category}>{L.category(r.category, r.subCategory)}</td>
                  <td class="c-department" data-label={t.list.department}>{L.department(r.department)}</td>
                  <td class="c-handler" data-label={t.list.handler}>{L.person(r.handlerId, r.handlerName)}</td>
                  <td class="nowrap c-received" data-label={t.list.received}>
                    {L.time(r.receivedAt)}
                  </td>
                  <td class="nowrap c-due" data-label={t.list.due}>
                    <DueCell ticket={r} now={p.now} labels={L} overdueText={p.page.tx.m.overdue} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {pages > 1 && (
          <nav class="pager">
            {page > 1 ? (
              <a class="btn" rel="prev" href={`${CONSOLE_BASE}/tickets${listSearch(q, { page: page - 1 })}`}>
                {t.list.prev}
              </a>
            ) : (
              <span />
            )}
            <span class="muted">{fmt(t.list.page, { page, pages })}</span>
            {page < pages ? (
              <a class="btn" rel="next" href={`${CONSOLE_BASE}/tickets${listSearch(q, { page: page + 1 })}`}>
                {t.list.next}
              </a>
            ) : (
              <span />
            )}
          </nav>
        )}
      </section>
    </Layout>
  );
}
