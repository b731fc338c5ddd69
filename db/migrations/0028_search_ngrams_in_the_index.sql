-- hand-written
-- The n-grams a search looks up are no longer stored in each row: they made a row about 1.5 KB
-- (115 short array elements), four times its other columns, and every search that matches many
-- businesses read them all from the heap for nothing. The GIN index now holds them as an
-- expression over search_text (docs/decisions/039-search-n-grams-in-the-index-only.md).
-- search_text is kept lower-cased, as the n-grams always were, so that a longer term is checked
-- with strpos instead of ILIKE lower-casing the whole text of every candidate.
CREATE OR REPLACE FUNCTION xq_business_search_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.name_pinyin := concat_ws(' ', xq_pinyin(NEW.name, false), xq_pinyin(NEW.name, true));
  NEW.search_text := lower(concat_ws(' ',
    NEW.name,
    NEW.code,
    NEW.name_pinyin,
    (SELECT c.name_zh || ' ' || c.name_en FROM categories c WHERE c.code = NEW.category_code),
    (SELECT st.name_zh || ' ' || st.name_en FROM storefronts sf JOIN streets st ON st.id = sf.street_id WHERE sf.id = NEW.storefront_id),
    (SELECT st.name_zh || ' ' || st.name_en FROM stalls sl JOIN streets st ON st.id = sl.street_id WHERE sl.id = NEW.stall_id),
    NEW.description));
  RETURN NEW;
END
$$;--> statement-breakpoint
DROP INDEX "businesses_search_tokens_idx";--> statement-breakpoint
ALTER TABLE "businesses" DROP COLUMN "search_tokens";--> statement-breakpoint
UPDATE "businesses" SET "search_text" = lower("search_text");--> statement-breakpoint
CREATE INDEX "businesses_search_ngrams_idx" ON "businesses" USING gin (xq_ngrams("search_text")) WITH (fastupdate=false);
