-- Who was merged into a customer: the survivor's view of late rows that still name a merged customer
-- (the insights oracle, duplicate clean-ups). Few customers are merged, so the index is small.
create index customer_merged_into on customer (merged_into) where merged_into is not null;
