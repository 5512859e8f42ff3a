// The year at a glance: twelve month grids with days off, holidays, make-up working days (调休),
// provisional statutory days and edits marked; where the data comes from; and for managers the edit
// form (POST with the session's CSRF token) and the audit trail.
import { fmt } from "../../../cards/i18n/index.js";
import type { YearDay } from "../../app/calendar/year.js";
import type { CalendarSourceInfo, CalendarStatus } from "../../app/calendar/status.js";
import type { CalendarEditRow } from "../../store/calendar.js";
import { calendarConsoleTexts, type CalendarConsoleText } from "../calendar-texts.js";
import { CSRF_FIELD } from "../csrf.js";
import type { Labels } from "../labels.js";
import { CONSOLE_BASE } from "../settings.js";
import { Flash, Layout, type PageContext } from "./layout.js";

export interface CalendarPageProps {
  page: PageContext;
  labels: Labels;
  year: number;
  today: string;
  days: YearDay[];
  status: CalendarStatus;
  provisional: boolean;
  officialByHand: boolean;
  mayEdit: boolean;
  edits: CalendarEditRow[];
  editWhat: (e: CalendarEditRow) => string;
  flash: { ok?: string; error?: string };
}

// Inline like the console's stylesheet (CSP allows inline styles, nothing is fetched).
const CALENDAR_CSS = `
.months{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:12px}
.month table{table-layout:fixed}.month th,.month td{padding:2px;text-align:center;border:0;font-size:12px}
.month td{height:38px;vertical-align:top;border-radius:4px}
.month td .n{display:block;font-size:13px}.month td .k{display:block;font-size:10px;line-height:12px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}
.month td.off{color:#8f959e;background:#f5f6f7}.month td.hol{background:#fdecec;color:#b42318}
.month td.mk{background:#e1eaff;color:#245bdb;font-weight:600}.month td.prov{outline:1px dashed #c25f00;outline-offset:-2px}
.month td.edit .n::after{content:"•";color:#7a5af8;margin-left:1px}.month td.today{box-shadow:inset 0 0 0 2px #3370ff}
.legend span{display:inline-flex;align-items:center;gap:4px}.legend b{display:inline-block;width:14px;height:14px;border-radius:3px}
.cal-edit{display:grid;grid-template-columns:1fr 1fr;gap:8px;align-items:end}.cal-edit .wide{grid-column:1/-1}
@media (min-width:721px){.cal-edit{grid-template-columns:2fr 1fr 1fr 2fr auto}.cal-edit .wide{grid-column:auto}}
`;

const cellClass = (d: YearDay, today: string) =>
  [
    !d.working ? (d.mark && !d.mark.working ? "hol" : "off") : d.mark?.working ? "mk" : "",
    d.mark?.provisional ? "prov" : "",
    d.mark?.source === "edit" ? "edit" : "",
    d.date === today ? "today" : "",
  ]
    .filter(Boolean)
    .join(" ");

