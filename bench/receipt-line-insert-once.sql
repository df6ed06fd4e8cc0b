-- One timed insert of the 200,000 lines into an emptied xr_line: by the intake's unnest statements, or
-- by COPY when :copy is true; prints the round, :how and the milliseconds.
truncate xr_line; checkpoint;
select clock_timestamp() as t0 \gset
\if :copy
\copy xr_line from '/tmp/receipt-line-insert.tsv'
\else
begin;
select statement from xr_batch order by batch \gexec
commit;
\endif
select round(extract(epoch from clock_timestamp() - :'t0') * 1000) as ms \gset
\echo :round :how :ms ms
