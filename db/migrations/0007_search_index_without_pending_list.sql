-- Custom SQL migration file, put your code below! --
-- Write new entries straight into the index: PGlite runs no autovacuum, so a pending list would
-- only grow, and every search would scan it.
ALTER INDEX businesses_search_tokens_idx SET (fastupdate = off);
