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

/** Departments a viewer's reports cover; undefined = all (managers, admin). */
export const reportDepartments = (v: Viewer): string[] | undefined => (v.admin || v.managerOf.length ? undefined : [...new Set([...v.leadOf])]);

/** The actor recorded on the timeline for web actions; the admin token alone cannot act. */
export const actorOf = (v: Viewer): Actor | undefined => (v.person ? { platform: "web", userId: v.person.id, name: v.person.name } : undefined);

/** Roles on one ticket, as performAction will see them. */
export function rolesOn(cfg: WorkflowConfig, v: Viewer, t: Pick<TicketRow, "reporterId" | "department" | "handlerId" | "collaborators">): Set<Role> {
  const actor = actorOf(v);
  return actor ? actorRoles(cfg, actor, t) : new Set<Role>();
}

/** The customer's contact in full only for the ticket's handlers, leads and managers (and the admin). */
export function maySeeContact(cfg: WorkflowConfig, v: Viewer, t: Pick<TicketRow, "reporterId" | "department" | "handlerId" | "collaborators">): boolean {
  if (v.admin) return true;
  const roles = rolesOn(cfg, v, t);
  return roles.has("handler") || roles.has("lead") || roles.has("manager");
}
