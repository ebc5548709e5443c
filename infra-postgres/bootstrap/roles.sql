-- infra-postgres bootstrap: the database roles of the Oficina platform (least privilege).
--
-- Versioned with this repository, idempotent (run it as often as you like), no passwords inside.
-- Run it with psql as the RDS master user (from the RDS-managed master secret), connected to the
-- application database:
--
--   1. once before the first `alembic upgrade head`  (creates oficina_owner, which runs the migrations)
--   2. after every migration run                      (grants on the tables the migrations created)
--
--   psql "host=... dbname=oficina user=oficina_admin sslmode=verify-full" \
--        -v ON_ERROR_STOP=1 -f bootstrap/roles.sql
--
-- Roles are created NOLOGIN; bootstrap/apply_roles.py later gives each one LOGIN and the password
-- Terraform wrote to its Secrets Manager secret. psql variables:
--   role_prefix   prefix of every role name (default empty; the tests use a unique prefix because
--                 roles are cluster-wide)
--   analytics_schema  schema where dbt builds (default analytics)
--
-- Works on PostgreSQL 15 and 16+ (RDS master is not a superuser: everything here is allowed to an
-- rds_superuser member that owns the database).

\set ON_ERROR_STOP on
\if :{?role_prefix}
\else
  \set role_prefix ''
\endif
\if :{?analytics_schema}
\else
  \set analytics_schema analytics
\endif

SELECT :'role_prefix' || 'oficina_owner' AS owner_role,
       :'role_prefix' || 'oficina_app' AS app_role,
       :'role_prefix' || 'oficina_auth' AS auth_role,
       :'role_prefix' || 'oficina_analytics' AS analytics_role,
       :'role_prefix' || 'datadog' AS datadog_role
\gset

BEGIN;

-- Values for the DO blocks below (psql does not interpolate inside dollar quotes).
SELECT set_config('oficina.owner_role', :'owner_role', true),
       set_config('oficina.app_role', :'app_role', true),
       set_config('oficina.auth_role', :'auth_role', true),
       set_config('oficina.analytics_role', :'analytics_role', true),
       set_config('oficina.datadog_role', :'datadog_role', true),
       set_config('oficina.analytics_schema', :'analytics_schema', true);

-------------------------------------------------------------------------------------------------
-- 1. Roles (cluster-wide). Created NOLOGIN; attributes re-asserted on every run.
-------------------------------------------------------------------------------------------------
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY[
    current_setting('oficina.owner_role'), current_setting('oficina.app_role'),
    current_setting('oficina.auth_role'), current_setting('oficina.analytics_role'),
    current_setting('oficina.datadog_role')]
  LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
      RAISE NOTICE 'created role % (NOLOGIN until apply_roles.py sets its password)', r;
    END IF;
    -- No elevated attribute, ever. Only what is wrong is altered (changing REPLICATION or
    -- BYPASSRLS at all needs a superuser, which the RDS master is not). LOGIN and the password
    -- are left alone: they belong to the password step.
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = r
               AND (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication OR rolbypassrls
                    OR NOT rolinherit)) THEN
      EXECUTE format('ALTER ROLE %I NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT', r);
      RAISE NOTICE 'reset elevated attributes of role %', r;
    END IF;
  END LOOP;
END
$$;

-- Session limits per role (applied at login; safe with RDS Proxy, no session pinning).
ALTER ROLE :"app_role" SET statement_timeout = '30s';
ALTER ROLE :"app_role" SET idle_in_transaction_session_timeout = '60s';
ALTER ROLE :"auth_role" SET statement_timeout = '5s';
ALTER ROLE :"analytics_role" SET statement_timeout = '15min';
ALTER ROLE :"datadog_role" SET statement_timeout = '10s';

-- The runner (RDS master) must be a member of the owner role to hand it the schema and of both
-- object-creating roles to set default privileges for what they will create. Idempotent.
GRANT :"owner_role" TO CURRENT_USER;
GRANT :"analytics_role" TO CURRENT_USER;

-- Monitoring: read every pg_stat_* view and pg_stat_statements (Datadog Database Monitoring).
GRANT pg_monitor TO :"datadog_role";

-------------------------------------------------------------------------------------------------
-- 2. Database: only our roles may connect.
-------------------------------------------------------------------------------------------------
DO $$
DECLARE
  db text := current_database();
BEGIN
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', db);
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I, %I, %I, %I, %I', db,
    current_setting('oficina.owner_role'), current_setting('oficina.app_role'),
    current_setting('oficina.auth_role'), current_setting('oficina.analytics_role'),
    current_setting('oficina.datadog_role'));
  -- dbt incremental models use temporary tables; the migrations may too.
  EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO %I, %I', db,
    current_setting('oficina.owner_role'), current_setting('oficina.analytics_role'));
END
$$;

-- Query statistics (needs shared_preload_libraries=pg_stat_statements, set by the parameter group).
-- Always available on RDS; some local builds (e.g. the embedded pgserver) lack the contrib module.
SELECT EXISTS (SELECT FROM pg_available_extensions WHERE name = 'pg_stat_statements') AS have_pgss
\gset
\if :have_pgss
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
\else
\warn 'WARNING: pg_stat_statements is not available on this server (it always is on RDS).'
\endif

