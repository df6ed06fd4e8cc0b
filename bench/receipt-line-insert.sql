-- What a line costs to insert, and what its index by customer (V24), its foreign key to the receipt (V25,
-- decision 0006 "Lines and their receipt") and COPY change: 200,000 lines of the receipt_line shape go into
-- a table with the same keys (primary key, foreign key to its receipt), in 25 statements of 8,000 as the
-- intake sends them (unnest over text array literals) and by COPY; with a partial index on customer_id,
-- without it, and without the foreign key as well; three rounds. Run against any scratch PostgreSQL
-- database (it creates and drops its own tables):
--   psql -q -h 127.0.0.1 -U postgres test -f bench/receipt-line-insert.sql
-- Each configuration prints its milliseconds; the first round warms the cache.
\set QUIET on
set client_min_messages = warning;
drop table if exists xr_line, xr, xr_src, xr_batch;
create table xr (id bigserial primary key, source text not null, receipt_no text not null, customer_id bigint,
                 unique (source, receipt_no));
create table xr_line (
    receipt_id bigint not null references xr (id), line_no int not null, customer_id bigint, sku_id bigint not null,
    sku_code text not null, category_code text, quantity int not null, unit_price_cents bigint not null,
    discount_cents bigint not null, amount_cents bigint not null, coupon_code text, primary key (receipt_id, line_no));
insert into xr (source, receipt_no, customer_id) select 's', 'r' || g, g % 20000 from generate_series(1, 50000) g;
vacuum analyze xr;
create table xr_src as
select g / 4 + 1 as receipt_id, g % 4 + 1 as line_no, (g / 4 + 1) % 20000 as customer_id, g % 500 + 1 as sku_id,
       'SKU-' || g % 500 as sku_code, 'CAT-' || g % 20 as category_code, 1 + g % 3 as quantity,
       1000 + g % 900 as unit_price_cents, 0::bigint as discount_cents, 1000::bigint as amount_cents,
       null::text as coupon_code, g / 8000 as batch
from generate_series(0, 199999) g;
-- The 25 statements, each with its arrays written out as text literals (what the driver sends).
create table xr_batch as
select batch, format('insert into xr_line select * from unnest(%L::bigint[], %L::int[], %L::bigint[], %L::bigint[], '
                     || '%L::text[], %L::text[], %L::int[], %L::bigint[], %L::bigint[], %L::bigint[], %L::text[])',
                     array_agg(receipt_id), array_agg(line_no), array_agg(customer_id), array_agg(sku_id),
                     array_agg(sku_code), array_agg(category_code), array_agg(quantity), array_agg(unit_price_cents),
                     array_agg(discount_cents), array_agg(amount_cents), array_agg(coupon_code)) as statement
from xr_src group by batch order by batch;
\copy (select receipt_id, line_no, customer_id, sku_id, sku_code, category_code, quantity, unit_price_cents, discount_cents, amount_cents, coupon_code from xr_src) to '/tmp/receipt-line-insert.tsv'

\set round 1
\ir receipt-line-insert-round.sql
\set round 2
\ir receipt-line-insert-round.sql
\set round 3
\ir receipt-line-insert-round.sql
drop table xr_line, xr, xr_src, xr_batch;
