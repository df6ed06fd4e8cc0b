-- Tags and segments (docs/decisions/0012-rule-language-and-segments.md). Current memberships are kept
-- here, written in the same transaction as the feed events announcing each change, so a restart
-- compares the engine's answer with what was last announced: nothing is emitted twice or lost.

-- A tag is manual (rule is null: staff add and remove it) or automatic (its rule decides).
create table tag (
    id          bigserial primary key,
    name        text        not null check (length(btrim(name)) between 1 and 60),
    description text,
    rule_json   jsonb,
    rule_text   text,
    builtin     text unique,          -- key of a built-in, so the first start creates each one once
    problem     text,                 -- why the rule cannot be evaluated now (a deleted field, …)
    computed_at timestamptz,          -- first evaluation done: later changes are announced
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    check ((rule_json is null) = (rule_text is null))
);
create unique index tag_name on tag (lower(name));

create table customer_tag (
    tag_id      bigint      not null references tag (id) on delete cascade,
    customer_id bigint      not null references customer (id),
    added_at    timestamptz not null,
    primary key (tag_id, customer_id)
);
create index customer_tag_customer on customer_tag (customer_id);

create table segment (
    id          bigserial primary key,
    name        text        not null check (length(btrim(name)) between 1 and 60),
    description text,
    rule_json   jsonb       not null,
    rule_text   text        not null,
    builtin     text unique,
    problem     text,
    computed_at timestamptz,
    created_at  timestamptz not null,
    updated_at  timestamptz not null
);
create unique index segment_name on segment (lower(name));

create table segment_member (
    segment_id  bigint      not null references segment (id) on delete cascade,
    customer_id bigint      not null references customer (id),
    entered_at  timestamptz not null,
    primary key (segment_id, customer_id)
);
create index segment_member_customer on segment_member (customer_id);

-- One row per segment and day (store timezone): the size at the day's last evaluation.
create table segment_size (
    segment_id bigint  not null references segment (id) on delete cascade,
    day        date    not null,
    members    integer not null,
    primary key (segment_id, day)
);
