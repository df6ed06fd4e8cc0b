-- Coupons: templates, issued coupons with their codes, redemptions at the till, and instant-win draws.
-- No foreign keys into other modules' tables (customer, store, receipt): modules share ids, not tables.

create table coupon_template (
    id                 bigserial primary key,
    name               text        not null,
    kind               text        not null check (kind in ('fixed', 'percent', 'threshold', 'gift')),
    amount_cents       bigint      check (amount_cents > 0),                    -- fixed
    percent_off        int         check (percent_off between 1 and 99),        -- percent
    cap_cents          bigint      check (cap_cents > 0),                       -- percent: most it takes off
    tiers              jsonb       not null default '[]',                       -- threshold: [{"minCents":..,"offCents":..}]
    gift_sku           text,                                                    -- gift: the SKU handed over
    gift_value_cents   bigint      check (gift_value_cents >= 0),               -- gift: its cost, for budget and stats
    min_spend_cents    bigint      not null default 0 check (min_spend_cents >= 0), -- fixed, percent, gift
    scope_categories   text[]      not null default '{}',                       -- empty: every category
    scope_skus         text[]      not null default '{}',                       -- empty: every SKU
    scope_store_ids    bigint[]    not null default '{}',                       -- empty: every store
    valid_from         timestamptz,                                             -- fixed dates ...
    valid_until        timestamptz,
    valid_days         int         check (valid_days > 0),                      -- ... or N days from issue
    stacking           text        not null default 'exclusive' check (stacking in ('exclusive', 'any', 'listed')),
    stacks_with        bigint[]    not null default '{}',                       -- 'listed': these templates
    per_customer_limit int         check (per_customer_limit > 0),
    total_quantity     int         check (total_quantity > 0),
    budget_cents       bigint      check (budget_cents > 0),                    -- of face value, reserved at issue
    face_cents         bigint      not null check (face_cents >= 0),            -- the most one coupon can be worth
    issued_count       int         not null default 0,
    issued_face_cents  bigint      not null default 0,
    active             boolean     not null default true,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    constraint template_validity check ((valid_days is null) <> (valid_until is null)),
    constraint template_quantity_cap check (total_quantity is null or issued_count <= total_quantity),
    constraint template_budget_cap check (budget_cents is null or issued_face_cents <= budget_cents)
);

create table coupon (
    id           bigserial primary key,
    code         text        not null unique,
    template_id  bigint      not null references coupon_template (id),
    customer_id  bigint      not null,
    issue_key    text        not null unique,   -- the issuer's idempotency key
    issued_via   text        not null check (issued_via in ('console', 'api', 'bulk', 'rule', 'journey', 'draw')),
    issued_at    timestamptz not null,
    valid_from   timestamptz not null,
    valid_until  timestamptz not null,
    face_cents   bigint      not null,
    status       text        not null default 'active' check (status in ('active', 'redeemed')),
    redemption_id bigint
);
create index coupon_customer on coupon (customer_id, template_id);
create index coupon_template_status on coupon (template_id, status);

-- One till transaction: the coupons it used, tied to the receipt (source, receipt_no).
create table coupon_redemption (
    id                  bigserial primary key,
    source              text        not null,
    till_txn_id         text        not null,
    receipt_no          text        not null,
    customer_id         bigint      not null,
    store_id            bigint      not null,
    basket_cents        bigint      not null,
    discount_cents      bigint      not null,
    gift_cents          bigint      not null default 0,
    result              jsonb       not null,   -- the first answer, returned again to a retry
    redeemed_at         timestamptz not null,
    receipt_id          bigint,                 -- learnt from the purchases feed
    receipt_total_cents bigint,
    refunded_cents      bigint      not null default 0,
    reversed_at         timestamptz,
    constraint redemption_idempotency unique (source, till_txn_id)
);
create index coupon_redemption_receipt_no on coupon_redemption (source, receipt_no);
create index coupon_redemption_receipt on coupon_redemption (receipt_id) where receipt_id is not null;

