-- One round of bench/receipt-line-insert.sql: unnest and COPY, with the customer index, then without.
truncate xr_line; checkpoint;
create index xr_line_customer on xr_line (customer_id) where customer_id is not null;
select clock_timestamp() as t0 \gset
begin;
select statement from xr_batch order by batch \gexec
commit;
select :round as round, 'unnest, with index' as how, round(extract(epoch from clock_timestamp() - :'t0') * 1000) as ms \gset
\echo :round :how :ms ms
truncate xr_line; checkpoint;
select clock_timestamp() as t0 \gset
\copy xr_line from '/tmp/receipt-line-insert.tsv'
select 'COPY, with index' as how, round(extract(epoch from clock_timestamp() - :'t0') * 1000) as ms \gset
\echo :round :how :ms ms
drop index xr_line_customer;
truncate xr_line; checkpoint;
select clock_timestamp() as t0 \gset
begin;
select statement from xr_batch order by batch \gexec
commit;
select 'unnest, without index' as how, round(extract(epoch from clock_timestamp() - :'t0') * 1000) as ms \gset
\echo :round :how :ms ms
truncate xr_line; checkpoint;
select clock_timestamp() as t0 \gset
\copy xr_line from '/tmp/receipt-line-insert.tsv'
select 'COPY, without index' as how, round(extract(epoch from clock_timestamp() - :'t0') * 1000) as ms \gset
\echo :round :how :ms ms
