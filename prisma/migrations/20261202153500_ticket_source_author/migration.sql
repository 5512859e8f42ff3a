-- Ticket from an existing message (docs/intake.md): who wrote it, when that is not the reporter.
ALTER TABLE "Ticket" ADD COLUMN "sourceUserId" TEXT;
ALTER TABLE "Ticket" ADD COLUMN "sourceUserName" TEXT;
