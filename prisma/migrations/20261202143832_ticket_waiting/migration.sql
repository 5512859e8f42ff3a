-- Waiting on the customer or a third party (issue 18): added columns, no table redefinition, so
-- migrations landing in parallel that add other Ticket columns keep theirs.
ALTER TABLE "Ticket" ADD COLUMN "waitingSince" DATETIME;
ALTER TABLE "Ticket" ADD COLUMN "waitingOn" TEXT;
ALTER TABLE "Ticket" ADD COLUMN "waitingReason" TEXT;
ALTER TABLE "Ticket" ADD COLUMN "waitingBy" TEXT;
ALTER TABLE "Ticket" ADD COLUMN "pauses" TEXT NOT NULL DEFAULT '[]';
CREATE INDEX "Ticket_status_waitingSince_idx" ON "Ticket"("status", "waitingSince");
