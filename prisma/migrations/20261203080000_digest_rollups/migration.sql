-- Digest rollups (src/store/rollups.ts): per-day counts and sums of the tickets, so a month's digest reads
-- a few thousand small rows instead of every ticket. Kept in step with "Ticket" by the triggers below (every
-- writer: use cases, scheduler, raw SQL), in plain SQLite that D1 runs too; filled from the stored tickets
-- at the end. Not Prisma models (prisma/tools/migrate.mjs lists them as external): only these triggers
-- write them, only raw SQL aggregates read them.
--
-- "day" is the date at UTC+8 (China Standard Time, the default calendar.timeZone): a report range is read
-- from the rollups for the whole such days it contains and from "Ticket" for the rest, so any zone gets
-- exact figures; ranges of Chinese local days are read from the rollups alone.
-- Durations are whole milliseconds (integer sums: no floating drift as triggers add and subtract).

-- Tickets by the day they were received, department and status.
CREATE TABLE "RollupDay" (
    "day" TEXT NOT NULL, "department" TEXT NOT NULL, "status" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,
    "answered" INTEGER NOT NULL DEFAULT 0, "answeredOnTime" INTEGER NOT NULL DEFAULT 0,
    "resolved" INTEGER NOT NULL DEFAULT 0, "resolvedOnTime" INTEGER NOT NULL DEFAULT 0,
    "responseMs" INTEGER NOT NULL DEFAULT 0, "resolutionMs" INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY ("day", "department", "status")
) WITHOUT ROWID;

-- Received tickets counted by one more column ("dim": category with sub-category in "sub", channel,
-- priority, customerTier, platform, handlerId; NULL stored as ''), with how many of them are active.
CREATE TABLE "RollupCount" (
    "day" TEXT NOT NULL, "department" TEXT NOT NULL, "dim" TEXT NOT NULL, "key" TEXT NOT NULL, "sub" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0, "active" INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY ("day", "department", "dim", "key", "sub")
) WITHOUT ROWID;

