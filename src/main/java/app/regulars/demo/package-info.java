/**
 * Demo and benchmark data: a deterministic generator of a retail chain (stores, categories, SKUs,
 * customers and two years of receipts), the {@code generate} command and the demo store loaded on
 * the first start of an embedded database. Everything is written through the other modules' public
 * APIs, so validation, idempotency and feed events hold for generated data as for real data.
 */
package app.regulars.demo;
