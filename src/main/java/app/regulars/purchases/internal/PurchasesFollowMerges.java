package app.regulars.purchases.internal;

import app.regulars.customers.CustomerMerged;
import app.regulars.platform.EventFeed;
import java.time.Clock;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * When two customers turn out to be one, their receipts, lines and interactions move to the
 * survivor in the merge's own transaction. The stats move through the feed ("receipts.moved"), so
 * the stats consumer, which may still have events of the merged customer to apply, stays exact.
 */
@Component
class PurchasesFollowMerges {

    private final JdbcTemplate jdbc;
    private final EventFeed feed;
    private final Clock clock;

    PurchasesFollowMerges(JdbcTemplate jdbc, EventFeed feed, Clock clock) {
        this.jdbc = jdbc;
        this.feed = feed;
        this.clock = clock;
    }

    @EventListener
    void on(CustomerMerged merged) {
        long survivor = merged.survivorId();
        long gone = merged.mergedId();
        // Lines first, found through their receipts while those still name the merged customer: the lines
        // carry no index of their own by customer (V24), as nothing else reads them that way.
        jdbc.update("""
                update receipt_line l set customer_id = ? from receipt r
                where r.customer_id = ? and l.receipt_id = r.id""", survivor, gone);
        jdbc.update("update receipt set customer_id = ? where customer_id = ?", survivor, gone);
        jdbc.update("update interaction set customer_id = ? where customer_id = ?", survivor, gone);
        // Earlier merges into the merged customer now lead to the survivor: redirects stay one step long.
        jdbc.update("update customer_stats_redirect set survivor_id = ? where survivor_id = ?", survivor, gone);
        jdbc.update("""
                insert into customer_stats_redirect (merged_id, survivor_id) values (?, ?)
                on conflict (merged_id) do update set survivor_id = excluded.survivor_id, merged_at = now()""",
                gone, survivor);
        feed.append(ReceiptIntake.TOPIC, CustomerStatsConsumer.MOVED, survivor, clock.instant(),
                Map.of("mergedId", gone, "survivorId", survivor));
    }
}
