// What the sandbox platforms hold: chats (groups and each person's direct chat with the bot), the
// messages in them as the platform stores them, and DingTalk card instances. Every change bumps a
// revision, which is how the page learns what to redraw. Saved to a JSON file beside the database so a
// restart keeps the conversation the bot's tickets refer to.
import fs from "node:fs";

export type PeerPlatform = "feishu" | "dingtalk";

export interface Chat {
  /** Feishu chat_id (oc_…) or DingTalk openConversationId (cid…). */
  id: string;
  platform: PeerPlatform;
  kind: "group" | "direct";
  name: string;
  /** direct: the person's platform user id. */
  userId?: string;
}

export type Sender = { kind: "user"; userId: string; name: string } | { kind: "bot" };

export type Body =
  | { type: "text"; text: string; mentions?: { key: string; userId: string; name: string }[] }
  | { type: "image"; imageKey: string }
  | { type: "post"; text: string; imageKeys: string[]; mentions?: { key: string; userId: string; name: string }[] }
  /** Feishu interactive message: the card JSON as the bot sent (or last patched) it. */
  | { type: "feishu_card"; card: Record<string, unknown> }
  /** DingTalk robot message: msgKey + msgParam (OpenAPI) or the session-webhook body. */
  | { type: "dingtalk_robot"; msgKey: string; param: Record<string, unknown> }
  /** DingTalk interactive card instance: public data, and each user's private data. */
  | {
      type: "dingtalk_card";
      outTrackId: string;
      templateId: string;
      data: Record<string, string>;
      privateData: Record<string, Record<string, string>>;
      /** Where clicks go: HTTP (a registered callback route key) or STREAM. */
      callbackType: string;
      routeKey?: string;
      /** imGroupOpenDeliverModel.atUserIds: userId → name. */
      atUserIds?: Record<string, string>;
    };

export interface Exchange {
  at: string;
  /** What went over the wire: an API call the bot made, or an event/callback the sandbox sent. */
  direction: "bot→platform" | "platform→bot";
  what: string;
  request: unknown;
  response?: unknown;
  status?: number;
}

export interface Message {
  id: string;
  chatId: string;
  platform: PeerPlatform;
  sender: Sender;
  /** Platform time (the playground clock) as ISO. */
  at: string;
  body: Body;
  rootId?: string;
  parentId?: string;
  /** Users buzzed with an urgent (加急) notification for this message. */
  urgent?: string[];
  /** Times the bot changed it in place. */
  updates: number;
  exchanges: Exchange[];
  rev: number;
}

export interface Registration {
  callbackRouteKey: string;
  callbackUrl: string;
  apiSecret: string;
}

export interface WorldState {
  chats: Chat[];
  messages: Message[];
  images: Record<string, { type: string; base64: string }>;
  callbacks: Registration[];
  clockOffsetMs: number;
  seq: number;
}

const MAX_MESSAGES = 2_000;
const MAX_EXCHANGES = 20;
const MAX_IMAGES = 200;

