-- Catalog: the chain's stores and their staff, the category tree with its repurchase/care cycles,
-- SKUs (including uncatalogued ones first seen on a receipt) and the holiday calendar.

create table store (
    id         bigserial primary key,
    code       text        not null unique,
    name       text        not null,
    region     text,
    city       text,
    -- Calendar questions ("last 90 days", birthdays) are answered in the store's timezone.
    timezone   text        not null default 'Asia/Shanghai',
    opened_on  date,
    active     boolean     not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

-- Staff names are colleagues' work names, not customer personal data: stored in clear text.
create table staff (
    id         bigserial primary key,
    store_id   bigint      not null references store (id),
    code       text        not null,
    name       text        not null,
    role       text        not null default 'clerk' check (role in ('advisor', 'clerk', 'manager')),
    active     boolean     not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (store_id, code)
);

-- A tree; a null cycle is inherited from the nearest ancestor that has one.
-- repurchase_cycle_days: consumables (skincare ~45); care_cycle_days: durables (sofa ~180).
create table category (
    id                    bigserial primary key,
    code                  text        not null unique,
    name                  text        not null,
    parent_id             bigint references category (id),
    repurchase_cycle_days int check (repurchase_cycle_days > 0),
    care_cycle_days       int check (care_cycle_days > 0),
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now(),
    check (parent_id <> id)
);
create index category_parent on category (parent_id);

-- category_id is null for an item that arrived on a receipt before head office catalogued it.
create table sku (
    id          bigserial primary key,
    code        text        not null unique,
    name        text        not null,
    category_id bigint references category (id),
    brand       text,
    price_cents bigint      not null default 0 check (price_cents >= 0),
    -- Until someone says otherwise an item is assumed to be bought again rather than cared for.
    consumable  boolean     not null default true,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
create index sku_category on sku (category_id);
create index sku_name_lower on sku (lower(name) text_pattern_ops);

-- Generated festivals (lunar, fixed, shopping) per year plus custom ones from the console.
-- The window is the marketing season around the day: presales before, after-sales after.
create table holiday (
    id                 bigserial primary key,
    code               text    not null,
    name_zh            text    not null,
    name_en            text    not null,
    date               date    not null,
    kind               text    not null check (kind in ('lunar', 'fixed', 'shopping', 'custom')),
    window_before_days int     not null default 0 check (window_before_days >= 0),
    window_after_days  int     not null default 0 check (window_after_days >= 0),
    unique (code, date)
);
create index holiday_date on holiday (date);
