-- Test fixture mirroring docs/contracts/auth.md (the real migrations belong to oficina-flask).
-- Applied by tests/conftest.py into the schema lambda_cpf_test of the test database.
DROP TABLE IF EXISTS auth_attempts, staff_users, customers;

CREATE TABLE customers (
    id            uuid PRIMARY KEY,
    name          text NOT NULL,                  -- not granted to the auth role
    document      varchar(14) NOT NULL UNIQUE,    -- digits only
    document_type varchar(4) NOT NULL CHECK (document_type IN ('CPF', 'CNPJ')),
    status        varchar(8) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive'))
);

CREATE TABLE staff_users (
    id            uuid PRIMARY KEY,
    name          text NOT NULL,                  -- not granted to the auth role
    cpf           varchar(11) NOT NULL UNIQUE,    -- digits only
    role          varchar(16) NOT NULL CHECK (role IN ('attendant', 'mechanic', 'manager')),
    unit_id       uuid NOT NULL,
    password_hash text NOT NULL,                  -- argon2id PHC string
    active        boolean NOT NULL DEFAULT true
);

CREATE TABLE auth_attempts (
    key_hash          char(64) PRIMARY KEY,       -- hex SHA-256 of the CPF digits
    failures          integer NOT NULL CHECK (failures >= 0),
    window_started_at timestamptz NOT NULL,
    last_failed_at    timestamptz NOT NULL
);

-- Least privilege, as the contract gives the oficina_auth role.
GRANT USAGE ON SCHEMA lambda_cpf_test TO lambda_cpf_test_auth;
GRANT SELECT (id, document, document_type, status) ON customers TO lambda_cpf_test_auth;
GRANT SELECT (id, cpf, role, unit_id, password_hash, active) ON staff_users TO lambda_cpf_test_auth;
GRANT SELECT, INSERT, UPDATE, DELETE ON auth_attempts TO lambda_cpf_test_auth;
