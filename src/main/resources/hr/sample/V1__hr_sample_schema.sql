-- The embedded sample HR database (hr.sample.enabled=true): a department tree and its employees.
-- A real HR system has its own schema; the gateway reads it only through the hr.sql.* queries.
CREATE TABLE department (
    id         VARCHAR(200) PRIMARY KEY,
    name       VARCHAR(200),
    parent_id  VARCHAR(200),
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE employee (
    id            VARCHAR(200) PRIMARY KEY,
    name          VARCHAR(200),
    department_id VARCHAR(200),
    job_number    VARCHAR(50),
    email         VARCHAR(200),
    mobile        VARCHAR(50),
    photo         BYTEA,          -- face photo (JPEG); NULL = none
    photo_path    VARCHAR(500),   -- alternative: a file path, used with hr.photo.source=path
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX employee_updated_idx ON employee (updated_at);
