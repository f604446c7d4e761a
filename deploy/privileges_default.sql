-- Deploy arkagentic:privileges_default to pg
-- PostgreSQL lets PUBLIC execute every new function. Revoke that first so each function is
-- callable only by the roles granted right below it.

BEGIN;

ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

COMMIT;
