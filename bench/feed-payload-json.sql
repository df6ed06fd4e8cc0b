-- The feed payload as json against jsonb (docs/decisions/0002, "Payload as json"): inserts 200,000
-- payloads of the receipt event's shape into a table of each type, three times, and reads them back
-- as text twice. Run against any scratch PostgreSQL database (it creates and drops its own tables):
--   psql -h 127.0.0.1 -U postgres test -f bench/feed-payload-json.sql
-- Compare the "Time:" lines of the jsonb and json statements in pairs; the first pair warms the cache.
\timing on
drop table if exists pj; drop table if exists pjb; drop table if exists src;
create table src as select i, format('{"kind":"sale","lines":[{"skuId":%s,"category":null,"quantity":1,"amountCents":11690},{"skuId":192,"category":null,"quantity":1,"amountCents":9390},{"skuId":345,"category":null,"quantity":2,"amountCents":7980},{"skuId":389,"category":null,"quantity":2,"amountCents":37180}],"source":"bench-check-ours-5553-1","channel":"store","staffId":null,"storeId":1,"receiptId":%s,"receiptNo":"R%s","totalCents":104020,"couponCodes":[],"discountCents":0,"paymentMethod":null}', i % 500, i, i) as t from generate_series(1,200000) i;
create table pj (id bigserial primary key, p json not null);
create table pjb (id bigserial primary key, p jsonb not null);
-- warm
select count(*) from src;
insert into pjb (p) select t::jsonb from src;
insert into pj (p) select t::json from src;
truncate pj; truncate pjb;
insert into pjb (p) select t::jsonb from src;
insert into pj (p) select t::json from src;
truncate pj; truncate pjb;
insert into pjb (p) select t::jsonb from src;
insert into pj (p) select t::json from src;
select sum(length(p::text)) from pjb;
select sum(length(p::text)) from pj;
select sum(length(p::text)) from pjb;
select sum(length(p::text)) from pj;
select pg_size_pretty(pg_relation_size('pj')), pg_size_pretty(pg_relation_size('pjb'));
drop table pj; drop table pjb; drop table src;
