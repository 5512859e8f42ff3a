-- AlterTable
ALTER TABLE "CardRef" ADD COLUMN "retiredAt" DATETIME;
