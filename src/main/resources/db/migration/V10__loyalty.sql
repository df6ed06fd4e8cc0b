-- Loyalty: an append-only points ledger (entries, lots, allocations), earning rules, tiers, gifts and
-- redemptions. No foreign keys into other modules' tables: modules share ids, not tables.
-- Mutable columns (points_account.balance/debt/shortfall, points_lot.remaining) are caches of the
-- ledger, kept in the same transaction and checked by LoyaltyLedger.verify (docs/decisions/0013).

create table loyalty_settings (
    id                   smallint    primary key default 1 check (id = 1),
    earn_from            timestamptz,            -- receipts and events before this earn nothing (history imports)
    pending_days         int         not null default 7 check (pending_days between 0 and 365),
    expiry_policy        text        not null default 'end_of_year'
                         check (expiry_policy in ('days', 'end_of_month', 'end_of_year', 'never')),
    expiry_n             int         not null default 1 check (expiry_n between 0 and 3650),
    reminder_days        int         not null default 30 check (reminder_days between 0 and 365),
    shortfall_policy     text        not null default 'record' check (shortfall_policy in ('negative', 'record')),
    multiplier_mode      text        not null default 'best' check (multiplier_mode in ('best', 'stack')),
    cash_points_per_yuan int         not null default 100 check (cash_points_per_yuan between 1 and 100000),
    cash_max_basket_pct  int         not null default 50 check (cash_max_basket_pct between 0 and 100),
    cash_max_points      bigint      not null default 100000 check (cash_max_points >= 0),
    tier_basis           text        not null default 'spend' check (tier_basis in ('spend', 'points')),
    tier_review          text        not null default 'anniversary' check (tier_review in ('anniversary', 'fixed')),
    tier_review_mmdd     text        not null default '0101'
                         check (tier_review_mmdd ~ '^(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$'),
    tier_grace_pct       int         not null default 10 check (tier_grace_pct between 0 and 100),
    updated_at           timestamptz not null default now()
);
insert into loyalty_settings default values;

create table loyalty_tier (
    code              text          primary key check (code ~ '^[a-z0-9_-]{1,32}$'),
    rank              int           not null unique check (rank >= 0),
    name_zh           text          not null,
    name_en           text          not null,
    min_spend_cents   bigint        not null default 0 check (min_spend_cents >= 0),
    min_points        bigint        not null default 0 check (min_points >= 0),
    discount_bp       int           not null default 0 check (discount_bp between 0 and 10000), -- 500 = 5 % off
    points_multiplier numeric(6, 2) not null default 1 check (points_multiplier between 0 and 100),
    birthday_gift     text,
    early_access      boolean       not null default false,
    advisor           boolean       not null default false,
    free_shipping     boolean       not null default false
);
insert into loyalty_tier (code, rank, name_zh, name_en, min_spend_cents, min_points, discount_bp, points_multiplier,
                          birthday_gift, early_access, advisor, free_shipping) values
    ('basic',  0, '普通', 'Member',   0,         0,     0,    1.00, null,        false, false, false),
    ('silver', 1, '银卡', 'Silver',   200000,    2000,  200,  1.20, '生日券 ¥20', false, false, false),
    ('gold',   2, '金卡', 'Gold',     800000,    8000,  500,  1.50, '生日礼盒',   true,  false, true),
    ('black',  3, '黑金', 'Black',    3000000,   30000, 1000, 2.00, '生日礼盒+',  true,  true,  true);

create table earning_rule (
    id         bigserial   primary key,
    name       text        not null,
    kind       text        not null check (kind in ('per_amount', 'multiplier', 'exclusion', 'minimum_basket',
               'special_days', 'birthday_month', 'signup_bonus', 'first_purchase_bonus', 'referral', 'interaction')),
    active     boolean     not null default true,
    starts_on  date,
    ends_on    date,
    params     jsonb       not null default '{}',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint earning_rule_window check (starts_on is null or ends_on is null or starts_on <= ends_on)
);
insert into earning_rule (name, kind, params) values ('消费积分 ¥1 = 1 分', 'per_amount', '{"pointsPerYuan": 1}');

create table points_account (
    customer_id       bigint      primary key,
    balance           bigint      not null default 0,  -- sum of the customer's entries
    debt              bigint      not null default 0 check (debt >= 0),      -- reversals not covered (policy negative)
    shortfall         bigint      not null default 0 check (shortfall >= 0), -- reversals not taken (policy record)
    tier_code         text        not null default 'basic',
    tier_since        timestamptz not null default now(),
    tier_review_on    date,
    manual_tier_until timestamptz,                      -- a manual tier holds until then
    first_receipt_id  bigint,
    updated_at        timestamptz not null default now()
);
create index points_account_review on points_account (tier_review_on);

create table points_entry (
    id              bigserial   primary key,
    customer_id     bigint      not null,
    kind            text        not null check (kind in ('earn', 'bonus', 'interaction', 'adjust', 'spend',
                    'redeem_cash', 'redeem_gift', 'redeem_coupon', 'expire', 'reverse', 'restore')),
    points          bigint      not null,   -- signed: what the entry adds to the balance
    reason          text,
    idempotency_key text        not null unique,
    receipt_id      bigint,
    actor           text        not null default 'system',
    detail          jsonb       not null default '{}',
    occurred_at     timestamptz not null,
    recorded_at     timestamptz not null default now()
);
create index points_entry_customer on points_entry (customer_id, id desc);
create index points_entry_receipt on points_entry (receipt_id) where receipt_id is not null;
create index points_entry_month on points_entry (recorded_at, kind);

