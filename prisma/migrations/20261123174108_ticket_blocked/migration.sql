-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "blockedAt" DATETIME;
ALTER TABLE "Ticket" ADD COLUMN "blockedBy" TEXT;
ALTER TABLE "Ticket" ADD COLUMN "blockedReason" TEXT;

-- CreateIndex
CREATE INDEX "Ticket_status_blockedAt_idx" ON "Ticket"("status", "blockedAt");
