-- A receipt's earning is read by its receipt, never filtered, joined or sorted by its SKU arrays, yet
-- ANALYZE built element statistics for each array of its sample: 40% of ANALYZE's samples, 5% of
-- PostgreSQL's, while an import applied (perf, BENCHMARKS.md 2026-12-01). Target 0: ANALYZE skips them.
alter table receipt_earning
    alter column sku_ids set statistics 0,
    alter column sku_amount_cents set statistics 0,
    alter column sku_points_milli set statistics 0,
    alter column sku_refunded_cents set statistics 0;
