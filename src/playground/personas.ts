// Who can speak in the sandbox: the people of the workflow file, with the roles the departments give
// them, plus one stranger the workflow does not know (to see what ChatDesk refuses).
import type { WorkflowConfig } from "../config/schema.js";
import type { PeerPlatform } from "./world.js";

export type PersonaRole = "handler" | "lead" | "manager";

export interface Persona {
  id: string;
  name: string;
  feishu?: string;
  dingtalk?: string;
  roles: PersonaRole[];
  /** Department names the roles are for. */
  departments: string[];
  stranger?: boolean;
}

export const STRANGER: Persona = { id: "~stranger", name: "路人甲", feishu: "ou_pgstranger0000000000000000000", dingtalk: "pgstranger01", roles: [], departments: [], stranger: true };

export function personasOf(cfg: WorkflowConfig): Persona[] {
  const out: Persona[] = cfg.people.map((p) => {
    const roles = new Set<PersonaRole>();
    const departments = new Set<string>();
    for (const d of cfg.departments) {
      for (const [key, role] of [["handlers", "handler"], ["leads", "lead"], ["managers", "manager"]] as const) {
        if (d[key].includes(p.id)) {
          roles.add(role);
          departments.add(d.name);
        }
      }
    }
    return { id: p.id, name: p.name, feishu: p.feishu, dingtalk: p.dingtalk, roles: [...roles], departments: [...departments] };
  });
  return [...out, STRANGER];
}

export const userIdOn = (p: Persona, platform: PeerPlatform): string | undefined => (platform === "feishu" ? p.feishu : p.dingtalk);

export function personaByUserId(personas: Persona[], platform: PeerPlatform, userId: string): Persona | undefined {
  return personas.find((p) => userIdOn(p, platform) === userId);
}
