// What every use case gets: the store, the workflow config, the calendar, a clock, senders, and
// a way to run work after a response has been sent (Node: next tick; Worker: waitUntil).
import type { WorkflowConfig } from "../config/schema.js";
import type { WorkCalendar } from "../core/calendar.js";
import type { Clock } from "../core/types.js";
import type { Logger } from "../log.js";
import type { ChatPlatform, ChatSender } from "../platform/port.js";
import type { Db } from "../store/db.js";
import type { InboundWriter } from "../store/inbound.js";
import type { TicketRow } from "../store/tickets.js";
import type { AttachmentStorage } from "./attachments/storage.js";
import type { LiveCalendar } from "./calendar/live.js";

/** Where stored work goes when it is not run on this thread (Node's processing worker). */
export interface Offload {
  /** Process the stored inbound event with this id. */
  inbound(id: string): void;
  /** Deliver these just-enqueued outbox rows. */
  outbox(ids: number[]): void;
}

export interface AppContext {
  db: Db;
  config: WorkflowConfig;
  /** Always the current calendar (a view of calendarData). */
  calendar: WorkCalendar;
  /** The calendar as run-time data (feeds, edits from the database): sync before use, see calendar/live.ts. */
  calendarData: LiveCalendar;
  now: Clock;
  log: Logger;
  senders: Partial<Record<ChatPlatform, ChatSender>>;
  /** Where downloaded attachments are kept (Node: the data folder; Worker: R2); unset, downloads fail and say so. */
  attachments?: AttachmentStorage;
  defer: (task: () => Promise<void>) => void;
  /**
   * Set on Node's HTTP thread when a worker thread processes (CHATDESK_PROCESSING=worker): stored events
   * and enqueued messages are handed to it instead of being deferred on this event loop.
   */
  offload?: Offload;
  /**
   * Set with `offload`: acknowledged events are stored on a connection of their own that never blocks
   * this event loop while the worker holds SQLite's write lock (src/adapter/node/inbox.ts).
   */
  inbox?: InboundWriter;
  /** Base URL of the web console, for links in cards. */
  publicUrl?: string;
  /**
   * Asks for an outbox run at this instant (a chat's rate window ends). Node sets it when its background
   * loop runs; the Worker leaves it unset (its cron picks such messages up).
   */
  wakeAt?: (at: Date) => void;
  /**
   * A ticket was just marked blocked: tell the department's leads now. The composition wires the
   * scheduler's notice here (use cases never import the scheduler); unset, the next tick sends it.
   */
  onBlocked?: (ticket: TicketRow) => Promise<void>;
}
