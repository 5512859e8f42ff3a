// Who is looking: the signed-in person with their roles from the config (re-read on every request, so
// a config change applies at once), or the admin token's super-user.
import type { Person, WorkflowConfig } from "../config/schema.js";
import type { Actor, Locale, Role } from "../core/types.js";
import { actorRoles } from "../app/roles.js";
import type { TicketRow } from "../store/tickets.js";
import type { Session } from "./session.js";

export interface Viewer {
  session: Session;
  person?: Person;
  name: string;
  admin: boolean;
  managerOf: string[];
  leadOf: string[];
  handlerOf: string[];
  locale: Locale;
}

export function viewerOf(cfg: WorkflowConfig, session: Session): Viewer | undefined {
  // The admin token is read-only whatever a session says: it is never also a person who could act.
  if (session.admin && session.personId) return undefined;
  const person = session.personId ? cfg.people.find((p) => p.id === session.personId) : undefined;
  if (session.personId && !person) return undefined; // removed from the config since signing in
  if (!person && !session.admin) return undefined;
  const of = (key: "managers" | "leads" | "handlers") => (person ? cfg.departments.filter((d) => d[key].includes(person.id)).map((d) => d.id) : []);
  return {
    session,
    person,
    name: person?.name ?? session.name,
    admin: session.admin,
    managerOf: of("managers"),
    leadOf: of("leads"),
    handlerOf: of("handlers"),
    locale: person?.locale ?? cfg.locale,
  };
}

/** Staff with a role somewhere may use the console; everyone else is turned away (403). */
export const mayUseConsole = (v: Viewer) => v.admin || v.managerOf.length > 0 || v.leadOf.length > 0 || v.handlerOf.length > 0;

/** Reports are for leads and managers. */
export const mayViewReports = (v: Viewer) => v.admin || v.managerOf.length > 0 || v.leadOf.length > 0;

/** Departments a viewer's reports cover; undefined = all (managers, admin, or a lead of every department). */
export function reportDepartments(cfg: WorkflowConfig, v: Viewer): string[] | undefined {
  if (v.admin || v.managerOf.length) return undefined;
  const mine = new Set(v.leadOf);
  return cfg.departments.every((d) => mine.has(d.id)) ? undefined : [...mine];
}

/**
 * The actor recorded for a web action on a ticket: the person as the ticket's platform knows them
 * (so reporter rights and timeline ids match what the card would record), else by person id. The
 * admin token alone is no one and cannot act.
 */
export function actorFor(v: Viewer, t: Pick<TicketRow, "platform">): Actor | undefined {
  const p = v.person;
  if (!p) return undefined;
  const onPlatform = t.platform === "feishu" || t.platform === "dingtalk" ? p[t.platform] : undefined;
  return onPlatform ? { platform: t.platform as "feishu" | "dingtalk", userId: onPlatform, name: p.name } : { platform: "web", userId: p.id, name: p.name };
}

type RoleView = Pick<TicketRow, "platform" | "reporterId" | "department" | "handlerId" | "collaborators">;

/** Roles on one ticket, as performAction will see them; undefined for the admin token alone. */
export function rolesOn(cfg: WorkflowConfig, v: Viewer, t: RoleView): Set<Role> | undefined {
  const actor = actorFor(v, t);
  return actor ? actorRoles(cfg, actor, t) : undefined;
}

/** The customer's contact in full only for the ticket's handlers, leads and managers (and the admin). */
export function maySeeContact(cfg: WorkflowConfig, v: Viewer, t: RoleView): boolean {
  if (v.admin) return true;
  const roles = rolesOn(cfg, v, t);
  return !!roles && (roles.has("handler") || roles.has("lead") || roles.has("manager"));
}
