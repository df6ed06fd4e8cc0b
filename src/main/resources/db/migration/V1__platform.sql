-- The event feed: facts appended in the transaction of the write they describe.
-- tx_id is the writer's transaction id; readers read only below the oldest running transaction.
create table event_feed (
    id          bigserial primary key,
    tx_id       xid8        not null default pg_current_xact_id(),
    topic       text        not null,
    type        text        not null,
    customer_id bigint,
    occurred_at timestamptz not null,
    recorded_at timestamptz not null default now(),
    payload     jsonb       not null
);
create index event_feed_position on event_feed (tx_id, id);
create index event_feed_customer on event_feed (customer_id, id);

-- How far each consumer has read, updated in the same transaction as the consumer's own writes.
create table feed_position (
    consumer   text primary key,
    last_tx    xid8        not null default '0',
    last_id    bigint      not null default 0,
    updated_at timestamptz not null default now()
);

-- Small settings that must survive restarts (demo loaded, first-run done, …).
create table app_setting (
    key        text primary key,
    value      text        not null,
    updated_at timestamptz not null default now()
);
