-- Custom SQL migration file, put your code below! --
INSERT INTO cache_versions (name, version) VALUES ('directory', 0) ON CONFLICT DO NOTHING;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION xq_bump_directory_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'directory';
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER businesses_directory_version AFTER INSERT OR UPDATE OR DELETE ON businesses FOR EACH STATEMENT EXECUTE FUNCTION xq_bump_directory_version();
--> statement-breakpoint
CREATE TRIGGER awards_directory_version AFTER INSERT OR UPDATE OR DELETE ON awards FOR EACH STATEMENT EXECUTE FUNCTION xq_bump_directory_version();
--> statement-breakpoint
CREATE TRIGGER storefronts_directory_version AFTER INSERT OR UPDATE OR DELETE ON storefronts FOR EACH STATEMENT EXECUTE FUNCTION xq_bump_directory_version();
--> statement-breakpoint
CREATE TRIGGER stalls_directory_version AFTER INSERT OR UPDATE OR DELETE ON stalls FOR EACH STATEMENT EXECUTE FUNCTION xq_bump_directory_version();
--> statement-breakpoint
CREATE TRIGGER streets_directory_version AFTER INSERT OR UPDATE OR DELETE ON streets FOR EACH STATEMENT EXECUTE FUNCTION xq_bump_directory_version();
--> statement-breakpoint
CREATE TRIGGER categories_directory_version AFTER INSERT OR UPDATE OR DELETE ON categories FOR EACH STATEMENT EXECUTE FUNCTION xq_bump_directory_version();
--> statement-breakpoint
CREATE TRIGGER grids_directory_version AFTER INSERT OR UPDATE OR DELETE ON grids FOR EACH STATEMENT EXECUTE FUNCTION xq_bump_directory_version();
--> statement-breakpoint
CREATE TRIGGER micro_grids_directory_version AFTER INSERT OR UPDATE OR DELETE ON micro_grids FOR EACH STATEMENT EXECUTE FUNCTION xq_bump_directory_version();
--> statement-breakpoint
CREATE TRIGGER grid_contacts_directory_version AFTER INSERT OR UPDATE OR DELETE ON grid_contacts FOR EACH STATEMENT EXECUTE FUNCTION xq_bump_directory_version();
--> statement-breakpoint
CREATE TRIGGER places_directory_version AFTER INSERT OR UPDATE OR DELETE ON places FOR EACH STATEMENT EXECUTE FUNCTION xq_bump_directory_version();
