package app.regulars.insights.engine;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A seeded chain for the property tests: four stores in three timezones, a category tree, SKUs (one
 * uncategorised), holidays, custom fields (one deactivated), customers (some merged away, some
 * without purchases), sales with lines and coupons, refunds, anonymous receipts and interactions.
 */
final class ShopData {

    static final List<String> STORES = List.of("SH-01", "SH-02", "TK-01", "LN-01");
    static final List<String> ZONES = List.of("Asia/Shanghai", "Asia/Shanghai", "Asia/Tokyo", "Europe/London");
    static final List<String> CATEGORIES = List.of("beauty", "skincare", "serum", "makeup", "food", "snacks");
    static final List<Integer> PARENTS = List.of(0, 1, 2, 1, 0, 5); // by id (1-based), 0 = root
    static final List<String> SKUS = List.of("SKU-1", "SKU-2", "SKU-3", "SKU-4", "SKU-5", "SKU-6", "SKU-7", "SKU-8",
            "SKU-9", "SKU-10");
    static final List<String> SKU_CATEGORY = List.of("skincare", "serum", "serum", "makeup", "beauty", "snacks",
            "food", "snacks", "makeup", "");
    static final List<String> CHANNELS = List.of("store", "online", "mini_program");
    static final List<String> PAYMENTS = List.of("wechat_pay", "alipay", "cash");
    static final List<String> GENDERS = List.of("female", "male", "other");
    static final List<String> AGE_BANDS = List.of("18-24", "25-34", "35-44");
    static final List<String> CITIES = List.of("上海", "北京", "Tokyo");
    static final List<String> VIP = List.of("A", "B", "C");
    static final Instant NOW = Instant.parse("2026-06-15T16:30:00Z");
    static final List<String> TIERS = List.of("basic", "silver", "gold", "black");
    static final List<String> COUPON_TEMPLATES = List.of("满300减50", "生日券", "新人券");

    private final JdbcTemplate jdbc;
    private final Random random;
    final List<Long> customers = new ArrayList<>();

