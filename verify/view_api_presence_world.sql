-- Verify arkagentic:view_api_presence_world on pg

BEGIN;

SELECT user_id, room_slug, world_id, world_slug FROM api.presence WHERE false;
DO $$
BEGIN
  IF pg_get_viewdef('api.presence'::regclass) NOT LIKE '%readable_world_ids%' THEN
    RAISE EXCEPTION 'api.presence does not apply the world rule';
  END IF;
END
$$;

ROLLBACK;
