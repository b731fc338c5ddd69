-- Custom SQL migration file, put your code below! --
-- Every bump of the directory version is also announced on the channel `xq_directory` (delivered
-- at commit), so a process can keep the current version in memory instead of reading it per request.
CREATE OR REPLACE FUNCTION xq_bump_directory_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  next_version integer;
BEGIN
  UPDATE cache_versions SET version = version + 1 WHERE name = 'directory' RETURNING version INTO next_version;
  PERFORM pg_notify('xq_directory', next_version::text);
  RETURN NULL;
END
$$;
