-- Custom SQL migration file, put your code below! --
-- One- and two-character n-grams of a text, lower-cased, without whitespace: an inverted index
-- that serves one- and two-character Chinese terms, which trigrams cannot narrow.
CREATE OR REPLACE FUNCTION xq_ngrams(input text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}'::text[]) FROM (
    SELECT substr(s, i, 1) AS g
      FROM (SELECT lower(coalesce(input, '')) AS s) x, generate_series(1, char_length(s)) AS i
     WHERE substr(s, i, 1) !~ '\s'
    UNION
    SELECT substr(s, i, 2)
      FROM (SELECT lower(coalesce(input, '')) AS s) x, generate_series(1, char_length(s) - 1) AS i
     WHERE substr(s, i, 2) !~ '\s'
  ) AS grams
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION xq_business_search_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_text := concat_ws(' ',
    NEW.name,
    (SELECT c.name_zh || ' ' || c.name_en FROM categories c WHERE c.code = NEW.category_code),
    (SELECT st.name_zh || ' ' || st.name_en FROM storefronts sf JOIN streets st ON st.id = sf.street_id WHERE sf.id = NEW.storefront_id),
    (SELECT st.name_zh || ' ' || st.name_en FROM stalls sl JOIN streets st ON st.id = sl.street_id WHERE sl.id = NEW.stall_id),
    NEW.description);
  NEW.search_tokens := xq_ngrams(NEW.search_text);
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER businesses_search_refresh
  BEFORE INSERT OR UPDATE OF name, description, category_code, storefront_id, stall_id ON businesses
  FOR EACH ROW EXECUTE FUNCTION xq_business_search_refresh();
--> statement-breakpoint
UPDATE businesses SET name = name;
