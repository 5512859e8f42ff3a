// The playground on the Node server: the sandboxed bot's environment and workflow, the world, and the
// /playground routes with both platform peers, wired to the bot's context and shared clock.
import type { Hono } from "hono";
import type { AppContext } from "../app/context.js";
import type { SharedClock } from "../adapter/node/clock.js";
import { parseWorkflowConfig } from "../config/load.js";
import type { WorkflowConfig } from "../config/schema.js";
import demo from "./demo-workflow.json" with { type: "json" };
import { createDeliverer } from "./deliver.js";
import { generateCredentials, sandboxEnv, type SandboxCredentials } from "./mode.js";
import { dingtalkPeer } from "./peer/dingtalk.js";
import { feishuPeer } from "./peer/feishu.js";
import { personasOf } from "./personas.js";
import { playgroundRoutes } from "./routes.js";
import { World, type Chat } from "./world.js";

export interface Playground {
  creds: SandboxCredentials;
  /** The sandboxed bot's environment. */
  env: Record<string, string | undefined>;
  /** The workflow: the given one, CHATDESK_CONFIG's, else the demo team; DingTalk cards use the sandbox's template. */
  workflow(given: WorkflowConfig | undefined, load: (file: string | undefined) => WorkflowConfig): WorkflowConfig;
  mount(app: Hono, ctx: AppContext): void;
  close(): void;
}

export const demoWorkflow = (): WorkflowConfig => parseWorkflowConfig(demo, "src/playground/demo-workflow.json");

/** The groups people see: one per platform, plus any other chat the workflow names (department groups, digest chats). */
function configuredChats(cfg: WorkflowConfig): Chat[] {
  const out: Chat[] = [
    { id: "oc_pgfeedback000000000000000000000", platform: "feishu", kind: "group", name: "客户反馈群" },
    { id: "cidPgFeedback000000000000==", platform: "dingtalk", kind: "group", name: "客服群" },
  ];
  const add = (platform: Chat["platform"], id: string | undefined, name: string) => {
    const chat = platform === "dingtalk" ? id?.replace(/^group:/, "") : id;
    if (chat && !chat.startsWith("user:") && !out.some((c) => c.id === chat)) out.push({ id: chat, platform, kind: "group", name });
  };
  for (const d of cfg.departments) {
    add("feishu", d.chats.feishu, `${d.name}群`);
    add("dingtalk", d.chats.dingtalk, `${d.name}群`);
  }
  for (const id of cfg.digestChats.feishu) add("feishu", id, "管理群");
  for (const id of cfg.digestChats.dingtalk) add("dingtalk", id, "管理群");
  return out;
}

export function createPlayground(o: { source: Record<string, string | undefined>; origin: string; clock: SharedClock; stateFile: (dbFile: string) => string | undefined }): Playground {
  const creds = generateCredentials();
  const env = sandboxEnv(o.source, creds, o.origin);
  let world: World | undefined;
  return {
    creds,
    env,
    workflow(given, load) {
      const cfg = given ?? (env.CHATDESK_CONFIG ? load(env.CHATDESK_CONFIG) : demoWorkflow());
      return { ...cfg, dingtalk: { ...cfg.dingtalk, cardTemplateId: creds.dingtalk.cardTemplateId } };
    },
    mount(app, ctx) {
      const file = o.stateFile(String(env.DATABASE_URL));
      world = new World(file, () => configuredChats(ctx.config));
      o.clock.setOffsetMs(world.clockOffsetMs);
      const personas = () => personasOf(ctx.config);
      const now = () => o.clock.now();
      const sessions = new Map<string, { chatId: string; exp: number }>();
      const deliver = createDeliverer({ world, creds, origin: o.origin, now, personas, sessions });
      app.route(
        "/playground",
        playgroundRoutes({
          ctx,
          world,
          clock: o.clock,
          creds,
          personas,
          deliver,
          origin: o.origin,
          peers: { feishu: feishuPeer({ world, creds: creds.feishu, personas, now }), dingtalk: dingtalkPeer({ world, creds: creds.dingtalk, personas, now, sessions }) },
        }),
      );
    },
    close() {
      world?.release();
      world?.flush();
    },
  };
}
