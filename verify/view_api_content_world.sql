-- Verify arkagentic:view_api_content_world on pg

BEGIN;

SELECT world_id FROM api.rooms WHERE false;
SELECT world_id FROM api.buildings WHERE false;
SELECT world_id FROM api.spawn_points WHERE false;
DO $$
BEGIN
  IF NOT has_table_privilege('player', 'api.rooms', 'INSERT') THEN
    RAISE EXCEPTION 'player cannot write api.rooms';
  END IF;
END
$$;

ROLLBACK;
