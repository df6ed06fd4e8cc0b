-- What the foreign key from a line to its receipt cost each line (V25, decision 0006 "Lines and their
-- receipt"): 200,000 lines of the receipt_line shape inserted into two tables with the same primary key,
-- one with the key to a 50,000-row receipt table and one without, three rounds, alternating which goes
-- first. Run against any scratch PostgreSQL database (it creates and drops its own tables):
--   psql -q -h 127.0.0.1 -U postgres test -f bench/receipt-line-foreign-key.sql
-- Each insert prints its time: "with" then "without" in round 1, the other order in rounds 2 and 3.
\set QUIET on
set client_min_messages = warning;
drop table if exists yl_with, yl_without, yr, ysrc;
create table yr (id bigserial primary key, source text not null, receipt_no text not null, customer_id bigint,
                 unique (source, receipt_no));
insert into yr (source, receipt_no, customer_id) select 's', 'r' || g, g % 20000 from generate_series(1, 50000) g;
vacuum analyze yr;
create table ysrc as
select g / 4 + 1 as receipt_id, g % 4 + 1 as line_no, (g / 4 + 1) % 20000 as customer_id, g % 500 + 1 as sku_id,
       'SKU-' || g % 500 as sku_code, 'CAT-' || g % 20 as category_code, 1 + g % 3 as quantity,
       1000 + g % 900 as unit_price_cents, 0::bigint as discount_cents, 1000::bigint as amount_cents,
       null::text as coupon_code
from generate_series(0, 199999) g;
create table yl_with (
    receipt_id bigint not null references yr (id), line_no int not null, customer_id bigint, sku_id bigint not null,
    sku_code text not null, category_code text, quantity int not null, unit_price_cents bigint not null,
    discount_cents bigint not null, amount_cents bigint not null, coupon_code text, primary key (receipt_id, line_no));
create table yl_without (like yl_with including defaults including constraints including indexes);
\timing on
\echo round 1: with, without
insert into yl_with select * from ysrc;
insert into yl_without select * from ysrc;
\timing off
truncate yl_with, yl_without;
\timing on
\echo round 2: without, with
insert into yl_without select * from ysrc;
insert into yl_with select * from ysrc;
\timing off
truncate yl_with, yl_without;
\timing on
\echo round 3: without, with
insert into yl_without select * from ysrc;
insert into yl_with select * from ysrc;
\timing off
drop table yl_with, yl_without, yr, ysrc;
