-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "nextFollowUpAt" DATETIME;

-- CreateIndex
CREATE INDEX "Ticket_nextFollowUpAt_idx" ON "Ticket"("nextFollowUpAt");

-- CreateTable
CREATE TABLE "FollowUpRules" (
    "fingerprint" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL
);

-- A changed ticket is looked at again by the next tick, which recomputes its follow-up time
-- (src/scheduler/follow-up-times.ts). 1970-01-01 = "now, whatever the clock"; NULL = nothing to follow up.
-- Triggers catch every writer (use cases, calendar recompute, raw SQL), so no path can leave a stale time.
CREATE TRIGGER "Ticket_nextFollowUpAt_insert" AFTER INSERT ON "Ticket"
WHEN NEW."status" IN ('open', 'in_progress', 'resolved')
BEGIN
  UPDATE "Ticket" SET "nextFollowUpAt" = '1970-01-01T00:00:00.000+00:00' WHERE "id" = NEW."id";
END;

CREATE TRIGGER "Ticket_nextFollowUpAt_update" AFTER UPDATE OF "status", "priority", "receivedAt", "responseDueAt", "resolutionDueAt", "firstResponseAt", "lastProgressAt", "resolvedAt", "blockedAt", "waitingSince" ON "Ticket"
BEGIN
  UPDATE "Ticket" SET "nextFollowUpAt" = CASE WHEN NEW."status" IN ('open', 'in_progress', 'resolved') THEN '1970-01-01T00:00:00.000+00:00' END WHERE "id" = NEW."id";
END;

-- A notice claimed (sent) or removed changes what is left to send.
CREATE TRIGGER "Notice_nextFollowUpAt_insert" AFTER INSERT ON "Notice"
WHEN NEW."ticketId" IS NOT NULL
BEGIN
  UPDATE "Ticket" SET "nextFollowUpAt" = '1970-01-01T00:00:00.000+00:00' WHERE "id" = NEW."ticketId" AND "status" IN ('open', 'in_progress', 'resolved');
END;

CREATE TRIGGER "Notice_nextFollowUpAt_delete" AFTER DELETE ON "Notice"
WHEN OLD."ticketId" IS NOT NULL
BEGIN
  UPDATE "Ticket" SET "nextFollowUpAt" = '1970-01-01T00:00:00.000+00:00' WHERE "id" = OLD."ticketId" AND "status" IN ('open', 'in_progress', 'resolved');
END;

-- Existing tickets: every one still followed up is looked at by the first tick after the upgrade.
UPDATE "Ticket" SET "nextFollowUpAt" = '1970-01-01T00:00:00.000+00:00' WHERE "status" IN ('open', 'in_progress', 'resolved');
