-- Verify arkagentic:function_api_presence on pg

BEGIN;

SELECT user_id, display_name, avatar_sprite, room_id, room_slug, x, y, direction, status, last_update
  FROM api.presence WHERE false;
DO $$
DECLARE
  f text;
BEGIN
  FOREACH f IN ARRAY ARRAY['api.enter_room(text)', 'api.move(integer, integer, text)', 'api.leave_room()'] LOOP
    ASSERT has_function_privilege('player', f, 'EXECUTE'), 'player must execute ' || f;
    ASSERT NOT has_function_privilege('web_anon', f, 'EXECUTE'), 'web_anon must not execute ' || f;
    ASSERT (SELECT prosecdef AND 'search_path=""' = ANY (proconfig) FROM pg_proc WHERE oid = f::regprocedure),
      f || ' must be SECURITY DEFINER with a pinned search_path';
  END LOOP;
END
$$;

ROLLBACK;
