package app.regulars.coupons;

import app.regulars.customers.CustomerMerged;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** When two customers turn out to be one, the merged customer's coupons and draws move to the survivor. */
@Component
class CouponsFollowMerges {

    private final JdbcClient jdbc;

    CouponsFollowMerges(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void on(CustomerMerged merged) {
        for (String table : new String[] {"coupon", "coupon_redemption", "draw_grant", "draw"}) {
            jdbc.sql("update " + table + " set customer_id = ? where customer_id = ?")
                    .params(merged.survivorId(), merged.mergedId()).update();
        }
        // A survivor that had bought already keeps its own first sale.
        jdbc.sql("""
                        delete from coupon_first_sale m using coupon_first_sale s
                        where m.customer_id = ? and s.customer_id = ?""")
                .params(merged.mergedId(), merged.survivorId()).update();
        jdbc.sql("update coupon_first_sale set customer_id = ? where customer_id = ?")
                .params(merged.survivorId(), merged.mergedId()).update();
    }
}
