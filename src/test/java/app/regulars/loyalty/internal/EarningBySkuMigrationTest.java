package app.regulars.loyalty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import app.regulars.IntegrationTest;
import app.regulars.platform.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * V22 moves what receipts earned per SKU from receipt_earning_line rows into arrays on
 * receipt_earning: receipts earned and partly refunded before it are refunded after it exactly as
 * they would have been (their share per SKU, the whole receipt's points at the last refund).
 */
class EarningBySkuMigrationTest extends IntegrationTest {

    @Autowired Database database;

    String name;
    String url;
    SingleConnectionDataSource connection;
    JdbcTemplate old;

    @BeforeEach
    void databaseBeforeV22() throws SQLException {
        name = "loyalty_v22_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password())) {
            c.createStatement().execute("create database " + name);
        }
        String server = database.jdbcUrl().split("\\?")[0];
        url = server.substring(0, server.lastIndexOf('/') + 1) + name;
        migrate("21");
        connection = new SingleConnectionDataSource(url, database.user(), database.password(), true);
        old = new JdbcTemplate(connection);
    }

    @AfterEach
    void drop() throws SQLException {
        connection.destroy();
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password())) {
            c.createStatement().execute("drop database if exists " + name + " with (force)");
        }
    }

    @Test
    void aReceiptPartlyRefundedBeforeTheMigrationReversesExactlyItsShareAfterIt() {
        // 250 points: SKU 7 earned 200.000 of 200.00 yuan, SKU 3 earned 50.999 of 50.99; half of SKU 7 refunded already.
        receipt(1, 25_099, 250, 100_00, 100);
        line(1, 7, 200_00, 200_000, 100_00);
        line(1, 3, 50_99, 50_999, 0);
        receipt(2, 10_00, 10, 0, 0);
        line(2, 5, 10_00, 10_000, 0);
        receipt(3, 0, 0, 0, 0); // no lines: an all-discount receipt

        migrate("22");

        SkuShares one = shares(1);
        assertThat(one.skuIds()).containsExactly(3, 7);
        assertThat(one.amountCents()).containsExactly(50_99, 200_00);
        assertThat(one.pointsMilli()).containsExactly(50_999, 200_000);
        assertThat(one.refundedCents()).containsExactly(0, 100_00);
        assertThat(one.reversalTarget(250)).as("what the refund before the migration took").isEqualTo(100);
        // The second refund: the rest of SKU 7 (200.000) and a third of SKU 3 (17.003), rounded down once; a SKU
        // the receipt did not sell takes nothing.
        SkuShares second = one.refund(7, 100_00).refund(3, 17_00).refund(99, 5_00);
        assertThat(second.reversalTarget(250)).isEqualTo(217);
        assertThat(second.refund(3, 50_00).reversalTarget(250)).as("everything refunded: all its points").isEqualTo(250);

        assertThat(old.queryForObject("select sku_refunded_cents is null from receipt_earning where receipt_id = 2",
                Boolean.class)).as("nothing refunded yet").isTrue();
        assertThat(shares(2).refundedCents()).containsExactly(0);
        assertThat(shares(3).skuIds()).isEmpty();
        assertThat(shares(3).reversalTarget(0)).isZero();
        assertThat(old.queryForObject("select to_regclass('receipt_earning_line') is null", Boolean.class)).isTrue();
    }

    private void migrate(String target) {
        Flyway.configure().dataSource(url, database.user(), database.password()).locations("classpath:db/migration")
                .target(target).load().migrate();
    }

    private void receipt(long id, long cents, long earned, long refunded, long reversed) {
        old.update("""
                insert into receipt_earning (receipt_id, customer_id, source, receipt_no, store_id, purchased_at, amount_cents,
                                             earned, refunded_cents, reversed)
                values (?, 42, 'pos', ?, null, now(), ?, ?, ?, ?)""", id, "R-" + id, cents, earned, refunded, reversed);
    }

    private void line(long receipt, long sku, long cents, long milli, long refunded) {
        old.update("""
                insert into receipt_earning_line (receipt_id, sku_id, amount_cents, points_milli, refunded_cents)
                values (?, ?, ?, ?, ?)""", receipt, sku, cents, milli, refunded);
    }

    private SkuShares shares(long receipt) {
        List<SkuShares> found = old.query("""
                select sku_ids, sku_amount_cents, sku_points_milli, sku_refunded_cents from receipt_earning
                where receipt_id = ?""", (rs, i) -> SkuShares.read(rs), receipt);
        return found.getFirst();
    }
}