function Month(props: { m: number; days: YearDay[]; today: string; c: CalendarConsoleText }) {
  const { c } = props;
  const lead = props.days[0] ? props.days[0].weekday - 1 : 0;
  const cells: (YearDay | undefined)[] = [...Array.from({ length: lead }, () => undefined), ...props.days];
  const weeks: (YearDay | undefined)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return (
    <div class="card month" data-month={props.m}>
      <h3>{fmt(c.month, { m: props.m })}</h3>
      <table>
        <thead>
          <tr>
            {c.weekdays.map((w) => (
              <th>{w}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((w) => (
            <tr>
              {Array.from({ length: 7 }, (_, i) => w[i]).map((d) =>
                d ? (
                  <td class={cellClass(d, props.today)} data-date={d.date} title={[d.mark?.name, d.mark?.sourceId ?? d.mark?.source].filter(Boolean).join(" · ") || undefined}>
                    <span class="n">{Number(d.date.slice(8))}</span>
                    {d.mark && (
                      <span class="k">
                        {d.mark.provisional ? `${c.provisionalMark} ` : ""}
                        {d.mark.working ? c.workMark : (d.mark.name ?? c.offMark)}
                      </span>
                    )}
                  </td>
                ) : (
                  <td />
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SourceRow(props: { s: CalendarSourceInfo; c: CalendarConsoleText; labels: Labels }) {
  const { s, c } = props;
  const kind = c.sourceKind[s.kind] ?? s.kind;
  switch (s.kind) {
    case "package":
      return (
        <tr data-source="package">
          <td>{kind}</td>
          <td>{`${s.name} ${s.version}`}</td>
          <td>{`${s.firstYear}–${s.lastYear}`}</td>
          <td />
          <td />
          <td />
        </tr>
      );
    case "feed":
      return (
        <tr data-source="feed" data-status={s.status}>
          <td>{`${kind} (${s.format})`}</td>
          <td class="text">{s.url}</td>
          <td>{s.years.join(", ")}</td>
          <td>{`${s.offDays} / ${s.workDays}`}</td>
          <td>{s.fetchedAt ? props.labels.time(new Date(s.fetchedAt)) : ""}</td>
          <td>{fmt(c.feedStatus[s.status] ?? s.status, { error: s.error ?? "" })}</td>
        </tr>
      );
    case "config":
      return (
        <tr data-source="config">
          <td>{kind}</td>
          <td>calendar.extraHolidays / extraWorkdays</td>
          <td />
          <td>{s.days}</td>
          <td />
          <td />
        </tr>
      );
    case "edits":
      return (
        <tr data-source="edits">
          <td>{kind}</td>
          <td>{s.lastEditBy ? `${s.lastEditBy} · ${s.lastEditAt ? props.labels.time(new Date(s.lastEditAt)) : ""}` : ""}</td>
          <td>{s.officialYears.join(", ")}</td>
          <td>{s.days}</td>
          <td />
          <td />
        </tr>
      );
  }
}

function EditForms(props: { p: CalendarPageProps; c: CalendarConsoleText }) {
  const { p, c } = props;
  const csrf = p.page.csrf ?? "";
  const action = `${CONSOLE_BASE}/calendar/edits?year=${p.year}`;
  return (
    <section class="card" id="edit">
      <h2>{c.editTitle}</h2>
      <p class="small muted">{c.editIntro}</p>
      <form method="post" action={action} class="cal-edit">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <div class="wide">
          <label for="cal-action">{c.action}</label>
          <select id="cal-action" name="action">
            {(["off", "work", "reset"] as const).map((a) => (
              <option value={a}>{c.actions[a]}</option>
            ))}
          </select>
        </div>
        <div>
          <label for="cal-from">{c.from}</label>
          <input id="cal-from" type="date" name="from" required min={`${p.year - 1}-01-01`} value={`${p.year}-01-01`} />
        </div>
        <div>
          <label for="cal-to">{c.to}</label>
          <input id="cal-to" type="date" name="to" />
        </div>
        <div class="wide">
          <label for="cal-name">{c.name}</label>
          <input id="cal-name" type="text" name="name" maxlength={40} />
        </div>
        <div>
          <button class="btn primary" type="submit">
            {c.save}
          </button>
        </div>
      </form>
      {(p.provisional || p.officialByHand) && (
        <form method="post" action={action} style="margin-top:10px">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <input type="hidden" name="action" value={p.officialByHand ? "provisional" : "official"} />
          <input type="hidden" name="year" value={String(p.year)} />
          <button class="btn" type="submit">
            {fmt(p.officialByHand ? c.unconfirmYear : c.confirmYear, { year: p.year })}
          </button>
        </form>
      )}
    </section>
  );
}

function AuditTrail(props: { p: CalendarPageProps; c: CalendarConsoleText }) {
  const { p, c } = props;
  return (
    <section class="card" id="audit">
      <h2>{c.audit}</h2>
      {p.edits.length ? (
        <table class="stack">
          <thead>
            <tr>
              <th>{c.auditCols.at}</th>
              <th>{c.auditCols.who}</th>
              <th>{c.auditCols.via}</th>
              <th>{c.auditCols.what}</th>
            </tr>
          </thead>
          <tbody>
            {p.edits.map((e) => (
              <tr data-edit={e.id}>
                <td data-label={c.auditCols.at}>{p.labels.time(e.at)}</td>
                <td data-label={c.auditCols.who}>{p.labels.person(e.actorId, e.actorName)}</td>
                <td data-label={c.auditCols.via}>{c.via[e.via] ?? e.via}</td>
                <td data-label={c.auditCols.what}>{p.editWhat(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">{c.noEdits}</p>
      )}
    </section>
  );
}

export function CalendarPage(p: CalendarPageProps) {
  const c = calendarConsoleTexts(p.page.tx.locale);
  const s = p.status;
  const months = Array.from({ length: 12 }, (_, i) => i + 1);
  const legend: [string, string][] = [
    ["off", "#f5f6f7"],
    ["holiday", "#fdecec"],
    ["work", "#e1eaff"],
  ];
  return (
    <Layout page={p.page} title={fmt(c.title, { year: p.year })} active="calendar">
      <style dangerouslySetInnerHTML={{ __html: CALENDAR_CSS }} />
      <Flash ok={p.flash.ok} error={p.flash.error} />
      <section class="card">
        <div class="head">
          <h1>{fmt(c.title, { year: p.year })}</h1>
          <a class="btn" href={`${CONSOLE_BASE}/calendar?year=${p.year - 1}`}>
            {fmt(c.prev, { year: p.year - 1 })}
          </a>
          <a class="btn" href={`${CONSOLE_BASE}/calendar?year=${p.year + 1}`}>
            {fmt(c.next, { year: p.year + 1 })}
          </a>
        </div>
        <p id="through">
          {s.through ? fmt(c.through, { through: s.through }) : c.throughNone}
          {s.daysLeft !== null && (s.daysLeft >= 0 ? fmt(c.daysLeft, { n: s.daysLeft }) : fmt(c.daysPast, { n: -s.daysLeft }))}
        </p>
        {p.provisional && (
          <div class="flash err" id="provisional">
            {fmt(c.provisional, { year: p.year })}
          </div>
        )}
        {p.officialByHand && <p class="small muted">{fmt(c.officialByHand, { year: p.year })}</p>}
        <div class="legend">
          {legend.map(([k, color]) => (
            <span>
              <b style={`background:${color}`} />
              {c.legend[k as keyof typeof c.legend]}
            </span>
          ))}
          <span>
            <b style="outline:1px dashed #c25f00" />
            {c.legend.provisional}
          </span>
          <span>• {c.legend.edited}</span>
        </div>
      </section>
      <div class="months">
        {months.map((m) => (
          <Month m={m} days={p.days.filter((d) => Number(d.date.slice(5, 7)) === m)} today={p.today} c={c} />
        ))}
      </div>
      <section class="card" id="sources">
        <h2>{c.sources}</h2>
        <table class="stack">
          <thead>
            <tr>
              {Object.values(c.sourceCols).map((h) => (
                <th>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {s.sources.map((x) => (
              <SourceRow s={x} c={c} labels={p.labels} />
            ))}
          </tbody>
        </table>
      </section>
      {p.mayEdit ? <EditForms p={p} c={c} /> : <p class="small muted card">{c.readOnly}</p>}
      <AuditTrail p={p} c={c} />
    </Layout>
  );
}
