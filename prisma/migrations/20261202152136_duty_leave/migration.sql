-- CreateTable
CREATE TABLE "DutyLeave" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "personId" TEXT NOT NULL,
    "fromDate" TEXT NOT NULL,
    "toDate" TEXT NOT NULL,
    "coverId" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "DutyLeave_toDate_idx" ON "DutyLeave"("toDate");

-- CreateIndex
CREATE INDEX "DutyLeave_personId_toDate_idx" ON "DutyLeave"("personId", "toDate");
