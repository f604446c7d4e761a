-- Verify arkagentic:domains_app on pg

BEGIN;

SELECT 'town'::app.slug, 'Ada'::app.display_name, 'up'::app.direction, 'online'::app.presence_status;
DO $$
BEGIN
  BEGIN
    PERFORM 'Bad Slug'::app.slug;
    RAISE EXCEPTION 'app.slug accepted an unsafe value';
  EXCEPTION WHEN check_violation THEN NULL;
  END;
END
$$;

ROLLBACK;
