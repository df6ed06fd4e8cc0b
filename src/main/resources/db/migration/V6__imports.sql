-- Imports: one row per file import (console upload, API or command line) and saved column mappings.
create table import_job (
    id             bigserial primary key,
    type           text        not null check (type in ('customers', 'products', 'receipts')),
    file_name      text        not null,
    stored_path    text        not null,
    status         text        not null check (status in ('queued', 'validating', 'applying', 'done', 'rejected', 'failed')),
    total_rows     bigint      not null default 0,
    processed_rows bigint      not null default 0,
    applied_count  bigint      not null default 0,
    error_count    bigint      not null default 0,
    progress       int         not null default 0 check (progress between 0 and 100),
    error_report   text,
    message        text,
    -- header text -> field, exactly as used; options as given (store, source, skip-invalid, …)
    mapping        jsonb       not null,
    options        jsonb       not null,
    facts          jsonb       not null default '{}',
    created_at     timestamptz not null,
    heartbeat_at   timestamptz not null,
    finished_at    timestamptz,
    created_by     text        not null
);
create index import_job_newest on import_job (created_at desc);

-- Mappings saved under a name for files that come back every week.
create table import_mapping (
    type       text        not null check (type in ('customers', 'products', 'receipts')),
    name       text        not null,
    columns    jsonb       not null, -- header text -> field
    updated_at timestamptz not null,
    primary key (type, name)
);