    ShopData(DataSource dataSource, long seed) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.random = new Random(seed);
    }

    ShopData load(int customerCount) {
        catalog();
        for (int i = 1; i <= customerCount; i++) {
            customer(i, customerCount);
        }
        long receipt = 1;
        for (int i = 1; i <= customerCount; i++) {
            if (random.nextInt(100) < 6 && i > 1) {
                continue; // merged away below, or without purchases
            }
            int sales = random.nextInt(100) < 15 ? 0 : random.nextInt(12);
            for (int k = 0; k < sales; k++) {
                receipt = sale(receipt, (long) i);
            }
            for (int k = random.nextInt(5); k > 0; k--) {
                interaction(i);
            }
        }
        for (int k = 0; k < 10; k++) {
            receipt = sale(receipt, null);
        }
        jdbc.execute("select setval('receipt_id_seq', " + receipt + ")");
        new Loyalty(new Random(random.nextLong() ^ 0x5DEECE66DL)).load(customerCount);
        merges(customerCount);
        return this;
    }

    private void catalog() {
        for (int s = 0; s < STORES.size(); s++) {
            jdbc.update("insert into store (id, code, name, timezone) values (?, ?, ?, ?)", s + 1, STORES.get(s),
                    STORES.get(s), ZONES.get(s));
        }
        for (int c = 0; c < CATEGORIES.size(); c++) {
            jdbc.update("insert into category (id, code, name, parent_id) values (?, ?, ?, ?)", c + 1, CATEGORIES.get(c),
                    CATEGORIES.get(c), PARENTS.get(c) == 0 ? null : (long) PARENTS.get(c));
        }
        for (int k = 0; k < SKUS.size(); k++) {
            String cat = SKU_CATEGORY.get(k);
            jdbc.update("insert into sku (id, code, name, category_id) values (?, ?, ?, ?)", k + 1, SKUS.get(k),
                    SKUS.get(k), cat.isEmpty() ? null : (long) CATEGORIES.indexOf(cat) + 1);
        }
        holiday("spring_festival", "2025-01-29", 14, 7);
        holiday("spring_festival", "2026-02-17", 14, 7);
        holiday("double_11", "2024-11-11", 10, 1);
        holiday("double_11", "2025-11-11", 10, 1);
        holiday("mid_autumn", "2025-10-06", 0, 0);
        holiday("double_11", "2026-11-11", 10, 1);
        field("vip_level", "choice", true);
        field("score", "number", true);
        field("joined", "date", true);
        field("old_field", "text", false);
    }

    /** A holiday with its season: days of run-up before and days after (holiday_share counts them). */
    private void holiday(String code, String date, int before, int after) {
        jdbc.update("""
                insert into holiday (code, name_zh, name_en, date, kind, window_before_days, window_after_days)
                values (?, ?, ?, ?::date, 'fixed', ?, ?)""", code, code, code, date, before, after);
    }

    private void field(String key, String type, boolean active) {
        jdbc.update("insert into custom_field (key, label_zh, label_en, type, active, created_at) values (?, ?, ?, ?, ?, now())",
                key, key, key, type, active);
    }

    private <T> T pick(List<T> values, int nullPercent) {
        return random.nextInt(100) < nullPercent ? null : values.get(random.nextInt(values.size()));
    }

    private void customer(int id, int count) {
        String mmdd = random.nextInt(100) < 20 ? null : random.nextInt(30) == 0 ? "0229"
                : "%02d%02d".formatted(1 + random.nextInt(12), 1 + random.nextInt(28));
        Long home = random.nextInt(100) < 15 ? null : (long) (1 + random.nextInt(STORES.size()));
        StringBuilder custom = new StringBuilder("{");
        if (random.nextBoolean()) {
            custom.append("\"vip_level\":\"").append(VIP.get(random.nextInt(3))).append('"');
        }
        if (random.nextBoolean()) {
            custom.append(custom.length() > 1 ? "," : "").append("\"score\":")
                    .append(random.nextBoolean() ? String.valueOf(random.nextInt(100)) : random.nextInt(100) + ".50");
        }
        if (random.nextBoolean()) {
            custom.append(custom.length() > 1 ? "," : "").append("\"joined\":\"")
                    .append(LocalDate.of(2024, 1, 1).plusDays(random.nextInt(900))).append('"');
        }
        if (random.nextInt(10) == 0) {
            custom.append(custom.length() > 1 ? "," : "").append("\"old_field\":\"x\"");
        }
        custom.append('}');
        Instant registered = LocalDate.of(2023, 1, 1).plusDays(random.nextInt(1260)).atStartOfDay(ZoneOffset.UTC)
                .toInstant().plusSeconds(random.nextInt(86_400));
        jdbc.update("""
                insert into customer (id, gender, birth_mmdd, age_band, city, region, home_store_id, registration_store_id,
                                      registration_channel, registered_at, updated_at, custom)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)""", id, pick(GENDERS, 20), mmdd, pick(AGE_BANDS, 20),
                pick(CITIES, 20), pick(List.of("east", "north"), 30), home,
                random.nextInt(100) < 20 ? null : (long) (1 + random.nextInt(STORES.size())),
                pick(List.of("store", "online"), 20), Timestamp.from(registered), Timestamp.from(registered),
                custom.toString());
        customers.add((long) id);
    }

    /** Some customers turn out to be others: their rows move to the survivor, as a merge does. */
    private void merges(int count) {
        for (int id = 3; id <= count; id++) {
            if (random.nextInt(100) >= 5) {
                continue;
            }
            int survivor = 1 + random.nextInt(id - 1);
            Long survivorMerged = jdbc.queryForObject("select merged_into from customer where id = ?", Long.class, survivor);
            if (survivorMerged != null) {
                continue;
            }
            jdbc.update("update customer set merged_into = ? where id = ?", survivor, id);
            jdbc.update("update receipt set customer_id = ? where customer_id = ?", survivor, id);
            jdbc.update("update receipt_line set customer_id = ? where customer_id = ?", survivor, id);
            jdbc.update("update interaction set customer_id = ? where customer_id = ?", survivor, id);
            for (String table : List.of("points_entry", "points_lot", "coupon", "coupon_redemption")) {
                jdbc.update("update " + table + " set customer_id = ? where customer_id = ?", survivor, id);
            }
            jdbc.update("""
                    insert into points_account as a (customer_id, balance, tier_code)
                    select ?, balance, tier_code from points_account where customer_id = ?
                    on conflict (customer_id) do update set balance = a.balance + excluded.balance""", survivor, id);
            jdbc.update("delete from points_account where customer_id = ?", id);
        }
    }

    private Instant someTime() {
        long from = LocalDate.of(2024, 1, 1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        long to = NOW.getEpochSecond() + 20L * 86_400;
        // Every sixth time falls in the last weeks, so rolling and calendar windows have members.
        if (random.nextInt(6) == 0) {
            from = NOW.getEpochSecond() - 70L * 86_400;
        }
        return Instant.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)));
    }

    private long sale(long id, Long customer) {
        Instant at = someTime();
        int store = 1 + random.nextInt(STORES.size());
        String channel = pick(CHANNELS, 0);
        String payment = pick(PAYMENTS, 15);
        int lines = 1 + random.nextInt(3);
        long total = 0;
        long discount = 0;
        List<Object[]> rows = new ArrayList<>();
        for (int l = 1; l <= lines; l++) {
            int sku = random.nextInt(SKUS.size());
            int quantity = 1 + random.nextInt(3);
            long price = 100 * (1 + random.nextInt(50)) + (random.nextBoolean() ? 50 : 0);
            long off = random.nextInt(4) == 0 ? 100 : 0;
            long amount = quantity * price - off;
            total += amount;
            discount += off;
            String category = SKU_CATEGORY.get(sku).isEmpty() ? null : SKU_CATEGORY.get(sku);
            rows.add(new Object[] {id, l, customer, (long) sku + 1, SKUS.get(sku), category, quantity, price, off, amount,
                    random.nextInt(5) == 0 ? "C-" + random.nextInt(3) : null});
        }
        jdbc.update("""
                insert into receipt (id, source, receipt_no, kind, customer_id, store_id, purchased_at, channel,
                                     payment_method, total_cents, discount_cents)
                values (?, 'pos', ?, 'sale', ?, ?, ?, ?, ?, ?, ?)""", id, "R" + id, customer, store, Timestamp.from(at),
                channel, payment, total, discount);
        insertLines(rows);
        long next = id + 1;
        if (random.nextInt(8) == 0) {
            Object[] line = rows.getFirst();
            Instant back = at.plusSeconds(86_400L * (1 + random.nextInt(20)));
            jdbc.update("""
                    insert into receipt (id, source, receipt_no, kind, customer_id, store_id, purchased_at, channel,
                                         payment_method, total_cents, discount_cents, original_receipt_id)
                    values (?, 'pos', ?, 'refund', ?, ?, ?, ?, ?, ?, 0, ?)""", next, "R" + next, customer, store,
                    Timestamp.from(back), channel, payment, line[9], id);
            line[0] = next;
            line[1] = 1;
            insertLines(List.<Object[]>of(line));
            next++;
        }
        return next;
    }

    private void insertLines(List<Object[]> rows) {
        jdbc.batchUpdate("""
                insert into receipt_line (receipt_id, line_no, customer_id, sku_id, sku_code, category_code, quantity,
                                          unit_price_cents, discount_cents, amount_cents, coupon_code)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows);
    }

    /**
     * Purchases and interactions that arrive after the index was built, as the intake writes them: each
     * receipt (a sale, now and then with its refund) and each interaction followed by its feed event, in
     * commits of their own, for living customers, dated anywhere in the history (late history included),
     * so that customers' rows are merged by day into the index's newest rows; {@code awaitApplied} waits
     * until the index has a customer's receipts so far. Last comes a sale of a new
     * customer: an index that has applied it has applied everything before it. Returns that customer.
     */
    long arrive(int receipts, java.util.function.LongConsumer awaitApplied) {
        List<Long> living = new ArrayList<>(jdbc.queryForList("select id from customer where merged_into is null order by id",
                Long.class));
        long next = jdbc.queryForObject("select max(id) from receipt", Long.class) + 1;
        long customer = living.getFirst();
        for (int k = 0; k < receipts; k++) {
            // A regular comes back once the index has their last visit: their rows, just placed among the
            // newest, move again (one arrival in four).
            if (k > 0 && random.nextInt(4) == 0) {
                awaitApplied.accept(customer);
            } else if (random.nextInt(6) == 0) {
                customer = newcomer(); // their first receipt is the newest row of all until they come back
                living.add(customer);
            } else {
                customer = living.get(random.nextInt(living.size()));
            }
            next = arrivingSale(next, customer);
            if (random.nextInt(3) == 0) {
                interaction((int) customer);
                var last = jdbc.queryForMap("select id, type from interaction order by id desc limit 1");
                feed("interactions", "interaction." + last.get("type"), customer, "interactionId", (Long) last.get("id"));
            }
        }
        long last = newcomer();
        arrivingSale(next, last);
        return last;
    }

    private long newcomer() {
        long id = jdbc.queryForObject("select max(id) + 1 from customer", Long.class);
        jdbc.update("insert into customer (id, registered_at, updated_at) values (?, ?, now())", id,
                Timestamp.from(NOW.minusSeconds(86_400 * 30)));
        feed("customers", "customer.created", id, "customerId", id);
        return id;
    }

    private long arrivingSale(long id, long customer) {
        long next = sale(id, customer);
        for (long r = id; r < next; r++) {
            feed("purchases", r == id ? "receipt.accepted" : "refund.accepted", customer, "receiptId", r);
        }
        return next;
    }

    private void feed(String topic, String type, long customer, String key, long id) {
        jdbc.update("insert into event_feed (topic, type, customer_id, occurred_at, payload) values (?, ?, ?, now(), ?::json)",
                topic, type, customer, "{\"" + key + "\": " + id + "}");
    }

    private void interaction(int customer) {
        List<String> types = CustomerIndex.INTERACTION_TYPES;
        // Every type, most often the first four and reviews (rated 1–5, now and then without stars).
        int pick = random.nextInt(5);
        String type = pick == 4 ? "review" : types.get(random.nextInt(4) == 0 ? random.nextInt(types.size()) : pick);
        Integer rating = type.equals("review") && random.nextInt(6) > 0 ? 1 + random.nextInt(5) : null;
        jdbc.update("""
                insert into interaction (source, external_id, customer_id, type, occurred_at, store_id, sku_id, rating)
                values ('app', ?, ?, ?, ?, ?, ?, ?)""", "E" + random.nextLong(), customer, type,
                Timestamp.from(someTime()), random.nextInt(3) == 0 ? null : (long) (1 + random.nextInt(STORES.size())),
                random.nextInt(3) == 0 ? null : (long) (1 + random.nextInt(SKUS.size())), rating);
    }

    /**
     * Points accounts, lots and coupons, drawn from a generator of their own so that the purchases
     * above stay what they were. Expiry and validity instants fall at any second within months of
     * NOW, so that days in the customer's timezone are tested at their edges.
     */
    private final class Loyalty {
        private final Random r;
        private long entry;

        Loyalty(Random r) {
            this.r = r;
        }

        void load(int customerCount) {
            for (int t = 0; t < COUPON_TEMPLATES.size(); t++) {
                jdbc.update("""
                        insert into coupon_template (id, name, kind, amount_cents, valid_days, face_cents)
                        values (?, ?, 'fixed', 1000, 30, 1000)""", t + 1, COUPON_TEMPLATES.get(t));
            }
            for (int id = 1; id <= customerCount; id++) {
                if (r.nextInt(100) < 70) {
                    jdbc.update("insert into points_account (customer_id, balance, tier_code) values (?, ?, ?)", id,
                            r.nextInt(3000), TIERS.get(r.nextInt(TIERS.size())));
                }
                for (int k = r.nextInt(5); k > 0; k--) {
                    lot(id);
                }
                for (int k = r.nextInt(4); k > 0; k--) {
                    coupon(id);
                }
            }
        }

        /** Within {@code days} of NOW, a third of them within two days: today's edges matter most. */
        private Timestamp around(int days) {
            if (r.nextInt(3) == 0) {
                days = 2;
            }
            return Timestamp.from(NOW.plusSeconds((long) (r.nextInt(2 * days) - days) * 86_400 + r.nextInt(86_400)));
        }

        private void lot(int customer) {
            entry++;
            int points = 1 + r.nextInt(500);
            jdbc.update("""
                    insert into points_entry (id, customer_id, kind, points, idempotency_key, occurred_at)
                    values (?, ?, 'earn', ?, ?, ?)""", entry, customer, points, "e" + entry, Timestamp.from(NOW));
            jdbc.update("""
                    insert into points_lot (customer_id, entry_id, points, remaining, earned_at, available_at, expires_at)
                    values (?, ?, ?, ?, ?, ?, ?)""", customer, entry, points, r.nextInt(4) == 0 ? 0 : r.nextInt(points + 1),
                    Timestamp.from(NOW), Timestamp.from(NOW), r.nextInt(5) == 0 ? null : around(120));
        }

        private void coupon(int customer) {
            Long redemption = null;
            if (r.nextInt(100) < 40) {
                redemption = jdbc.queryForObject("""
                        insert into coupon_redemption (source, till_txn_id, receipt_no, customer_id, store_id,
                                                       basket_cents, discount_cents, result, redeemed_at)
                        values ('pos', gen_random_uuid()::text, 'R', ?, 1, 5000, 1000, '{}', ?) returning id""",
                        Long.class, customer, Timestamp.from(NOW.minusSeconds((long) r.nextInt(400 * 86_400))));
            }
            jdbc.update("""
                    insert into coupon (code, template_id, customer_id, issue_key, issued_via, issued_at, valid_from,
                                        valid_until, face_cents, status, redemption_id)
                    values (gen_random_uuid()::text, ?, ?, gen_random_uuid()::text, 'console', ?, ?, ?, 1000, ?, ?)""",
                    1 + r.nextInt(COUPON_TEMPLATES.size()), customer, Timestamp.from(NOW), Timestamp.from(NOW),
                    around(60), redemption == null ? "active" : "redeemed", redemption);
        }
    }
}
