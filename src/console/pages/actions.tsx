// The ticket's actions as forms, the same set the card offers for the viewer's roles. Each posts to
// /console/tickets/:number/actions/:action with the CSRF token and the version the page showed.
import type { Child } from "hono/jsx";
import type { WorkflowConfig } from "../../config/schema.js";
import { can, type TicketAction } from "../../core/state-machine.js";
import { PRIORITIES, type Role, type Status } from "../../core/types.js";
import type { TicketRow } from "../../store/tickets.js";
import { CSRF_FIELD } from "../csrf.js";
import type { Texts } from "../i18n.js";
import type { Labels } from "../labels.js";
import { CONSOLE_BASE } from "../settings.js";

export interface ActionsProps {
  ticket: TicketRow;
  roles: ReadonlySet<Role>;
  csrf: string;
  tx: Texts;
  labels: Labels;
  cfg: WorkflowConfig;
}

/** Shown at once; the rest sit under "more". */
const PRIMARY: TicketAction[] = ["claim", "progress", "resolve", "confirm", "reopen"];

export function availableActions(t: Pick<TicketRow, "status" | "satisfaction" | "blockedAt" | "waitingSince">, roles: ReadonlySet<Role>): TicketAction[] {
  const status = t.status as Status;
  const order: TicketAction[] = ["claim", "progress", "resolve", "confirm", "reopen", "unblock", "resume", "plan", "note", "block", "wait", "priority", "category", "reassign", "collaborate", "rate", "merge", "reject", "close"];
  // Blocked (受阻) is a flag beside the status: offer whichever of block / unblock applies now.
  // So is waiting (待客户反馈 / 待第三方): wait or resume.
  const offTheFlag = (a: TicketAction) =>
    (a === "block" && t.blockedAt) || (a === "unblock" && !t.blockedAt) || (a === "wait" && t.waitingSince) || (a === "resume" && !t.waitingSince);
  return order.filter((a) => can(status, a, roles) && !offTheFlag(a) && !(a === "rate" && (status !== "closed" || t.satisfaction)));
}

interface TextForm {
  label: string;
  placeholder: string;
  required?: boolean;
  rows?: number;
  style?: "primary" | "danger";
  confirm?: string;
}

/** The actions whose form is one text box. */
function textForms(tx: Texts, t: TicketRow): Partial<Record<TicketAction, TextForm>> {
  const { t: ct, m } = tx;
  return {
    progress: { label: m.form.progressLabel, placeholder: m.form.progressPlaceholder, required: true, style: "primary" },
    plan: { label: m.field.plan, placeholder: ct.detail.planPlaceholder, required: true },
    note: { label: m.action.note, placeholder: ct.detail.notePlaceholder, required: true, rows: 2 },
    resolve: { label: m.form.resultLabel, placeholder: m.form.resultPlaceholder, required: true, style: "primary" },
    reopen: { label: m.form.reasonLabel, placeholder: m.form.reasonPlaceholder, rows: 2, style: "danger" },
    reject: { label: m.form.reasonLabel, placeholder: m.form.reasonPlaceholder, rows: 2, style: "danger", confirm: `${t.number} → ${m.status.rejected}` },
    block: { label: m.form.blockedLabel, placeholder: m.form.blockedPlaceholder, required: true, rows: 2, style: "danger" },
  };
}

