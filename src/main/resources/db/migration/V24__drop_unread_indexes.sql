-- Two indexes that every write paid for and no read used. Each line and each event cost an index
-- insert (an import of 200,000 lines wrote 200,000 entries into the first and ~70,000 into the second).
-- receipt_line_customer served one statement: a merge moving a customer's lines, which now finds
-- them through their receipts (receipt_customer_time, then the lines' primary key). event_feed_customer
-- served nothing: consumers read the feed in (tx_id, id) order, never by customer.
drop index receipt_line_customer;
drop index event_feed_customer;