-- An earning is a lot: spent, expired or reversed through allocations, oldest expiry first.
create table points_lot (
    id           bigserial   primary key,
    customer_id  bigint      not null,
    entry_id     bigint      not null references points_entry (id),
    points       bigint      not null check (points > 0),
    remaining    bigint      not null check (remaining >= 0 and remaining <= points),
    earned_at    timestamptz not null,
    available_at timestamptz not null,   -- pending (locked in the return window) until then
    expires_at   timestamptz,            -- null: never
    receipt_id   bigint
);
create index points_lot_open on points_lot (customer_id, expires_at nulls last, id) where remaining > 0;
create index points_lot_due on points_lot (expires_at) where remaining > 0 and expires_at is not null;
create index points_lot_receipt on points_lot (receipt_id) where receipt_id is not null;
create index points_lot_customer on points_lot (customer_id);

-- Which lots a negative entry drew from, and how much of each. A reversal's debt settled later by a
-- new lot is an allocation of that reversal too.
create table points_allocation (
    id       bigserial primary key,
    entry_id bigint    not null references points_entry (id),
    lot_id   bigint    not null references points_lot (id),
    points   bigint    not null check (points > 0)
);
create index points_allocation_entry on points_allocation (entry_id);
create index points_allocation_lot on points_allocation (lot_id);

create table points_shortfall (
    entry_id    bigint      primary key references points_entry (id),
    customer_id bigint      not null,
    receipt_id  bigint,
    points      bigint      not null check (points > 0),
    recorded_at timestamptz not null default now()
);
create index points_shortfall_customer on points_shortfall (customer_id);

-- What a receipt earned per SKU (in thousandths of a point), so refunds reverse exactly their share.
create table receipt_earning (
    receipt_id     bigint      primary key,
    customer_id    bigint      not null,
    source         text,
    receipt_no     text,
    store_id       bigint,
    purchased_at   timestamptz not null,
    amount_cents   bigint      not null,
    earned         bigint      not null,   -- spend points of the receipt (bonuses are entries of their own)
    refunded_cents bigint      not null default 0,
    reversed       bigint      not null default 0
);
create index receipt_earning_key on receipt_earning (source, receipt_no);
create index receipt_earning_customer on receipt_earning (customer_id);

create table receipt_earning_line (
    receipt_id     bigint not null references receipt_earning (receipt_id),
    sku_id         bigint not null,
    amount_cents   bigint not null,
    points_milli   bigint not null,
    refunded_cents bigint not null default 0,
    primary key (receipt_id, sku_id)
);

-- Rolling-12-month tier qualification: spend and qualifying points per customer and day, apart
-- from spendable points.
create table tier_activity (
    customer_id bigint not null,
    day         date   not null,
    spend_cents bigint not null default 0,
    points      bigint not null default 0,
    primary key (customer_id, day)
);

create table interaction_award (
    customer_id bigint not null,
    day         date   not null,
    rule_id     bigint not null,
    awarded     int    not null,
    primary key (customer_id, day, rule_id)
);

create table expiry_reminder (
    customer_id bigint      not null,
    expires_on  date        not null,
    points      bigint      not null,
    sent_at     timestamptz not null default now(),
    primary key (customer_id, expires_on)
);

create table gift (
    id           bigserial   primary key,
    code         text        not null unique,
    name         text        not null,
    points_price bigint      not null check (points_price > 0),
    stock        int         not null check (stock >= 0),
    active       boolean     not null default true,
    created_at   timestamptz not null default now()
);

create table gift_redemption (
    id          bigserial   primary key,
    gift_id     bigint      not null references gift (id),
    customer_id bigint      not null,
    entry_id    bigint      not null references points_entry (id),
    points      bigint      not null,
    redeemed_at timestamptz not null
);

-- Points taken as cash at the till; idempotent on the till's transaction, reversed by its refund.
create table cash_redemption (
    id             bigserial   primary key,
    source         text        not null,
    transaction_id text        not null,
    customer_id    bigint      not null,
    points         bigint      not null check (points > 0),
    cents          bigint      not null check (cents > 0),
    basket_cents   bigint      not null,
    entry_id       bigint      not null references points_entry (id),
    receipt_id     bigint,
    restored       bigint      not null default 0,
    redeemed_at    timestamptz not null,
    constraint cash_redemption_transaction unique (source, transaction_id)
);
create index cash_redemption_receipt on cash_redemption (receipt_id) where receipt_id is not null;

create table coupon_exchange (
    id            bigserial   primary key,
    customer_id   bigint      not null,
    template_code text        not null,
    points        bigint      not null,
    entry_id      bigint      not null references points_entry (id),
    coupon_ref    text,
    exchanged_at  timestamptz not null
);

create table coupon_exchange_offer (
    template_code text        primary key,
    points_price  bigint      not null check (points_price > 0),
    active        boolean     not null default true
);

-- Feed events naming a customer merged away earn for the survivor.
create table loyalty_redirect (
    merged_id   bigint primary key,
    survivor_id bigint not null
);