-- Minutes from receipt to the first response / the resolution, in buckets of 3 significant digits ("lo" is
-- the bucket's lower edge: 0…999 exact minutes, then 1000, 1010, …): the p90 to within 1%.
CREATE TABLE "RollupHistogram" (
    "day" TEXT NOT NULL, "department" TEXT NOT NULL, "kind" TEXT NOT NULL, "lo" INTEGER NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY ("day", "department", "kind", "lo")
) WITHOUT ROWID;

-- Tickets still owing a response / a resolution (not rejected or merged), by the day that deadline falls
-- on: whether they count as due depends on the reader's "now".
CREATE TABLE "RollupPending" (
    "day" TEXT NOT NULL, "department" TEXT NOT NULL, "kind" TEXT NOT NULL, "dueDay" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY ("day", "department", "kind", "dueDay")
) WITHOUT ROWID;

-- Tickets by the day they were resolved, department and handler ('' = none), with their satisfaction.
CREATE TABLE "RollupSolved" (
    "day" TEXT NOT NULL, "department" TEXT NOT NULL, "handlerId" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0, "satisfactionSum" INTEGER NOT NULL DEFAULT 0, "satisfactionCount" INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY ("day", "department", "handlerId")
) WITHOUT ROWID;

CREATE TRIGGER "Ticket_rollupDay_insert" AFTER INSERT ON "Ticket"
BEGIN
  INSERT INTO "RollupDay" ("day", "department", "status", "n", "answered", "answeredOnTime", "resolved", "resolvedOnTime", "responseMs", "resolutionMs")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", NEW."status", 1, 1 * (CASE WHEN NEW."firstResponseAt" IS NOT NULL THEN 1 ELSE 0 END), 1 * (CASE WHEN NEW."firstResponseAt" IS NOT NULL AND NEW."firstResponseAt" <= NEW."responseDueAt" THEN 1 ELSE 0 END), 1 * (CASE WHEN NEW."resolvedAt" IS NOT NULL THEN 1 ELSE 0 END), 1 * (CASE WHEN NEW."resolvedAt" IS NOT NULL AND NEW."resolvedAt" <= NEW."resolutionDueAt" THEN 1 ELSE 0 END), 1 * coalesce(CAST(round((julianday(NEW."firstResponseAt") - julianday(NEW."receivedAt")) * 86400000) AS INTEGER), 0), 1 * coalesce(CAST(round((julianday(NEW."resolvedAt") - julianday(NEW."receivedAt")) * 86400000) AS INTEGER), 0) WHERE true
    ON CONFLICT ("day", "department", "status") DO UPDATE SET "n" = "n" + excluded."n", "answered" = "answered" + excluded."answered", "answeredOnTime" = "answeredOnTime" + excluded."answeredOnTime",
    "resolved" = "resolved" + excluded."resolved", "resolvedOnTime" = "resolvedOnTime" + excluded."resolvedOnTime",
    "responseMs" = "responseMs" + excluded."responseMs", "resolutionMs" = "resolutionMs" + excluded."resolutionMs";
END;

CREATE TRIGGER "Ticket_rollupDay_delete" AFTER DELETE ON "Ticket"
BEGIN
  INSERT INTO "RollupDay" ("day", "department", "status", "n", "answered", "answeredOnTime", "resolved", "resolvedOnTime", "responseMs", "resolutionMs")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", OLD."status", -1, -1 * (CASE WHEN OLD."firstResponseAt" IS NOT NULL THEN 1 ELSE 0 END), -1 * (CASE WHEN OLD."firstResponseAt" IS NOT NULL AND OLD."firstResponseAt" <= OLD."responseDueAt" THEN 1 ELSE 0 END), -1 * (CASE WHEN OLD."resolvedAt" IS NOT NULL THEN 1 ELSE 0 END), -1 * (CASE WHEN OLD."resolvedAt" IS NOT NULL AND OLD."resolvedAt" <= OLD."resolutionDueAt" THEN 1 ELSE 0 END), -1 * coalesce(CAST(round((julianday(OLD."firstResponseAt") - julianday(OLD."receivedAt")) * 86400000) AS INTEGER), 0), -1 * coalesce(CAST(round((julianday(OLD."resolvedAt") - julianday(OLD."receivedAt")) * 86400000) AS INTEGER), 0) WHERE true
    ON CONFLICT ("day", "department", "status") DO UPDATE SET "n" = "n" + excluded."n", "answered" = "answered" + excluded."answered", "answeredOnTime" = "answeredOnTime" + excluded."answeredOnTime",
    "resolved" = "resolved" + excluded."resolved", "resolvedOnTime" = "resolvedOnTime" + excluded."resolvedOnTime",
    "responseMs" = "responseMs" + excluded."responseMs", "resolutionMs" = "resolutionMs" + excluded."resolutionMs";
END;

CREATE TRIGGER "Ticket_rollupDay_update" AFTER UPDATE OF "receivedAt", "department", "status", "firstResponseAt", "responseDueAt", "resolvedAt", "resolutionDueAt" ON "Ticket"
WHEN OLD."receivedAt" IS NOT NEW."receivedAt" OR OLD."department" IS NOT NEW."department" OR OLD."status" IS NOT NEW."status" OR OLD."firstResponseAt" IS NOT NEW."firstResponseAt" OR OLD."responseDueAt" IS NOT NEW."responseDueAt" OR OLD."resolvedAt" IS NOT NEW."resolvedAt" OR OLD."resolutionDueAt" IS NOT NEW."resolutionDueAt"
BEGIN
  INSERT INTO "RollupDay" ("day", "department", "status", "n", "answered", "answeredOnTime", "resolved", "resolvedOnTime", "responseMs", "resolutionMs")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", OLD."status", -1, -1 * (CASE WHEN OLD."firstResponseAt" IS NOT NULL THEN 1 ELSE 0 END), -1 * (CASE WHEN OLD."firstResponseAt" IS NOT NULL AND OLD."firstResponseAt" <= OLD."responseDueAt" THEN 1 ELSE 0 END), -1 * (CASE WHEN OLD."resolvedAt" IS NOT NULL THEN 1 ELSE 0 END), -1 * (CASE WHEN OLD."resolvedAt" IS NOT NULL AND OLD."resolvedAt" <= OLD."resolutionDueAt" THEN 1 ELSE 0 END), -1 * coalesce(CAST(round((julianday(OLD."firstResponseAt") - julianday(OLD."receivedAt")) * 86400000) AS INTEGER), 0), -1 * coalesce(CAST(round((julianday(OLD."resolvedAt") - julianday(OLD."receivedAt")) * 86400000) AS INTEGER), 0) WHERE true
    ON CONFLICT ("day", "department", "status") DO UPDATE SET "n" = "n" + excluded."n", "answered" = "answered" + excluded."answered", "answeredOnTime" = "answeredOnTime" + excluded."answeredOnTime",
    "resolved" = "resolved" + excluded."resolved", "resolvedOnTime" = "resolvedOnTime" + excluded."resolvedOnTime",
    "responseMs" = "responseMs" + excluded."responseMs", "resolutionMs" = "resolutionMs" + excluded."resolutionMs";
  INSERT INTO "RollupDay" ("day", "department", "status", "n", "answered", "answeredOnTime", "resolved", "resolvedOnTime", "responseMs", "resolutionMs")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", NEW."status", 1, 1 * (CASE WHEN NEW."firstResponseAt" IS NOT NULL THEN 1 ELSE 0 END), 1 * (CASE WHEN NEW."firstResponseAt" IS NOT NULL AND NEW."firstResponseAt" <= NEW."responseDueAt" THEN 1 ELSE 0 END), 1 * (CASE WHEN NEW."resolvedAt" IS NOT NULL THEN 1 ELSE 0 END), 1 * (CASE WHEN NEW."resolvedAt" IS NOT NULL AND NEW."resolvedAt" <= NEW."resolutionDueAt" THEN 1 ELSE 0 END), 1 * coalesce(CAST(round((julianday(NEW."firstResponseAt") - julianday(NEW."receivedAt")) * 86400000) AS INTEGER), 0), 1 * coalesce(CAST(round((julianday(NEW."resolvedAt") - julianday(NEW."receivedAt")) * 86400000) AS INTEGER), 0) WHERE true
    ON CONFLICT ("day", "department", "status") DO UPDATE SET "n" = "n" + excluded."n", "answered" = "answered" + excluded."answered", "answeredOnTime" = "answeredOnTime" + excluded."answeredOnTime",
    "resolved" = "resolved" + excluded."resolved", "resolvedOnTime" = "resolvedOnTime" + excluded."resolvedOnTime",
    "responseMs" = "responseMs" + excluded."responseMs", "resolutionMs" = "resolutionMs" + excluded."resolutionMs";
END;

CREATE TRIGGER "Ticket_rollupCount_insert" AFTER INSERT ON "Ticket"
BEGIN
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'category', NEW."category", coalesce(NEW."subCategory", ''), 1, 1 * (CASE WHEN NEW."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'channel', coalesce(NEW."channel", ''), '', 1, 1 * (CASE WHEN NEW."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'priority', NEW."priority", '', 1, 1 * (CASE WHEN NEW."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'customerTier', NEW."customerTier", '', 1, 1 * (CASE WHEN NEW."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'platform', NEW."platform", '', 1, 1 * (CASE WHEN NEW."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'handlerId', coalesce(NEW."handlerId", ''), '', 1, 1 * (CASE WHEN NEW."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
END;

CREATE TRIGGER "Ticket_rollupCount_delete" AFTER DELETE ON "Ticket"
BEGIN
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'category', OLD."category", coalesce(OLD."subCategory", ''), -1, -1 * (CASE WHEN OLD."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'channel', coalesce(OLD."channel", ''), '', -1, -1 * (CASE WHEN OLD."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'priority', OLD."priority", '', -1, -1 * (CASE WHEN OLD."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'customerTier', OLD."customerTier", '', -1, -1 * (CASE WHEN OLD."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'platform', OLD."platform", '', -1, -1 * (CASE WHEN OLD."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'handlerId', coalesce(OLD."handlerId", ''), '', -1, -1 * (CASE WHEN OLD."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
END;

CREATE TRIGGER "Ticket_rollupCount_update" AFTER UPDATE OF "receivedAt", "department", "status", "category", "subCategory", "channel", "priority", "customerTier", "platform", "handlerId" ON "Ticket"
WHEN OLD."receivedAt" IS NOT NEW."receivedAt" OR OLD."department" IS NOT NEW."department" OR OLD."status" IS NOT NEW."status" OR OLD."category" IS NOT NEW."category" OR OLD."subCategory" IS NOT NEW."subCategory" OR OLD."channel" IS NOT NEW."channel" OR OLD."priority" IS NOT NEW."priority" OR OLD."customerTier" IS NOT NEW."customerTier" OR OLD."platform" IS NOT NEW."platform" OR OLD."handlerId" IS NOT NEW."handlerId"
BEGIN
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'category', OLD."category", coalesce(OLD."subCategory", ''), -1, -1 * (CASE WHEN OLD."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'channel', coalesce(OLD."channel", ''), '', -1, -1 * (CASE WHEN OLD."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'priority', OLD."priority", '', -1, -1 * (CASE WHEN OLD."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'customerTier', OLD."customerTier", '', -1, -1 * (CASE WHEN OLD."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'platform', OLD."platform", '', -1, -1 * (CASE WHEN OLD."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'handlerId', coalesce(OLD."handlerId", ''), '', -1, -1 * (CASE WHEN OLD."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'category', NEW."category", coalesce(NEW."subCategory", ''), 1, 1 * (CASE WHEN NEW."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'channel', coalesce(NEW."channel", ''), '', 1, 1 * (CASE WHEN NEW."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'priority', NEW."priority", '', 1, 1 * (CASE WHEN NEW."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'customerTier', NEW."customerTier", '', 1, 1 * (CASE WHEN NEW."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'platform', NEW."platform", '', 1, 1 * (CASE WHEN NEW."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
  INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'handlerId', coalesce(NEW."handlerId", ''), '', 1, 1 * (CASE WHEN NEW."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) WHERE true
    ON CONFLICT ("day", "department", "dim", "key", "sub") DO UPDATE SET "n" = "n" + excluded."n", "active" = "active" + excluded."active";
END;

CREATE TRIGGER "Ticket_rollupHistogram_insert" AFTER INSERT ON "Ticket"
BEGIN
  INSERT INTO "RollupHistogram" ("day", "department", "kind", "lo", "n")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'response', ((max(0, CAST(round((julianday(NEW."firstResponseAt") - julianday(NEW."receivedAt")) * 86400000) AS INTEGER)) / 60000) / CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(NEW."firstResponseAt") - julianday(NEW."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER)) * CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(NEW."firstResponseAt") - julianday(NEW."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER), 1 WHERE NEW."firstResponseAt" IS NOT NULL
    ON CONFLICT ("day", "department", "kind", "lo") DO UPDATE SET "n" = "n" + excluded."n";
  INSERT INTO "RollupHistogram" ("day", "department", "kind", "lo", "n")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'resolution', ((max(0, CAST(round((julianday(NEW."resolvedAt") - julianday(NEW."receivedAt")) * 86400000) AS INTEGER)) / 60000) / CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(NEW."resolvedAt") - julianday(NEW."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER)) * CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(NEW."resolvedAt") - julianday(NEW."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER), 1 WHERE NEW."resolvedAt" IS NOT NULL
    ON CONFLICT ("day", "department", "kind", "lo") DO UPDATE SET "n" = "n" + excluded."n";
END;

CREATE TRIGGER "Ticket_rollupHistogram_delete" AFTER DELETE ON "Ticket"
BEGIN
  INSERT INTO "RollupHistogram" ("day", "department", "kind", "lo", "n")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'response', ((max(0, CAST(round((julianday(OLD."firstResponseAt") - julianday(OLD."receivedAt")) * 86400000) AS INTEGER)) / 60000) / CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(OLD."firstResponseAt") - julianday(OLD."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER)) * CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(OLD."firstResponseAt") - julianday(OLD."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER), -1 WHERE OLD."firstResponseAt" IS NOT NULL
    ON CONFLICT ("day", "department", "kind", "lo") DO UPDATE SET "n" = "n" + excluded."n";
  INSERT INTO "RollupHistogram" ("day", "department", "kind", "lo", "n")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'resolution', ((max(0, CAST(round((julianday(OLD."resolvedAt") - julianday(OLD."receivedAt")) * 86400000) AS INTEGER)) / 60000) / CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(OLD."resolvedAt") - julianday(OLD."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER)) * CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(OLD."resolvedAt") - julianday(OLD."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER), -1 WHERE OLD."resolvedAt" IS NOT NULL
    ON CONFLICT ("day", "department", "kind", "lo") DO UPDATE SET "n" = "n" + excluded."n";
END;

CREATE TRIGGER "Ticket_rollupHistogram_update" AFTER UPDATE OF "receivedAt", "department", "firstResponseAt", "resolvedAt" ON "Ticket"
WHEN OLD."receivedAt" IS NOT NEW."receivedAt" OR OLD."department" IS NOT NEW."department" OR OLD."firstResponseAt" IS NOT NEW."firstResponseAt" OR OLD."resolvedAt" IS NOT NEW."resolvedAt"
BEGIN
  INSERT INTO "RollupHistogram" ("day", "department", "kind", "lo", "n")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'response', ((max(0, CAST(round((julianday(OLD."firstResponseAt") - julianday(OLD."receivedAt")) * 86400000) AS INTEGER)) / 60000) / CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(OLD."firstResponseAt") - julianday(OLD."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER)) * CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(OLD."firstResponseAt") - julianday(OLD."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER), -1 WHERE OLD."firstResponseAt" IS NOT NULL
    ON CONFLICT ("day", "department", "kind", "lo") DO UPDATE SET "n" = "n" + excluded."n";
  INSERT INTO "RollupHistogram" ("day", "department", "kind", "lo", "n")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'resolution', ((max(0, CAST(round((julianday(OLD."resolvedAt") - julianday(OLD."receivedAt")) * 86400000) AS INTEGER)) / 60000) / CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(OLD."resolvedAt") - julianday(OLD."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER)) * CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(OLD."resolvedAt") - julianday(OLD."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER), -1 WHERE OLD."resolvedAt" IS NOT NULL
    ON CONFLICT ("day", "department", "kind", "lo") DO UPDATE SET "n" = "n" + excluded."n";
  INSERT INTO "RollupHistogram" ("day", "department", "kind", "lo", "n")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'response', ((max(0, CAST(round((julianday(NEW."firstResponseAt") - julianday(NEW."receivedAt")) * 86400000) AS INTEGER)) / 60000) / CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(NEW."firstResponseAt") - julianday(NEW."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER)) * CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(NEW."firstResponseAt") - julianday(NEW."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER), 1 WHERE NEW."firstResponseAt" IS NOT NULL
    ON CONFLICT ("day", "department", "kind", "lo") DO UPDATE SET "n" = "n" + excluded."n";
  INSERT INTO "RollupHistogram" ("day", "department", "kind", "lo", "n")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'resolution', ((max(0, CAST(round((julianday(NEW."resolvedAt") - julianday(NEW."receivedAt")) * 86400000) AS INTEGER)) / 60000) / CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(NEW."resolvedAt") - julianday(NEW."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER)) * CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(NEW."resolvedAt") - julianday(NEW."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER), 1 WHERE NEW."resolvedAt" IS NOT NULL
    ON CONFLICT ("day", "department", "kind", "lo") DO UPDATE SET "n" = "n" + excluded."n";
END;

CREATE TRIGGER "Ticket_rollupPending_insert" AFTER INSERT ON "Ticket"
BEGIN
  INSERT INTO "RollupPending" ("day", "department", "kind", "dueDay", "n")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'response', date(NEW."responseDueAt", '+8 hours'), 1 WHERE NEW."firstResponseAt" IS NULL AND NEW."status" NOT IN ('rejected', 'merged')
    ON CONFLICT ("day", "department", "kind", "dueDay") DO UPDATE SET "n" = "n" + excluded."n";
  INSERT INTO "RollupPending" ("day", "department", "kind", "dueDay", "n")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'resolution', date(NEW."resolutionDueAt", '+8 hours'), 1 WHERE NEW."resolvedAt" IS NULL AND NEW."status" NOT IN ('rejected', 'merged')
    ON CONFLICT ("day", "department", "kind", "dueDay") DO UPDATE SET "n" = "n" + excluded."n";
END;

CREATE TRIGGER "Ticket_rollupPending_delete" AFTER DELETE ON "Ticket"
BEGIN
  INSERT INTO "RollupPending" ("day", "department", "kind", "dueDay", "n")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'response', date(OLD."responseDueAt", '+8 hours'), -1 WHERE OLD."firstResponseAt" IS NULL AND OLD."status" NOT IN ('rejected', 'merged')
    ON CONFLICT ("day", "department", "kind", "dueDay") DO UPDATE SET "n" = "n" + excluded."n";
  INSERT INTO "RollupPending" ("day", "department", "kind", "dueDay", "n")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'resolution', date(OLD."resolutionDueAt", '+8 hours'), -1 WHERE OLD."resolvedAt" IS NULL AND OLD."status" NOT IN ('rejected', 'merged')
    ON CONFLICT ("day", "department", "kind", "dueDay") DO UPDATE SET "n" = "n" + excluded."n";
END;

CREATE TRIGGER "Ticket_rollupPending_update" AFTER UPDATE OF "receivedAt", "department", "status", "firstResponseAt", "responseDueAt", "resolvedAt", "resolutionDueAt" ON "Ticket"
WHEN OLD."receivedAt" IS NOT NEW."receivedAt" OR OLD."department" IS NOT NEW."department" OR OLD."status" IS NOT NEW."status" OR OLD."firstResponseAt" IS NOT NEW."firstResponseAt" OR OLD."responseDueAt" IS NOT NEW."responseDueAt" OR OLD."resolvedAt" IS NOT NEW."resolvedAt" OR OLD."resolutionDueAt" IS NOT NEW."resolutionDueAt"
BEGIN
  INSERT INTO "RollupPending" ("day", "department", "kind", "dueDay", "n")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'response', date(OLD."responseDueAt", '+8 hours'), -1 WHERE OLD."firstResponseAt" IS NULL AND OLD."status" NOT IN ('rejected', 'merged')
    ON CONFLICT ("day", "department", "kind", "dueDay") DO UPDATE SET "n" = "n" + excluded."n";
  INSERT INTO "RollupPending" ("day", "department", "kind", "dueDay", "n")
    SELECT date(OLD."receivedAt", '+8 hours'), OLD."department", 'resolution', date(OLD."resolutionDueAt", '+8 hours'), -1 WHERE OLD."resolvedAt" IS NULL AND OLD."status" NOT IN ('rejected', 'merged')
    ON CONFLICT ("day", "department", "kind", "dueDay") DO UPDATE SET "n" = "n" + excluded."n";
  INSERT INTO "RollupPending" ("day", "department", "kind", "dueDay", "n")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'response', date(NEW."responseDueAt", '+8 hours'), 1 WHERE NEW."firstResponseAt" IS NULL AND NEW."status" NOT IN ('rejected', 'merged')
    ON CONFLICT ("day", "department", "kind", "dueDay") DO UPDATE SET "n" = "n" + excluded."n";
  INSERT INTO "RollupPending" ("day", "department", "kind", "dueDay", "n")
    SELECT date(NEW."receivedAt", '+8 hours'), NEW."department", 'resolution', date(NEW."resolutionDueAt", '+8 hours'), 1 WHERE NEW."resolvedAt" IS NULL AND NEW."status" NOT IN ('rejected', 'merged')
    ON CONFLICT ("day", "department", "kind", "dueDay") DO UPDATE SET "n" = "n" + excluded."n";
END;

CREATE TRIGGER "Ticket_rollupSolved_insert" AFTER INSERT ON "Ticket"
BEGIN
  INSERT INTO "RollupSolved" ("day", "department", "handlerId", "n", "satisfactionSum", "satisfactionCount")
    SELECT date(NEW."resolvedAt", '+8 hours'), NEW."department", coalesce(NEW."handlerId", ''), 1, 1 * coalesce(NEW."satisfaction", 0), 1 * (CASE WHEN NEW."satisfaction" IS NOT NULL THEN 1 ELSE 0 END) WHERE NEW."resolvedAt" IS NOT NULL
    ON CONFLICT ("day", "department", "handlerId") DO UPDATE SET "n" = "n" + excluded."n", "satisfactionSum" = "satisfactionSum" + excluded."satisfactionSum", "satisfactionCount" = "satisfactionCount" + excluded."satisfactionCount";
END;

CREATE TRIGGER "Ticket_rollupSolved_delete" AFTER DELETE ON "Ticket"
BEGIN
  INSERT INTO "RollupSolved" ("day", "department", "handlerId", "n", "satisfactionSum", "satisfactionCount")
    SELECT date(OLD."resolvedAt", '+8 hours'), OLD."department", coalesce(OLD."handlerId", ''), -1, -1 * coalesce(OLD."satisfaction", 0), -1 * (CASE WHEN OLD."satisfaction" IS NOT NULL THEN 1 ELSE 0 END) WHERE OLD."resolvedAt" IS NOT NULL
    ON CONFLICT ("day", "department", "handlerId") DO UPDATE SET "n" = "n" + excluded."n", "satisfactionSum" = "satisfactionSum" + excluded."satisfactionSum", "satisfactionCount" = "satisfactionCount" + excluded."satisfactionCount";
END;

CREATE TRIGGER "Ticket_rollupSolved_update" AFTER UPDATE OF "department", "resolvedAt", "handlerId", "satisfaction" ON "Ticket"
WHEN OLD."department" IS NOT NEW."department" OR OLD."resolvedAt" IS NOT NEW."resolvedAt" OR OLD."handlerId" IS NOT NEW."handlerId" OR OLD."satisfaction" IS NOT NEW."satisfaction"
BEGIN
  INSERT INTO "RollupSolved" ("day", "department", "handlerId", "n", "satisfactionSum", "satisfactionCount")
    SELECT date(OLD."resolvedAt", '+8 hours'), OLD."department", coalesce(OLD."handlerId", ''), -1, -1 * coalesce(OLD."satisfaction", 0), -1 * (CASE WHEN OLD."satisfaction" IS NOT NULL THEN 1 ELSE 0 END) WHERE OLD."resolvedAt" IS NOT NULL
    ON CONFLICT ("day", "department", "handlerId") DO UPDATE SET "n" = "n" + excluded."n", "satisfactionSum" = "satisfactionSum" + excluded."satisfactionSum", "satisfactionCount" = "satisfactionCount" + excluded."satisfactionCount";
  INSERT INTO "RollupSolved" ("day", "department", "handlerId", "n", "satisfactionSum", "satisfactionCount")
    SELECT date(NEW."resolvedAt", '+8 hours'), NEW."department", coalesce(NEW."handlerId", ''), 1, 1 * coalesce(NEW."satisfaction", 0), 1 * (CASE WHEN NEW."satisfaction" IS NOT NULL THEN 1 ELSE 0 END) WHERE NEW."resolvedAt" IS NOT NULL
    ON CONFLICT ("day", "department", "handlerId") DO UPDATE SET "n" = "n" + excluded."n", "satisfactionSum" = "satisfactionSum" + excluded."satisfactionSum", "satisfactionCount" = "satisfactionCount" + excluded."satisfactionCount";
END;

-- Tickets already stored: the rows the insert triggers would have written, summed per key.
INSERT INTO "RollupDay" ("day", "department", "status", "n", "answered", "answeredOnTime", "resolved", "resolvedOnTime", "responseMs", "resolutionMs")
SELECT "day", "department", "status", SUM("n"), SUM("answered"), SUM("answeredOnTime"), SUM("resolved"), SUM("resolvedOnTime"), SUM("responseMs"), SUM("resolutionMs") FROM (
  SELECT date(t."receivedAt", '+8 hours') AS "day", t."department" AS "department", t."status" AS "status", 1 AS "n", 1 * (CASE WHEN t."firstResponseAt" IS NOT NULL THEN 1 ELSE 0 END) AS "answered", 1 * (CASE WHEN t."firstResponseAt" IS NOT NULL AND t."firstResponseAt" <= t."responseDueAt" THEN 1 ELSE 0 END) AS "answeredOnTime", 1 * (CASE WHEN t."resolvedAt" IS NOT NULL THEN 1 ELSE 0 END) AS "resolved", 1 * (CASE WHEN t."resolvedAt" IS NOT NULL AND t."resolvedAt" <= t."resolutionDueAt" THEN 1 ELSE 0 END) AS "resolvedOnTime", 1 * coalesce(CAST(round((julianday(t."firstResponseAt") - julianday(t."receivedAt")) * 86400000) AS INTEGER), 0) AS "responseMs", 1 * coalesce(CAST(round((julianday(t."resolvedAt") - julianday(t."receivedAt")) * 86400000) AS INTEGER), 0) AS "resolutionMs" FROM "Ticket" t
) GROUP BY "day", "department", "status";
INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
SELECT "day", "department", "dim", "key", "sub", SUM("n"), SUM("active") FROM (
  SELECT date(t."receivedAt", '+8 hours') AS "day", t."department" AS "department", 'category' AS "dim", t."category" AS "key", coalesce(t."subCategory", '') AS "sub", 1 AS "n", 1 * (CASE WHEN t."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) AS "active" FROM "Ticket" t
) GROUP BY "day", "department", "dim", "key", "sub";
INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
SELECT "day", "department", "dim", "key", "sub", SUM("n"), SUM("active") FROM (
  SELECT date(t."receivedAt", '+8 hours') AS "day", t."department" AS "department", 'channel' AS "dim", coalesce(t."channel", '') AS "key", '' AS "sub", 1 AS "n", 1 * (CASE WHEN t."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) AS "active" FROM "Ticket" t
) GROUP BY "day", "department", "dim", "key", "sub";
INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
SELECT "day", "department", "dim", "key", "sub", SUM("n"), SUM("active") FROM (
  SELECT date(t."receivedAt", '+8 hours') AS "day", t."department" AS "department", 'priority' AS "dim", t."priority" AS "key", '' AS "sub", 1 AS "n", 1 * (CASE WHEN t."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) AS "active" FROM "Ticket" t
) GROUP BY "day", "department", "dim", "key", "sub";
INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
SELECT "day", "department", "dim", "key", "sub", SUM("n"), SUM("active") FROM (
  SELECT date(t."receivedAt", '+8 hours') AS "day", t."department" AS "department", 'customerTier' AS "dim", t."customerTier" AS "key", '' AS "sub", 1 AS "n", 1 * (CASE WHEN t."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) AS "active" FROM "Ticket" t
) GROUP BY "day", "department", "dim", "key", "sub";
INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
SELECT "day", "department", "dim", "key", "sub", SUM("n"), SUM("active") FROM (
  SELECT date(t."receivedAt", '+8 hours') AS "day", t."department" AS "department", 'platform' AS "dim", t."platform" AS "key", '' AS "sub", 1 AS "n", 1 * (CASE WHEN t."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) AS "active" FROM "Ticket" t
) GROUP BY "day", "department", "dim", "key", "sub";
INSERT INTO "RollupCount" ("day", "department", "dim", "key", "sub", "n", "active")
SELECT "day", "department", "dim", "key", "sub", SUM("n"), SUM("active") FROM (
  SELECT date(t."receivedAt", '+8 hours') AS "day", t."department" AS "department", 'handlerId' AS "dim", coalesce(t."handlerId", '') AS "key", '' AS "sub", 1 AS "n", 1 * (CASE WHEN t."status" IN ('open', 'in_progress') THEN 1 ELSE 0 END) AS "active" FROM "Ticket" t
) GROUP BY "day", "department", "dim", "key", "sub";
INSERT INTO "RollupHistogram" ("day", "department", "kind", "lo", "n")
SELECT "day", "department", "kind", "lo", SUM("n") FROM (
  SELECT date(t."receivedAt", '+8 hours') AS "day", t."department" AS "department", 'response' AS "kind", ((max(0, CAST(round((julianday(t."firstResponseAt") - julianday(t."receivedAt")) * 86400000) AS INTEGER)) / 60000) / CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(t."firstResponseAt") - julianday(t."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER)) * CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(t."firstResponseAt") - julianday(t."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER) AS "lo", 1 AS "n" FROM "Ticket" t WHERE t."firstResponseAt" IS NOT NULL
) GROUP BY "day", "department", "kind", "lo";
INSERT INTO "RollupHistogram" ("day", "department", "kind", "lo", "n")
SELECT "day", "department", "kind", "lo", SUM("n") FROM (
  SELECT date(t."receivedAt", '+8 hours') AS "day", t."department" AS "department", 'resolution' AS "kind", ((max(0, CAST(round((julianday(t."resolvedAt") - julianday(t."receivedAt")) * 86400000) AS INTEGER)) / 60000) / CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(t."resolvedAt") - julianday(t."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER)) * CAST(substr('1000000000000', 1, max(length(CAST((max(0, CAST(round((julianday(t."resolvedAt") - julianday(t."receivedAt")) * 86400000) AS INTEGER)) / 60000) AS TEXT)) - 2, 1)) AS INTEGER) AS "lo", 1 AS "n" FROM "Ticket" t WHERE t."resolvedAt" IS NOT NULL
) GROUP BY "day", "department", "kind", "lo";
INSERT INTO "RollupPending" ("day", "department", "kind", "dueDay", "n")
SELECT "day", "department", "kind", "dueDay", SUM("n") FROM (
  SELECT date(t."receivedAt", '+8 hours') AS "day", t."department" AS "department", 'response' AS "kind", date(t."responseDueAt", '+8 hours') AS "dueDay", 1 AS "n" FROM "Ticket" t WHERE t."firstResponseAt" IS NULL AND t."status" NOT IN ('rejected', 'merged')
) GROUP BY "day", "department", "kind", "dueDay";
INSERT INTO "RollupPending" ("day", "department", "kind", "dueDay", "n")
SELECT "day", "department", "kind", "dueDay", SUM("n") FROM (
  SELECT date(t."receivedAt", '+8 hours') AS "day", t."department" AS "department", 'resolution' AS "kind", date(t."resolutionDueAt", '+8 hours') AS "dueDay", 1 AS "n" FROM "Ticket" t WHERE t."resolvedAt" IS NULL AND t."status" NOT IN ('rejected', 'merged')
) GROUP BY "day", "department", "kind", "dueDay";
INSERT INTO "RollupSolved" ("day", "department", "handlerId", "n", "satisfactionSum", "satisfactionCount")
SELECT "day", "department", "handlerId", SUM("n"), SUM("satisfactionSum"), SUM("satisfactionCount") FROM (
  SELECT date(t."resolvedAt", '+8 hours') AS "day", t."department" AS "department", coalesce(t."handlerId", '') AS "handlerId", 1 AS "n", 1 * coalesce(t."satisfaction", 0) AS "satisfactionSum", 1 * (CASE WHEN t."satisfaction" IS NOT NULL THEN 1 ELSE 0 END) AS "satisfactionCount" FROM "Ticket" t WHERE t."resolvedAt" IS NOT NULL
) GROUP BY "day", "department", "handlerId";