create table coupon_redemption_line (
    redemption_id  bigint not null references coupon_redemption (id),
    coupon_id      bigint not null references coupon (id),
    template_id    bigint not null,
    discount_cents bigint not null,
    gift_cents     bigint not null default 0,
    primary key (redemption_id, coupon_id)
);
create index coupon_redemption_line_template on coupon_redemption_line (template_id);

-- Receipts carrying coupon codes that arrived before their redemption (the till posted first).
create table coupon_receipt (
    source      text   not null,
    receipt_no  text   not null,
    receipt_id  bigint not null,
    total_cents bigint not null,
    primary key (source, receipt_no)
);

-- Automatic issuance: first purchase.
create table coupon_rule (
    id          bigserial primary key,
    trigger     text        not null check (trigger in ('first_purchase')),
    template_id bigint      not null references coupon_template (id),
    active      boolean     not null default true,
    created_at  timestamptz not null default now()
);

-- Customers whose first sale the coupons consumer has seen (kept by the consumer, from the whole feed).
create table coupon_first_sale (
    customer_id bigint primary key,
    receipt_id  bigint      not null,
    at          timestamptz not null
);

-- Instant-win draws (满额抽奖).
create table draw_campaign (
    id                bigserial primary key,
    name              text        not null,
    receipt_min_cents bigint      check (receipt_min_cents > 0),   -- a receipt of at least this grants a draw
    points_cost       bigint      check (points_cost > 0),         -- a draw bought with points (积分抽奖)
    budget_cents      bigint      check (budget_cents > 0),
    spent_cents       bigint      not null default 0,
    table_version     int         not null default 1,
    active            boolean     not null default true,
    created_at        timestamptz not null default now(),
    constraint draw_budget_cap check (budget_cents is null or spent_cents <= budget_cents)
);

create table draw_prize (
    id          bigserial primary key,
    campaign_id bigint  not null references draw_campaign (id),
    position    int     not null,
    kind        text    not null check (kind in ('points', 'coupon', 'gift')),
    label       text    not null,
    points      bigint  check (points > 0),
    template_id bigint  references coupon_template (id),
    gift_sku    text,
    value_cents bigint  not null default 0 check (value_cents >= 0),
    odds_ppm    int     not null check (odds_ppm between 0 and 1000000),
    stock       int     check (stock >= 0),
    won         int     not null default 0,
    constraint draw_prize_stock check (stock is null or won <= stock)
);
create index draw_prize_campaign on draw_prize (campaign_id, position);

-- Every version of a campaign's prize table (odds), so a recorded draw can be replayed.
create table draw_table (
    campaign_id bigint not null references draw_campaign (id),
    version     int    not null,
    prizes      jsonb  not null,
    created_at  timestamptz not null default now(),
    primary key (campaign_id, version)
);

create table draw_grant (
    id          bigserial primary key,
    campaign_id bigint      not null references draw_campaign (id),
    customer_id bigint      not null,
    grant_key   text        not null unique,
    via         text        not null check (via in ('receipt', 'points', 'journey', 'console')),
    granted_at  timestamptz not null
);
create index draw_grant_customer on draw_grant (customer_id);

create table draw (
    id              bigserial primary key,
    grant_id        bigint      not null unique references draw_grant (id),
    campaign_id     bigint      not null references draw_campaign (id),
    customer_id     bigint      not null,
    random_value    bigint      not null,   -- 64 random bits from SecureRandom; the whole outcome follows from it
    table_version   int         not null,
    picked_prize_id bigint,                 -- what the random value picked on that table (null: no prize)
    prize_id        bigint,                 -- what was won: picked_prize_id unless out of stock or budget
    shortfall       text check (shortfall in ('stock', 'budget', 'coupon_cap')),
    coupon_id       bigint,
    drawn_at        timestamptz not null
);
create index draw_campaign_time on draw (campaign_id, drawn_at desc);
