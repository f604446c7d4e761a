-- Verify arkagentic:view_api_content_derived on pg
-- A verify script must RAISE to fail: a query that returns false still passes.

BEGIN;

SELECT map_version FROM api.rooms WHERE false;
SELECT derived FROM api.buildings WHERE false;
SELECT derived FROM api.spawn_points WHERE false;
DO $$
BEGIN
  IF has_column_privilege('player', 'api.buildings', 'derived', 'UPDATE')
     OR has_column_privilege('content_admin', 'api.rooms', 'map_version', 'UPDATE') THEN
    RAISE EXCEPTION 'derived and map_version are the map''s to set';
  END IF;
END
$$;

ROLLBACK;
