-- Purchases: receipts with their lines, customer interactions, and per-customer purchase stats.
-- No foreign keys into other modules' tables (customer, store, sku): modules share ids, not tables.

create table receipt (
    id                  bigserial primary key,
    source              text        not null,   -- the sending system (a POS, an import, the console)
    receipt_no          text        not null,   -- the sender's own number; (source, receipt_no) is the idempotency key
    kind                text        not null check (kind in ('sale', 'refund')),
    customer_id         bigint,                 -- null: an anonymous receipt
    store_id            bigint      not null,
    purchased_at        timestamptz not null,
    channel             text        not null,
    payment_method      text,
    staff_id            bigint,                 -- the catalog's staff member, when the till's staff code is known
    staff_code          text,                   -- as the till sent it, kept also when the catalog does not know it
    total_cents         bigint      not null,   -- what was paid (sale) or paid back (refund), positive
    discount_cents      bigint      not null default 0,
    original_receipt_id bigint references receipt (id),
    reason_code         text,
    recorded_at         timestamptz not null default now(),
    constraint receipt_idempotency unique (source, receipt_no),
    constraint refund_has_original check ((kind = 'refund') = (original_receipt_id is not null))
);
create index receipt_customer_time on receipt (customer_id, purchased_at desc) where customer_id is not null;
create index receipt_original on receipt (original_receipt_id) where original_receipt_id is not null;
create index receipt_store_time on receipt (store_id, purchased_at);

create table receipt_line (
    receipt_id       bigint  not null references receipt (id),
    line_no          int     not null,
    customer_id      bigint,
    sku_id           bigint  not null,
    sku_code         text    not null,   -- kept so refunds and the timeline need no catalog round trip
    category_code    text,
    quantity         int     not null check (quantity > 0),
    unit_price_cents bigint  not null check (unit_price_cents >= 0),
    discount_cents   bigint  not null default 0 check (discount_cents >= 0),
    amount_cents     bigint  not null,
    coupon_code      text,
    primary key (receipt_id, line_no)
);
create index receipt_line_customer on receipt_line (customer_id) where customer_id is not null;

create table interaction (
    id          bigserial primary key,
    source      text        not null,
    external_id text        not null,
    customer_id bigint      not null,
    type        text        not null check (type in ('visit', 'check_in', 'page_view', 'favourite', 'add_to_cart',
                            'search', 'review', 'survey_answer', 'message_sent', 'message_clicked',
                            'coupon_issued', 'coupon_redeemed')),
    occurred_at timestamptz not null,
    store_id    bigint,
    sku_id      bigint,
    rating      smallint check (rating between 1 and 5),
    detail      jsonb       not null default '{}',   -- facts only (search terms, page, coupon code), never PII
    recorded_at timestamptz not null default now(),
    constraint interaction_idempotency unique (source, external_id)
);
create index interaction_customer_time on interaction (customer_id, occurred_at desc);

-- Kept by the customer-stats feed consumer, in the pump's transaction.
create table customer_stats (
    customer_id       bigint primary key,
    first_purchase_at timestamptz,
    last_purchase_at  timestamptz,
    orders            int         not null default 0,
    spend_cents       bigint      not null default 0,
    refunds           int         not null default 0,
    refund_cents      bigint      not null default 0,
    updated_at        timestamptz not null default now()
);

-- A merged-away customer's later feed events are counted for the survivor.
create table customer_stats_redirect (
    merged_id   bigint primary key,
    survivor_id bigint      not null,
    merged_at   timestamptz not null default now()
);
