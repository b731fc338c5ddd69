-- Custom SQL migration file, put your code below! --
-- Which plaques are current depends on which selection rounds' review windows have closed
-- (app/domain/directory/search.server.ts, standingYearOf). The shop page's cached reads are kept
-- per "standing epoch" (how many review windows have closed) instead of per minute
-- (docs/decisions/053), so a change to a round's dates must reach them like any other write
-- behind the directory.
CREATE TRIGGER plaque_rounds_directory_version AFTER INSERT OR UPDATE OR DELETE ON plaque_rounds FOR EACH STATEMENT EXECUTE FUNCTION xq_bump_directory_version();
