// Roles of an actor on a ticket: the core rule plus the system actor and web sign-ins.
import { personByPlatformId, rolesOf } from "../core/routing.js";
import type { Actor, Role } from "../core/types.js";
import type { WorkflowConfig } from "../config/schema.js";
import type { TicketRow } from "../store/tickets.js";

export function actorRoles(cfg: WorkflowConfig, actor: Actor, t: Pick<TicketRow, "reporterId" | "department" | "handlerId" | "collaborators">): Set<Role> {
  if (actor.platform === "system") return new Set<Role>(["system"]);
  return rolesOf(cfg, actor.platform, actor.userId, {
    reporterId: t.reporterId,
    department: t.department,
    handlerId: t.handlerId,
    collaborators: parseList(t.collaborators),
  });
}

/** The id we store as handler: the configured person's id, else the platform-qualified user id. */
export function handlerIdOf(cfg: WorkflowConfig, actor: Actor): string {
  if (actor.platform === "system") return actor.userId;
  return personByPlatformId(cfg, actor.platform, actor.userId)?.id ?? `${actor.platform}:${actor.userId}`;
}

export const parseList = (json: string): string[] => {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};
