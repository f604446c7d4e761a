-- Verify arkagentic:privileges_default on pg

BEGIN;

DO $$
BEGIN
  ASSERT (SELECT count(*) FROM pg_default_acl
           WHERE defaclrole = current_user::regrole AND defaclobjtype = 'f' AND defaclnamespace = 0) = 1,
    'default function privileges must be set for the deploying role';
END
$$;

ROLLBACK;