export class World {
  private state: WorldState;
  private rev = 1;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private waiters = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly file: string | undefined,
    private readonly initialChats: () => Chat[],
  ) {
    this.state = this.load() ?? this.empty();
  }

  private empty(): WorldState {
    return { chats: this.initialChats(), messages: [], images: {}, callbacks: [], clockOffsetMs: 0, seq: 0 };
  }

  private load(): WorldState | undefined {
    if (!this.file || !fs.existsSync(this.file)) return undefined;
    try {
      const s = JSON.parse(fs.readFileSync(this.file, "utf8")) as WorldState;
      if (!Array.isArray(s.chats) || !Array.isArray(s.messages)) return undefined;
      // Chats the config names now but did not then (a changed workflow file) are added.
      for (const c of this.initialChats()) if (!s.chats.some((x) => x.id === c.id)) s.chats.push(c);
      s.callbacks = []; // re-registered by the bot on every start
      return s;
    } catch {
      return undefined;
    }
  }

  /** Write soon (coalesced); a crash loses at most the last half second of sandbox chatter. */
  private touch(): void {
    this.rev++;
    for (const w of this.waiters) w();
    this.waiters.clear();
    if (!this.file || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.flush();
    }, 500);
    this.saveTimer.unref?.();
  }

  /** Answer every waiting long poll now (shutdown: they must not hold the server open). */
  release(): void {
    this.closed = true;
    for (const w of [...this.waiters]) w();
    this.waiters.clear();
  }

  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.file) return;
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.state));
    fs.renameSync(tmp, this.file);
  }

  get revision(): number {
    return this.rev;
  }

  /** Resolves at the next change, or after `ms`. */
  changed(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.waiters.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  nextId(prefix: string): string {
    this.state.seq++;
    return `${prefix}${Date.now().toString(36)}${this.state.seq.toString(36).padStart(4, "0")}`;
  }

  get clockOffsetMs(): number {
    return this.state.clockOffsetMs;
  }
  set clockOffsetMs(ms: number) {
    this.state.clockOffsetMs = ms;
    this.touch();
  }

  chats(): Chat[] {
    return this.state.chats;
  }
  chat(id: string): Chat | undefined {
    return this.state.chats.find((c) => c.id === id);
  }
  addChat(chat: Chat): Chat {
    this.state.chats.push(chat);
    this.touch();
    return chat;
  }
  /** A person's direct chat with the bot, opened on first use as on the platforms. */
  directChat(platform: PeerPlatform, userId: string, name: string): Chat {
    const found = this.state.chats.find((c) => c.platform === platform && c.kind === "direct" && c.userId === userId);
    if (found) return found;
    const id = platform === "feishu" ? this.nextId("oc_p2p") : this.nextId("cidP2p");
    return this.addChat({ id, platform, kind: "direct", name, userId });
  }

  messages(chatId?: string): Message[] {
    return chatId ? this.state.messages.filter((m) => m.chatId === chatId) : this.state.messages;
  }
  message(id: string): Message | undefined {
    return this.state.messages.find((m) => m.id === id);
  }
  cardByTrackId(outTrackId: string): Message | undefined {
    return this.state.messages.find((m) => m.body.type === "dingtalk_card" && m.body.outTrackId === outTrackId);
  }

  addMessage(m: Omit<Message, "rev" | "updates" | "exchanges"> & { exchanges?: Exchange[] }): Message {
    const msg: Message = { updates: 0, ...m, exchanges: m.exchanges ?? [], rev: this.rev + 1 };
    this.state.messages.push(msg);
    if (this.state.messages.length > MAX_MESSAGES) this.state.messages.splice(0, this.state.messages.length - MAX_MESSAGES);
    this.touch();
    return msg;
  }

  /** Change a message in place (a patch, an urgent, an exchange recorded). */
  update(msg: Message, change: (m: Message) => void): void {
    change(msg);
    msg.rev = this.rev + 1;
    this.touch();
  }

  record(msg: Message, ex: Exchange): void {
    this.update(msg, (m) => {
      m.exchanges.push(ex);
      if (m.exchanges.length > MAX_EXCHANGES) m.exchanges.splice(0, m.exchanges.length - MAX_EXCHANGES);
    });
  }

  putImage(key: string, type: string, base64: string): void {
    this.state.images[key] = { type, base64 };
    const keys = Object.keys(this.state.images);
    if (keys.length > MAX_IMAGES) for (const k of keys.slice(0, keys.length - MAX_IMAGES)) delete this.state.images[k];
    this.touch();
  }
  image(key: string): { type: string; base64: string } | undefined {
    return this.state.images[key];
  }

  register(r: Registration): void {
    this.state.callbacks = [...this.state.callbacks.filter((x) => x.callbackRouteKey !== r.callbackRouteKey), r];
    this.touch();
  }
  registration(routeKey: string): Registration | undefined {
    return this.state.callbacks.find((r) => r.callbackRouteKey === routeKey);
  }

  /** Back to the configured groups, no messages, real time; callback registrations survive (the bot made them at start). */
  reset(): void {
    const callbacks = this.state.callbacks;
    this.state = { ...this.empty(), callbacks };
    this.touch();
    this.flush();
  }
}
