// Errors carry a stable code so adapters can map them to toasts, HTTP statuses and logs.

export type ErrorCode =
  | "ILLEGAL_TRANSITION"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "INVALID_INPUT"
  | "CONFIG_INVALID"
  | "SIGNATURE_INVALID"
  | "TOKEN_INVALID"
  | "TIMESTAMP_STALE"
  | "PAYLOAD_INVALID"
  | "PLATFORM_ERROR"
  | "UNSUPPORTED";

export class ChatDeskError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ChatDeskError";
  }
}

export const isChatDeskError = (e: unknown): e is ChatDeskError => e instanceof ChatDeskError;
