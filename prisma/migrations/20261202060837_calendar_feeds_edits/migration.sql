-- CreateTable
CREATE TABLE "CalendarFeed" (
    "url" TEXT NOT NULL PRIMARY KEY,
    "source" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "days" TEXT NOT NULL DEFAULT '[]',
    "years" TEXT NOT NULL DEFAULT '[]',
    "offDays" INTEGER NOT NULL DEFAULT 0,
    "workDays" INTEGER NOT NULL DEFAULT 0,
    "bytes" INTEGER NOT NULL DEFAULT 0,
    "fetchedAt" DATETIME,
    "changedAt" DATETIME,
    "checkedAt" DATETIME,
    "error" TEXT
);

-- CreateTable
CREATE TABLE "CalendarEdit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorName" TEXT,
    "via" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "fromDate" TEXT NOT NULL,
    "toDate" TEXT NOT NULL,
    "name" TEXT
);

-- CreateTable
CREATE TABLE "CalendarRecompute" (
    "version" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL,
    "moved" INTEGER NOT NULL DEFAULT 0
);

-- CreateIndex
CREATE INDEX "CalendarFeed_source_idx" ON "CalendarFeed"("source");

-- CreateIndex
CREATE INDEX "CalendarEdit_at_idx" ON "CalendarEdit"("at");
