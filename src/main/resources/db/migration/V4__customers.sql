-- Customers: identity, profile, custom fields, consent (docs/decisions/0003-personal-data.md).
-- Personal data is encrypted (bytea, Tink AEAD, associated data = "customer.<column>"); lookups go
-- through HMAC blind indexes; only coarse facts (birth month-day, age band, city, …) are in the clear.
create table customer (
    id                    bigserial primary key,
    name                  bytea,
    phone                 bytea,
    card_no               bytea,
    address               bytea,
    birthday              bytea,
    -- Blind indexes of the profile's exact normalised name, phone and card. Phone and card are not
    -- unique here (identities are): two customers sharing one is what duplicate detection finds.
    name_index            bytea,
    phone_index           bytea,
    card_index            bytea,
    gender                text check (gender in ('female', 'male', 'other')),
    birth_mmdd            text check (birth_mmdd ~ '^(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$'),
    age_band              text,
    city                  text,
    region                text,
    home_store_id         bigint references store (id),
    registration_store_id bigint references store (id),
    registration_channel  text,
    referrer_customer_id  bigint references customer (id),
    advisor_staff_id      bigint references staff (id), -- 专属顾问, the dedicated advisor
    registered_at         timestamptz not null,
    updated_at            timestamptz not null,
    merged_into           bigint references customer (id),
    custom                jsonb       not null default '{}'
);
create index customer_newest on customer (registered_at desc, id desc);
create index customer_name_index on customer (name_index) where name_index is not null;
create index customer_phone_index on customer (phone_index) where phone_index is not null;
create index customer_card_index on customer (card_index) where card_index is not null;

-- The ways a customer is recognised. The primary key makes concurrent resolution of one identity
-- create one customer: claim with "on conflict do nothing", then read the winner.
create table customer_identity (
    kind        text   not null check (kind in ('phone', 'card', 'wechat_openid', 'wechat_unionid', 'external')),
    source      text   not null default '',
    blind_index bytea  not null,
    value       bytea  not null, -- encrypted, associated data "customer_identity.value"
    -- Deferred: an identity is claimed before its (new) customer row is written, in one transaction.
    customer_id bigint not null references customer (id) deferrable initially deferred,
    created_at  timestamptz not null default now(),
    constraint customer_identity_unique primary key (kind, source, blind_index)
);
create index customer_identity_customer on customer_identity (customer_id);

-- Fields the chain defines at run time; values live in customer.custom. Deleting = deactivating.
create table custom_field (
    key        text primary key check (key ~ '^[a-z][a-z0-9_]{0,39}$'),
    label_zh   text        not null,
    label_en   text        not null,
    type       text        not null check (type in ('text', 'number', 'date', 'choice')),
    choices    text[]      not null default '{}',
    required   boolean     not null default false,
    active     boolean     not null default true,
    created_at timestamptz not null
);

-- Consent history, append-only: the current answer per (channel, purpose) is the latest row.
create table consent (
    id             bigserial primary key,
    customer_id    bigint      not null references customer (id),
    channel        text        not null check (channel in ('sms', 'wechat', 'email', 'phone', 'push')),
    purpose        text        not null check (purpose in ('marketing', 'service', 'analytics')),
    granted        boolean     not null,
    at             timestamptz not null,
    source         text        not null,
    notice_version text,
    evidence       text,
    recorded_at    timestamptz not null default now()
);
create index consent_latest on consent (customer_id, channel, purpose, at desc, id desc);
