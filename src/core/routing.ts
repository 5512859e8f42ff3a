// Routing (category [+ sub-category] → department → handler pool) and who-is-who for permissions.
import type { AssignStrategy, Department, Person, WorkflowRules } from "./workflow.js";
import { ChatDeskError } from "./errors.js";
import type { Platform, Role } from "./types.js";

export type { AssignStrategy };

export interface PoolState {
  /** Round-robin position; any integer, taken modulo the pool size. */
  cursor: number;
  /** Open tickets per handler (person id); missing means 0. */
  openLoad: Record<string, number>;
  /** Handlers who may take a ticket now (on duty, not on leave); absent = the whole pool. */
  available?: readonly string[];
  /** Open-ticket limit per handler; a handler at the limit is skipped. */
  capacity?: Record<string, number | undefined>;
}

/** Why nobody was picked: the pool is empty, nobody of it is on duty, or everyone on duty is at the limit. */
export type NoPick = "no_pool" | "nobody_on_duty" | "at_capacity";

/** The department responsible for a category; a sub-category's own department wins over its category's. */
export function departmentFor(cfg: WorkflowRules, category: string, subCategory?: string): Department {
  // A ticket may carry a category removed from the config since; it still has to land somewhere.
  const cat = cfg.categories.find((c) => c.id === category) ?? cfg.categories.find((c) => c.id === cfg.defaultCategory);
  if (!cat) throw new ChatDeskError("CONFIG_INVALID", `no category "${category}" and no default category "${cfg.defaultCategory}"`);
  const sub = subCategory ? cat.subCategories.find((s) => s.id === subCategory) : undefined;
  const deptId = sub?.department ?? cat.department;
  const dept = cfg.departments.find((d) => d.id === deptId);
  if (!dept) throw new ChatDeskError("CONFIG_INVALID", `category "${cat.id}" routes to unknown department "${deptId}"`);
  return dept;
}

/**
 * Choose a handler from the department's pool. An empty pool yields no handler: the ticket stays
 * unassigned in the department and a lead assigns it.
 */
export function pickHandler(dept: Department, strategy: AssignStrategy, state: PoolState): { handlerId?: string; nextCursor: number; none?: NoPick } {
  if (dept.handlers.length === 0) return { nextCursor: state.cursor, none: "no_pool" };
  const onDuty = state.available ? dept.handlers.filter((h) => state.available!.includes(h)) : dept.handlers;
  if (onDuty.length === 0) return { nextCursor: state.cursor, none: "nobody_on_duty" };
  const limit = (h: string) => state.capacity?.[h];
  const pool = onDuty.filter((h) => limit(h) === undefined || (state.openLoad[h] ?? 0) < limit(h)!);
  if (pool.length === 0) return { nextCursor: state.cursor, none: "at_capacity" };
  if (strategy === "least_loaded") {
    let best = pool[0]!;
    let bestLoad = state.openLoad[best] ?? 0;
    for (const h of pool.slice(1)) {
      const load = state.openLoad[h] ?? 0;
      if (load < bestLoad) {
        best = h;
        bestLoad = load;
      }
    }
    // The cursor belongs to round-robin; least-loaded leaves it alone.
    return { handlerId: best, nextCursor: state.cursor };
  }
  const n = pool.length;
  const i = ((Math.trunc(state.cursor) % n) + n) % n; // cursors from a shrunk pool or negative values stay in range
  return { handlerId: pool[i]!, nextCursor: (i + 1) % n };
}

/** The configured person behind a platform user id; on "web" the user id is the person id. */
export function personByPlatformId(cfg: WorkflowRules, platform: Platform, userId: string): Person | undefined {
  if (!userId) return undefined;
  if (platform === "web") return cfg.people.find((p) => p.id === userId);
  return cfg.people.find((p) => p[platform] === userId);
}

/** A person's user id on a platform (undefined when not configured); on "web" it is the person id. */
export function platformIdOf(cfg: WorkflowRules, personId: string, platform: Platform): string | undefined {
  const person = cfg.people.find((p) => p.id === personId);
  if (!person) return undefined;
  return platform === "web" ? person.id : person[platform];
}

export interface TicketRoleView {
  reporterId: string;
  department: string;
  handlerId?: string | null;
  collaborators: string[];
}

/**
 * Roles of a platform user relative to one ticket.
 * - reporter: the user who reported it;
 * - handler: in the ticket department's handler pool, the assigned handler, or a collaborator;
 * - lead: a lead of the ticket's own department (a lead elsewhere gets no say here), or any manager;
 * - manager: a manager of any department (department heads / service director see across departments).
 * handlerId and collaborators may hold person ids or platform user ids; both are accepted.
 */
export function rolesOf(cfg: WorkflowRules, platform: Platform, userId: string, ticket: TicketRoleView): Set<Role> {
  const roles = new Set<Role>();
  if (!userId) return roles;
  if (userId === ticket.reporterId) roles.add("reporter");

  const person = personByPlatformId(cfg, platform, userId);
  // A handler or collaborator outside the workflow file is stored platform-qualified ("feishu:ou_…", app/roles.ts handlerIdOf).
  const ids = new Set([userId, `${platform}:${userId}`, ...(person ? [person.id] : [])]);
  const dept = cfg.departments.find((d) => d.id === ticket.department);

  if ((ticket.handlerId && ids.has(ticket.handlerId)) || ticket.collaborators.some((c) => ids.has(c))) roles.add("handler");
  if (!person) return roles;

  if (dept?.handlers.includes(person.id)) roles.add("handler");
  if (dept?.leads.includes(person.id)) roles.add("lead");
  if (cfg.departments.some((d) => d.managers.includes(person.id))) {
    roles.add("manager");
    roles.add("lead");
  }
  return roles;
}