export function Actions(p: ActionsProps) {
  const { t: ct, m } = p.tx;
  const t = p.ticket;
  const all = availableActions(t, p.roles);
  if (!all.length) return <p class="muted">{ct.detail.noActions}</p>;
  const label = (a: TicketAction) => (m.action as Record<string, string>)[a] ?? a;

  const Form = (f: { action: TicketAction; children?: Child; style?: "primary" | "danger"; confirm?: string; inline?: boolean }) => (
    <form method="post" action={`${CONSOLE_BASE}/tickets/${t.number}/actions/${f.action}`} data-action={f.action} data-confirm={f.confirm}>
      <input type="hidden" name={CSRF_FIELD} value={p.csrf} />
      <input type="hidden" name="v" value={String(t.version)} />
      <div class={f.inline ? "inline" : ""}>
        {f.children && <div>{f.children}</div>}
        <div style={f.inline ? "" : "margin-top:6px"}>
          <button class={`btn ${f.style ?? ""}`} type="submit">
            {label(f.action)}
          </button>
        </div>
      </div>
    </form>
  );
  const Text = (x: { name: string; label: string; placeholder?: string; required?: boolean; rows?: number }) => (
    <>
      <label>{x.label}</label>
      <textarea name={x.name} placeholder={x.placeholder} required={x.required} maxlength={5000} rows={x.rows ?? 3} />
    </>
  );
  const people = p.cfg.people.map((x) => ({ value: x.id, label: x.name }));
  const scores = [5, 4, 3, 2, 1].map((s) => ({ value: String(s), label: `${s} ${(m.satisfaction as Record<number, string>)[s]}` }));
  const Options = (x: { options: { value: string; label: string }[]; selected?: string }) => (
    <>
      {x.options.map((o) => (
        <option value={o.value} selected={o.value === x.selected}>
          {o.label}
        </option>
      ))}
    </>
  );

  const render = (a: TicketAction) => {
    switch (a) {
      case "claim":
        return <Form action="claim" style="primary" />;
      case "confirm":
      case "rate":
        return (
          <Form action={a} style={a === "confirm" ? "primary" : undefined}>
            <label>{m.form.ratingLabel}</label>
            <select name="score" required={a === "rate"}>
              {a === "confirm" && <option value="">{m.form.ratingPlaceholder}</option>}
              <Options options={scores} />
            </select>
            <label style="margin-top:6px">{m.form.commentLabel}</label>
            <input type="text" name="comment" maxlength={500} placeholder={m.form.commentPlaceholder} />
          </Form>
        );
      case "priority":
        return (
          <Form action="priority" inline>
            <label>{m.field.priority}</label>
            <select name="priority">
              <Options options={PRIORITIES.map((x) => ({ value: x, label: p.labels.priority(x) }))} selected={t.priority} />
            </select>
          </Form>
        );
      case "category":
        return (
          <Form action="category" inline>
            <label>{m.field.category}</label>
            <select name="category">
              <Options
                selected={t.subCategory ? `${t.category}/${t.subCategory}` : t.category}
                options={p.cfg.categories.flatMap((c) => [
                  { value: c.id, label: p.labels.category(c.id) },
                  ...c.subCategories.map((s) => ({ value: `${c.id}/${s.id}`, label: p.labels.category(c.id, s.id) })),
                ])}
              />
            </select>
          </Form>
        );
      case "reassign":
      case "collaborate":
        return (
          <Form action={a} inline>
            <label>{a === "reassign" ? m.form.reassignPlaceholder : m.action.collaborate}</label>
            <select name="target" required>
              <option value="">{ct.detail.targetPlaceholder}</option>
              <Options options={people.filter((x) => x.value !== (a === "reassign" ? t.handlerId : ""))} />
            </select>
          </Form>
        );
      case "merge":
        return (
          <Form action="merge" inline confirm={`${t.number} → ${m.status.merged}`}>
            <label>{m.action.merge}</label>
            <input type="text" name="into" required placeholder={ct.detail.intoPlaceholder} pattern="[A-Za-z]{1,6}[0-9]{11,}" />
          </Form>
        );
      case "unblock":
        return <Form action="unblock" style="primary" />;
      case "wait":
        return (
          <Form action="wait">
            <label>{m.form.waitingOnLabel}</label>
            <select name="on" required>
              <Options options={(["customer", "third_party"] as const).map((w) => ({ value: w, label: m.waiting[w]! }))} />
            </select>
            <Text name="text" label={m.form.waitingLabel} placeholder={m.form.waitingPlaceholder} required rows={2} />
          </Form>
        );
      case "resume":
        return <Form action="resume" style="primary" />;
      case "close":
        return <Form action="close" confirm={`${t.number} → ${m.status.closed}`} />;
      default: {
        const x = textForms(p.tx, t)[a];
        return x && (
          <Form action={a} style={x.style} confirm={x.confirm}>
            <Text name="text" label={x.label} placeholder={x.placeholder} required={x.required} rows={x.rows} />
          </Form>
        );
      }
    }
  };

  const primary = all.filter((a) => PRIMARY.includes(a));
  const more = all.filter((a) => !PRIMARY.includes(a));
  return (
    <div class="actions">
      {primary.map(render)}
      {more.length > 0 &&
        (primary.length ? (
          <details class="more">
            <summary>{ct.detail.more}</summary>
            {more.map(render)}
          </details>
        ) : (
          more.map(render)
        ))}
    </div>
  );
}
