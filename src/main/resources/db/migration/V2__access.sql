-- People who use the console. Passwords are stored as DelegatingPasswordEncoder hashes ({bcrypt}…).
create table app_user (
    id                   bigserial   primary key,
    username             text        not null,
    password_hash        text        not null,
    display_name         text        not null,
    role                 text        not null
        check (role in ('owner', 'hq_marketer', 'store_manager', 'clerk', 'analyst')),
    must_change_password boolean     not null default false,
    disabled             boolean     not null default false,
    created_at           timestamptz not null default now(),
    password_changed_at  timestamptz
);
-- "Owner" and "owner" are the same person at the login form.
create unique index app_user_username on app_user (lower(username));

-- The stores a store-scoped user may see; owner and HQ roles see all and have no rows here.
-- No foreign key to the catalog: modules do not reach into each other's tables.
create table app_user_store (
    user_id  bigint not null references app_user (id) on delete cascade,
    store_id bigint not null,
    primary key (user_id, store_id)
);

-- Keys for POS/ERP systems. Only the SHA-256 of a key is kept; the prefix is for people to recognise it.
create table api_key (
    id           bigserial   primary key,
    name         text        not null,
    prefix       text        not null,
    key_hash     text        not null unique,
    store_ids    bigint[],   -- null: all stores
    created_by   text        not null,
    created_at   timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

-- Who did what. detail holds ids and facts, never personal data values.
create table audit_log (
    id           bigserial   primary key,
    at           timestamptz not null default now(),
    actor        text        not null,
    action       text        not null,
    subject_type text,
    subject_id   text,
    detail       jsonb       not null default '{}'
);
create index audit_log_at on audit_log (at);
create index audit_log_subject on audit_log (subject_type, subject_id, at);