-------------------------------------------------------------------------------------------------
-- 3. Schemas: public belongs to oficina_owner (migrations create the app tables there);
--    analytics is where dbt (oficina_analytics) builds its models.
-------------------------------------------------------------------------------------------------
ALTER SCHEMA public OWNER TO :"owner_role";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"app_role", :"auth_role", :"analytics_role", :"datadog_role";

CREATE SCHEMA IF NOT EXISTS :"analytics_schema";
REVOKE ALL ON SCHEMA :"analytics_schema" FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA :"analytics_schema" TO :"analytics_role";
GRANT USAGE ON SCHEMA :"analytics_schema" TO :"datadog_role";

-------------------------------------------------------------------------------------------------
-- 4. Default privileges: tables the owner creates in later migrations are usable at once by the
--    application (DML) and by dbt (read). The auth role never gets defaults: only its columns.
-------------------------------------------------------------------------------------------------
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO :"app_role";
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner_role" IN SCHEMA public
  GRANT SELECT ON TABLES TO :"analytics_role";
-- Datadog custom queries read what dbt builds.
ALTER DEFAULT PRIVILEGES FOR ROLE :"analytics_role" IN SCHEMA :"analytics_schema"
  GRANT SELECT ON TABLES TO :"datadog_role";

-------------------------------------------------------------------------------------------------
-- 5. Grants on what exists now (re-run after each migration). Only relations owned by the
--    schema owner count as app tables (not, e.g., the pg_stat_statements views).
-------------------------------------------------------------------------------------------------
DO $$
DECLARE
  owner_role text := current_setting('oficina.owner_role');
  app_role text := current_setting('oficina.app_role');
  analytics_role text := current_setting('oficina.analytics_role');
  datadog_role text := current_setting('oficina.datadog_role');
  analytics_schema text := current_setting('oficina.analytics_schema');
  -- Secrets and request replays: no analytics value, only risk.
  analytics_denied text[] := ARRAY['auth_attempts', 'idempotency_keys', 'alembic_version'];
  -- Columns dbt never reads (staff_users.password_hash is the argon2id hash).
  analytics_denied_columns text[] := ARRAY['staff_users.password_hash'];
  rel record;
  cols text;
BEGIN
  FOR rel IN
    SELECT c.relname, c.relkind
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
      AND pg_get_userbyid(c.relowner) = owner_role
    ORDER BY c.relname
  LOOP
    IF rel.relkind = 'S' THEN
      EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE public.%I TO %I', rel.relname, app_role);
      CONTINUE;
    END IF;

    -- Application: DML only. No TRUNCATE, REFERENCES, TRIGGER; DDL is reserved to the owner.
    EXECUTE format('REVOKE ALL ON public.%I FROM %I', rel.relname, app_role);
    IF rel.relname = 'alembic_version' THEN
      EXECUTE format('GRANT SELECT ON public.%I TO %I', rel.relname, app_role);
    ELSE
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON public.%I TO %I', rel.relname, app_role);
    END IF;

    -- Analytics: read, minus the denied tables and columns.
    EXECUTE format('REVOKE ALL ON public.%I FROM %I', rel.relname, analytics_role);
    IF rel.relname = ANY (analytics_denied) THEN
      CONTINUE;
    END IF;
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relname = rel.relname
      AND a.attnum > 0 AND NOT a.attisdropped
      AND (rel.relname || '.' || a.attname) = ANY (analytics_denied_columns);
    IF cols IS NULL THEN
      EXECUTE format('GRANT SELECT ON public.%I TO %I', rel.relname, analytics_role);
    ELSE
      SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname = rel.relname
        AND a.attnum > 0 AND NOT a.attisdropped
        AND NOT ((rel.relname || '.' || a.attname) = ANY (analytics_denied_columns));
      EXECUTE format('GRANT SELECT (%s) ON public.%I TO %I', cols, rel.relname, analytics_role);
    END IF;
  END LOOP;

  -- What dbt has built so far is readable by Datadog's custom queries.
  FOR rel IN
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = analytics_schema AND c.relkind IN ('r', 'p', 'v', 'm')
  LOOP
    EXECUTE format('GRANT SELECT ON %I.%I TO %I', analytics_schema, rel.relname, datadog_role);
  END LOOP;
END
$$;

-------------------------------------------------------------------------------------------------
-- 6. The auth function (docs/contracts/auth.md): exactly these columns, nothing else.
--    REVOKE ALL first also removes any column grant, so drift is corrected on every run.
-------------------------------------------------------------------------------------------------
SELECT to_regclass('public.customers') IS NOT NULL
   AND to_regclass('public.staff_users') IS NOT NULL
   AND to_regclass('public.auth_attempts') IS NOT NULL AS have_auth_tables
\gset

\if :have_auth_tables
REVOKE ALL ON public.customers FROM :"auth_role";
GRANT SELECT (id, document, document_type, status) ON public.customers TO :"auth_role";

REVOKE ALL ON public.staff_users FROM :"auth_role";
GRANT SELECT (id, cpf, role, unit_id, password_hash, active) ON public.staff_users TO :"auth_role";

REVOKE ALL ON public.auth_attempts FROM :"auth_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON public.auth_attempts TO :"auth_role";
\else
\echo 'NOTICE: customers/staff_users/auth_attempts do not exist yet: run this script again after alembic upgrade head.'
\endif

COMMIT;

\echo 'roles.sql applied:' :owner_role :app_role :auth_role :analytics_role :datadog_role
