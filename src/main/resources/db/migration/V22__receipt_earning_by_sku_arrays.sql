-- What a receipt earned per SKU moves from receipt_earning_line (one row per SKU, with its primary
-- key and its foreign key check: the largest insert of a bulk import) into arrays on the receipt's
-- own record, written by the same insert. Position i of each array is one SKU of the receipt; a
-- refund updates the receipt's row only (docs/decisions/0013).
alter table receipt_earning
    add column sku_ids            bigint[] not null default '{}',
    add column sku_amount_cents   bigint[] not null default '{}', -- what the receipt paid for the SKU
    add column sku_points_milli   bigint[] not null default '{}', -- thousandths of a point the SKU earned
    add column sku_refunded_cents bigint[];                        -- null: nothing refunded yet

update receipt_earning e
set sku_ids = l.skus, sku_amount_cents = l.amounts, sku_points_milli = l.milli,
    sku_refunded_cents = case when l.refunded then l.refunded_cents end
from (select receipt_id, array_agg(sku_id order by sku_id) as skus, array_agg(amount_cents order by sku_id) as amounts,
             array_agg(points_milli order by sku_id) as milli, array_agg(refunded_cents order by sku_id) as refunded_cents,
             bool_or(refunded_cents > 0) as refunded
      from receipt_earning_line group by receipt_id) l
where e.receipt_id = l.receipt_id;

drop table receipt_earning_line;

-- Two indexes that every earning paid for and no query reads: lots are found by customer (and
-- drawn in expiry order), never by receipt; the month figures select entries by occurred_at, not
-- recorded_at.
drop index points_lot_receipt;
drop index points_entry_month;
