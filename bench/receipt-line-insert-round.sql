-- One round of bench/receipt-line-insert.sql: unnest and COPY with the customer index and the foreign key
-- to the receipt, then without the index, then without the key as well.
create index xr_line_customer on xr_line (customer_id) where customer_id is not null;
\set copy false
\set how 'unnest, with index, with key'
\ir receipt-line-insert-once.sql
\set copy true
\set how 'COPY, with index, with key'
\ir receipt-line-insert-once.sql
drop index xr_line_customer;
\set copy false
\set how 'unnest, without index, with key'
\ir receipt-line-insert-once.sql
\set copy true
\set how 'COPY, without index, with key'
\ir receipt-line-insert-once.sql
alter table xr_line drop constraint xr_line_receipt_id_fkey;
\set copy false
\set how 'unnest, without index, without key'
\ir receipt-line-insert-once.sql
\set copy true
\set how 'COPY, without index, without key'
\ir receipt-line-insert-once.sql
truncate xr_line;
alter table xr_line add constraint xr_line_receipt_id_fkey foreign key (receipt_id) references xr (id);
