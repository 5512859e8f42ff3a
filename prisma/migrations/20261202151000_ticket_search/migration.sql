-- Ticket search (src/store/ticket-search.ts), kept in step with Ticket by the triggers below
-- (https://www.sqlite.org/fts5.html). Prisma does not manage these tables (prisma/tools/migrate.mjs
-- lists them as external).

-- Substrings of 3+ characters: the trigram tokenizer over the searched columns; the text stays in
-- "Ticket" (external content), the index holds the trigrams.
CREATE VIRTUAL TABLE "TicketSearch" USING fts5("number", "title", "description", "customerName", "customerId", content = 'Ticket', content_rowid = 'id', tokenize = 'trigram');

-- 2-character Chinese terms (登录): each pair of adjacent CJK characters (U+3400–U+9FFF) of title,
-- description and customer name, stored as one word, so a pair is an indexed word match.
CREATE VIRTUAL TABLE "TicketGrams" USING fts5("grams", tokenize = 'unicode61');

-- Positions 1…20000 (the longest description kept, src/platform/limits.ts), for cutting text into pairs
-- inside a trigger (triggers cannot use a recursive WITH).
CREATE TABLE "SearchPosition" ("i" INTEGER NOT NULL PRIMARY KEY);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) INSERT INTO "SearchPosition" ("i") SELECT i FROM n;

CREATE TRIGGER "Ticket_search_insert" AFTER INSERT ON "Ticket"
BEGIN
  INSERT INTO "TicketSearch" (rowid, "number", "title", "description", "customerName", "customerId") VALUES (NEW."id", NEW."number", NEW."title", NEW."description", NEW."customerName", NEW."customerId");
  INSERT INTO "TicketGrams" (rowid, "grams") VALUES (NEW."id", (SELECT group_concat(substr(x.txt, p.i, 2), ' ') FROM "SearchPosition" p, (SELECT coalesce(NEW."title", '') || ' ' || coalesce(NEW."description", '') || ' ' || coalesce(NEW."customerName", '') AS txt) x
    WHERE p.i < length(x.txt) AND unicode(substr(x.txt, p.i, 1)) BETWEEN 13312 AND 40959 AND unicode(substr(x.txt, p.i + 1, 1)) BETWEEN 13312 AND 40959));
END;

CREATE TRIGGER "Ticket_search_delete" AFTER DELETE ON "Ticket"
BEGIN
  INSERT INTO "TicketSearch" ("TicketSearch", rowid, "number", "title", "description", "customerName", "customerId") VALUES ('delete', OLD."id", OLD."number", OLD."title", OLD."description", OLD."customerName", OLD."customerId");
  DELETE FROM "TicketGrams" WHERE rowid = OLD."id";
END;

CREATE TRIGGER "Ticket_search_update" AFTER UPDATE OF "number", "title", "description", "customerName", "customerId" ON "Ticket"
BEGIN
  INSERT INTO "TicketSearch" ("TicketSearch", rowid, "number", "title", "description", "customerName", "customerId") VALUES ('delete', OLD."id", OLD."number", OLD."title", OLD."description", OLD."customerName", OLD."customerId");
  INSERT INTO "TicketSearch" (rowid, "number", "title", "description", "customerName", "customerId") VALUES (NEW."id", NEW."number", NEW."title", NEW."description", NEW."customerName", NEW."customerId");
  UPDATE "TicketGrams" SET "grams" = (SELECT group_concat(substr(x.txt, p.i, 2), ' ') FROM "SearchPosition" p, (SELECT coalesce(NEW."title", '') || ' ' || coalesce(NEW."description", '') || ' ' || coalesce(NEW."customerName", '') AS txt) x
    WHERE p.i < length(x.txt) AND unicode(substr(x.txt, p.i, 1)) BETWEEN 13312 AND 40959 AND unicode(substr(x.txt, p.i + 1, 1)) BETWEEN 13312 AND 40959) WHERE rowid = NEW."id";
END;

-- Tickets already stored.
INSERT INTO "TicketSearch" ("TicketSearch") VALUES ('rebuild');
INSERT INTO "TicketGrams" (rowid, "grams") SELECT t."id", (SELECT group_concat(substr(x.txt, p.i, 2), ' ') FROM "SearchPosition" p, (SELECT coalesce(t."title", '') || ' ' || coalesce(t."description", '') || ' ' || coalesce(t."customerName", '') AS txt) x
    WHERE p.i < length(x.txt) AND unicode(substr(x.txt, p.i, 1)) BETWEEN 13312 AND 40959 AND unicode(substr(x.txt, p.i + 1, 1)) BETWEEN 13312 AND 40959) FROM "Ticket" t;
