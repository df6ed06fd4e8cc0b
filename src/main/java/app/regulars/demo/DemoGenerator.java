package app.regulars.demo;

import app.regulars.catalog.ProductDraft;
import app.regulars.customers.Identity;
import app.regulars.demo.DemoCatalog.DemoCategory;
import app.regulars.demo.DemoCatalog.DemoStore;
import app.regulars.purchases.ReceiptDraft;
import app.regulars.purchases.ReceiptLine;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Generates a retail chain's customers and two years of receipts, ending the day before
 * {@code today}. Pure and deterministic: the same seed, sizes and day give the same receipts, with
 * the same numbers, so loading twice adds nothing. Customers are produced one at a time, so memory
 * does not grow with the number of receipts.
 *
 * <p>The shape is that of a real chain: customer value is heavy-tailed (a lognormal activity, the
 * top fifth of customers hold most of the spend); each customer buys a few categories again and
 * again around the category's repurchase cycle; purchases wait for 11.11 and 618, crowd before the
 * Spring Festival and lean to weekends; some 4% of sales are returned; some receipts are anonymous.
 */
final class DemoGenerator {

    static final String SOURCE = "demo";
    static final int DAYS = 730;
    static final ZoneId ZONE = ZoneId.of(DemoCatalog.ZONE);

    /** Spread of customer activity; e^(σz) with σ = 1.3 puts about two thirds of spend in the top fifth. */
    private static final double ACTIVITY_SIGMA = 1.3;
    private static final double ACTIVITY_CAP = 40;
    /** Spread of the gap around a category's cycle (lognormal, median = the cycle). */
    private static final double GAP_SIGMA = 0.3;
    private static final double ANONYMOUS_SHARE = 0.06;
    private static final double REFUND_RATE = 0.043;
    private static final List<String> OTHER_CITIES = List.of("苏州", "南京", "天津", "武汉", "重庆", "西安",
            "宁波", "佛山", "东莞", "长沙");

    private final long seed;
    private final int customers;
    private final long purchases;
    private final long customerPurchases;
    private final LocalDate firstDay;
    private final LocalDate lastDay;
    private final DemoCatalog catalog;
    private final Map<String, List<ProductDraft>> productsByLeaf;
    private final List<DemoStore> shops;
    private final ShoppingCalendar calendar;
    private final String receiptPrefix;
    private final double totalActivity;

    /**
     * @param customers how many customers
     * @param purchases how many sales receipts, anonymous ones included; refunds come on top
     * @param today     the window ends the day before, so the output does not depend on the hour
     */
    DemoGenerator(long seed, int customers, long purchases, LocalDate today) {
        this(seed, customers, purchases, today, new ShoppingCalendar());
    }

    DemoGenerator(long seed, int customers, long purchases, LocalDate today, ShoppingCalendar calendar) {
        if (customers < 1 || purchases < 0) {
            throw new IllegalArgumentException("customers must be positive and purchases not negative");
        }
        this.seed = seed;
        this.calendar = calendar;
        this.customers = customers;
        this.purchases = purchases;
        this.customerPurchases = purchases - Math.round(purchases * ANONYMOUS_SHARE);
        this.lastDay = today.minusDays(1);
        this.firstDay = today.minusDays(DAYS);
        this.catalog = DemoCatalog.plan(seed);
        this.productsByLeaf = catalog.productsByLeaf();
        this.shops = catalog.stores().stream().filter(s -> !s.online()).toList();
        this.receiptPrefix = "D" + Long.toString(seed, 36).toUpperCase().replace('-', 'N') + "-";
        double sum = 0;
        for (int i = 0; i < customers; i++) {
            sum += activity(randomFor(i));
        }
        this.totalActivity = sum;
    }

    DemoCatalog catalog() {
        return catalog;
    }

    int customers() {
        return customers;
    }

    long purchases() {
        return purchases;
    }

    LocalDate firstDay() {
        return firstDay;
    }

    LocalDate lastDay() {
        return lastDay;
    }

    /**
     * Hands every customer with their receipts to {@code consumer}, in ordinal order. Receipt counts
     * are shares of the purchases by activity, rounded so that they add up exactly.
     */
    void forEachShopper(Consumer<Shopper> consumer) {
        double cumulative = 0;
        long allocated = 0;
        for (int i = 0; i < customers; i++) {
            SplittableRandom random = randomFor(i);
            double activity = activity(random);
            cumulative += activity;
            long upTo = i == customers - 1 ? customerPurchases
                    : Math.min(customerPurchases, (long) Math.floor(customerPurchases * (cumulative / totalActivity)));
            int count = (int) Math.max(0, upTo - allocated);
            allocated += count;
            consumer.accept(shopper(i, count, activity, random));
        }
    }

    /** Receipts of walk-in shoppers who gave no phone or card, in batches of {@code batchSize}. */
    void forEachAnonymousBatch(int batchSize, Consumer<List<ReceiptDraft>> consumer) {
        long anonymous = purchases - customerPurchases;
        SplittableRandom random = randomFor(-1);
        List<String> roots = List.of("personal_care", "personal_care", "makeup", "skincare", "apparel", "baby");
        List<ReceiptDraft> batch = new ArrayList<>(batchSize);
        for (long j = 0; j < anonymous; j++) {
            LocalDate due = firstDay.plusDays(random.nextInt(DAYS));
            LocalDate day = calendar.shift(due, firstDay, lastDay, random);
            DemoStore store = pickStore(shops, random);
            String root = roots.get(random.nextInt(roots.size()));
            List<ReceiptLine> lines = new ArrayList<>();
            addLines(lines, root, 1 + (random.nextDouble() < 0.3 ? 1 : 0), random.nextInt(12), day, null, random);
            String payment = random.nextDouble() < 0.2 ? "cash" : payment(random);
            batch.add(new ReceiptDraft(SOURCE, receiptPrefix + "A-" + (j + 1), ReceiptDraft.SALE, null, store.code(),
                    instant(day, storeTime(random)), "store", payment, null, List.copyOf(lines), null, null));
            if (batch.size() == batchSize) {
                consumer.accept(List.copyOf(batch));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            consumer.accept(List.copyOf(batch));
        }
    }

    // --- one customer ---------------------------------------------------------------------------

    /** A category the customer buys again and again, every {@code gapDays} or so. */
    private record Habit(String root, double gapDays) {}

    private record Visit(LocalDate day, String root) {}

    private Shopper shopper(int ordinal, int count, double activity, SplittableRandom random) {
        String gender = random.nextDouble() < 0.72 ? "female" : "male";
        int age = 18 + (int) Math.min(52, Math.abs(random.nextGaussian() * 9 + 14));
        LocalDate birthday = LocalDate.of(lastDay.getYear() - age, 1, 1).plusDays(random.nextInt(365));
        boolean online = random.nextDouble() < 0.06;
        DemoStore home = online ? catalog.store(DemoCatalog.ONLINE_STORE)
                : pickStore(shops, random);
        String city = random.nextDouble() < 0.85 ? home.city() : OTHER_CITIES.get(random.nextInt(OTHER_CITIES.size()));
        String advisor = home.staff().get(random.nextInt(home.staff().size())).code();
        DemoCustomer customer = new DemoCustomer(ordinal, ChineseNames.phone(seed, ordinal),
                ChineseNames.cardNo(seed, ordinal), ChineseNames.name(gender, random), gender, birthday, city,
                home.code(), advisor, random.nextDouble() < 0.65, random.nextDouble() < 0.5);
        boolean parent = age >= 24 && age <= 40 && random.nextDouble() < 0.35;
        int favourite = random.nextInt(12);

        List<Visit> visits = visits(count, habits(gender, parent, random), random);
        List<ReceiptDraft> receipts = new ArrayList<>(count + count / 10 + 1);
        for (int k = 0; k < visits.size(); k++) {
            Visit visit = visits.get(k);
            ReceiptDraft sale = sale(customer, k + 1, visit, online, favourite, activity, random);
            receipts.add(sale);
            if (random.nextDouble() < REFUND_RATE) {
                ReceiptDraft refund = refund(sale, visit, random);
                if (refund != null) {
                    receipts.add(refund);
                }
            }
        }
        receipts.sort(Comparator.comparing(ReceiptDraft::purchasedAt));
        return new Shopper(customer, List.copyOf(receipts));
    }

    private static List<Habit> habits(String gender, boolean parent, RandomGenerator random) {
        boolean female = "female".equals(gender);
        List<Habit> habits = new ArrayList<>();
        maybe(habits, "skincare", 45, female ? 0.8 : 0.25, random);
        maybe(habits, "makeup", 60, female ? 0.55 : 0.03, random);
        maybe(habits, "personal_care", 30, 0.55, random);
        maybe(habits, "baby", 25, parent ? 0.95 : 0, random);
        maybe(habits, "apparel", 90, 0.4, random);
        if (habits.isEmpty()) {
            habits.add(new Habit(female ? "skincare" : "personal_care", female ? 45 : 30));
        }
        return habits;
    }

    private static void maybe(List<Habit> habits, String root, double cycle, double chance, RandomGenerator random) {
        if (random.nextDouble() < chance) {
            habits.add(new Habit(root, cycle));
        }
    }

    /**
     * The days of the customer's {@code count} visits. The customer is active for as long as their
     * habits need to produce that many visits; a very active customer takes up more habits and buys
     * the everyday ones more often, but skincare keeps its cycle.
     */
    private List<Visit> visits(int count, List<Habit> habits, SplittableRandom random) {
        if (count == 0) {
            return List.of();
        }
        double rate = habits.stream().mapToDouble(h -> 1 / h.gapDays()).sum();
        if (count / rate > DAYS) {
            for (String root : List.of("personal_care", "skincare", "apparel", "makeup")) {
                if (habits.stream().noneMatch(h -> h.root().equals(root)) && count / rate > DAYS) {
                    Habit added = new Habit(root, catalog.category(root).cycleDays());
                    habits.add(added);
                    rate += 1 / added.gapDays();
                }
            }
        }
        if (count / rate > DAYS) {
            double skincare = habits.stream().filter(h -> h.root().equals("skincare")).mapToDouble(h -> 1 / h.gapDays()).sum();
            double speedUp = ((double) count / DAYS - skincare) / (rate - skincare);
            habits.replaceAll(h -> h.root().equals("skincare") ? h : new Habit(h.root(), h.gapDays() / speedUp));
            rate = (double) count / DAYS;
        }
        int span = (int) Math.min(DAYS, Math.ceil(count / rate));
        // The active span wraps around the window: a customer active at its end was also active at
        // its start (a regular before the window, or a lapsed one who came back). So every day of
        // the window has as many active customers as any other, the last days included.
        int start = random.nextInt(DAYS);
        List<Visit> visits = new ArrayList<>();
        habitVisits(visits, habits, start, Math.min(DAYS, start + span), true, random);
        if (start + span > DAYS) {
            habitVisits(visits, habits, 0, start + span - DAYS, false, random);
        }
        durable(visits, "furniture", 0.12, random);
        durable(visits, "appliances", 0.2, random);
        // Habits give about `count` visits; drop or add a few everyday ones to make it exact.
        while (visits.size() > count) {
            int index = random.nextInt(visits.size());
            if (!visits.get(index).root().equals("skincare") || random.nextDouble() < 0.1) {
                visits.remove(index);
            }
        }
        while (visits.size() < count) {
            LocalDate day = visits.isEmpty() ? firstDay.plusDays(start) : visits.get(random.nextInt(visits.size())).day()
                    .plusDays(random.nextInt(7));
            visits.add(new Visit(day.isAfter(lastDay) ? lastDay : day, random.nextBoolean() ? "personal_care" : "apparel"));
        }
        visits.sort(Comparator.comparing(Visit::day));
        return visits;
    }

    /** Renewal processes, one per habit, over the days {@code from} (inclusive) to {@code to} of the window. */
    private void habitVisits(List<Visit> visits, List<Habit> habits, int from, int to, boolean firstPurchase,
                             RandomGenerator random) {
        LocalDate earliest = firstDay.plusDays(from);
        LocalDate latest = firstDay.plusDays(to - 1);
        for (int h = 0; h < habits.size(); h++) {
            Habit habit = habits.get(h);
            LocalDate day = h == 0 && firstPurchase ? earliest
                    : earliest.plusDays(random.nextInt((int) Math.max(1, habit.gapDays())));
            LocalDate previous = earliest.minusDays(1);
            while (!day.isAfter(latest)) {
                LocalDate actual = calendar.shift(day, previous.plusDays(1), latest, random);
                visits.add(new Visit(actual, habit.root()));
                previous = actual;
                long gap = Math.max(1, Math.round(habit.gapDays() * Math.exp(GAP_SIGMA * random.nextGaussian())));
                day = actual.plusDays(gap);
            }
        }
    }

    private void durable(List<Visit> visits, String root, double chance, RandomGenerator random) {
        if (random.nextDouble() < chance && !visits.isEmpty()) {
            visits.add(new Visit(visits.get(random.nextInt(visits.size())).day(), root));
        }
    }

    // --- receipts -------------------------------------------------------------------------------

    private ReceiptDraft sale(DemoCustomer customer, int number, Visit visit, boolean onlineShopper, int favourite,
                              double activity, RandomGenerator random) {
        boolean promotion = calendar.isPromotion(visit.day());
        String channel = channel(onlineShopper, promotion, visit.root(), random);
        DemoStore store;
        String staff = null;
        if ("store".equals(channel)) {
            store = random.nextDouble() < 0.88 || customer.homeStoreCode().equals(DemoCatalog.ONLINE_STORE)
                    ? homeOrAnyShop(customer.homeStoreCode(), random)
                    : pickStore(shops, random);
            staff = store.code().equals(customer.homeStoreCode()) && random.nextDouble() < 0.65 ? customer.advisorCode()
                    : store.staff().get(random.nextInt(store.staff().size())).code();
        } else {
            store = catalog.store(DemoCatalog.ONLINE_STORE);
        }
        List<ReceiptLine> lines = new ArrayList<>();
        // richer customers buy more per visit: one more line now and then
        int items = 1 + (random.nextDouble() < 0.25 + Math.min(0.4, activity / 20) ? 1 : 0)
                + (random.nextDouble() < 0.08 ? 1 : 0);
        if (!catalog.category(visit.root()).consumable()) {
            items = 1;
        }
        addLines(lines, visit.root(), items, favourite, visit.day(), customer.birthday(), random);
        if (random.nextDouble() < 0.12) { // a cross-sell from an everyday category
            addLines(lines, random.nextBoolean() ? "personal_care" : "makeup", 1, favourite, visit.day(),
                    customer.birthday(), random);
        }
        LocalTime time = "store".equals(channel) ? storeTime(random) : onlineTime(visit.day(), random);
        Identity identity = random.nextDouble() < 0.8 ? Identity.ofPhone(customer.phone())
                : Identity.ofCard(customer.cardNo());
        return new ReceiptDraft(SOURCE, receiptPrefix + customer.ordinal() + "-" + number, ReceiptDraft.SALE, identity,
                store.code(), instant(visit.day(), time), channel, payment(random), staff, List.copyOf(lines), null,
                null);
    }

    /** Returns part or all of a sale a few days later, or null when that would be after the window. */
    private ReceiptDraft refund(ReceiptDraft sale, Visit visit, RandomGenerator random) {
        LocalDate day = visit.day().plusDays(1 + Math.min(29, (long) (random.nextExponential() * 4)));
        if (day.isAfter(lastDay)) {
            return null;
        }
        List<ReceiptLine> lines;
        if (random.nextDouble() < 0.4) {
            lines = sale.lines();
        } else {
            ReceiptLine line = sale.lines().get(random.nextInt(sale.lines().size()));
            int quantity = 1 + random.nextInt(line.quantity());
            lines = List.of(new ReceiptLine(line.sku(), null, quantity, line.unitPriceCents(),
                    line.discountCents() * quantity / line.quantity(), line.couponCode()));
        }
        String reason = "apparel".equals(visit.root()) && random.nextBoolean() ? "size"
                : List.of("quality", "changed_mind", "changed_mind", "damaged", "other").get(random.nextInt(5));
        return new ReceiptDraft(SOURCE, sale.receiptNo() + "-R", ReceiptDraft.REFUND, sale.customer(), sale.storeCode(),
                instant(day, storeTime(random)), sale.channel(), sale.paymentMethod(), sale.staffCode(), lines,
                sale.receiptNo(), reason);
    }

    private void addLines(List<ReceiptLine> lines, String root, int items, int favourite, LocalDate day,
                          LocalDate birthday, RandomGenerator random) {
        List<DemoCategory> leaves = catalog.leavesOf(root);
        for (int i = 0; i < items; i++) {
            List<ProductDraft> skus = productsByLeaf.get(leaves.get(random.nextInt(leaves.size())).code());
            ProductDraft sku = skus.get(random.nextDouble() < 0.6 ? favourite % skus.size() : random.nextInt(skus.size()));
            if (lines.stream().anyMatch(l -> l.sku().equals(sku.skuCode()))) {
                continue;
            }
            int quantity = switch (root) {
                case "baby" -> 1 + random.nextInt(3);
                case "personal_care" -> 1 + (random.nextDouble() < 0.3 ? 1 : 0);
                case "furniture", "appliances" -> 1;
                default -> random.nextDouble() < 0.1 ? 2 : 1;
            };
            long gross = quantity * sku.priceCents();
            lines.add(discounted(sku, quantity, gross, day, birthday, random));
        }
    }

    private ReceiptLine discounted(ProductDraft sku, int quantity, long gross, LocalDate day, LocalDate birthday,
                                   RandomGenerator random) {
        if (calendar.isPromotion(day) && random.nextDouble() < 0.7) {
            String campaign = day.getMonthValue() == 6 ? "Q618" : "Q1111";
            return line(sku, quantity, gross * (10 + random.nextInt(16)) / 100, campaign + "-" + day.getYear());
        }
        if (birthday != null && birthday.getMonth() == day.getMonth() && random.nextDouble() < 0.3) {
            return line(sku, quantity, gross * 15 / 100, "BDAY-" + day.getYear());
        }
        double r = random.nextDouble();
        if (r < 0.05 && gross >= 200_00) {
            return line(sku, quantity, 20_00, "MEMBER20");
        }
        if (r < 0.1) { // member price, no coupon
            return line(sku, quantity, gross * 5 / 100, null);
        }
        return line(sku, quantity, 0, null);
    }

    private static ReceiptLine line(ProductDraft sku, int quantity, long discount, String coupon) {
        return new ReceiptLine(sku.skuCode(), null, quantity, sku.priceCents(), discount, coupon);
    }

    private static String channel(boolean onlineShopper, boolean promotion, String root, RandomGenerator random) {
        double r = random.nextDouble();
        if (onlineShopper || (promotion && r < 0.45)) {
            return random.nextDouble() < 0.7 ? "mini_program" : "online";
        }
        if ("furniture".equals(root)) {
            return "store";
        }
        return r < 0.78 ? "store" : r < 0.9 ? "mini_program" : r < 0.95 ? "online" : r < 0.98 ? "app" : "social";
    }

    private static String payment(RandomGenerator random) {
        double r = random.nextDouble();
        return r < 0.47 ? "wechat_pay" : r < 0.8 ? "alipay" : r < 0.88 ? "card" : r < 0.93 ? "unionpay"
                : r < 0.97 ? "gift_card" : "cash";
    }

    private DemoStore homeOrAnyShop(String homeCode, RandomGenerator random) {
        DemoStore home = catalog.store(homeCode);
        return home.online() ? pickStore(shops, random) : home;
    }

    private static DemoStore pickStore(List<DemoStore> stores, RandomGenerator random) {
        double total = stores.stream().mapToDouble(DemoStore::weight).sum();
        double r = random.nextDouble() * total;
        for (DemoStore store : stores) {
            r -= store.weight();
            if (r < 0) {
                return store;
            }
        }
        return stores.getLast();
    }

    /** Shops open 10:00–22:00, busiest at lunch and after work. */
    private static LocalTime storeTime(RandomGenerator random) {
        double hour = random.nextDouble() < 0.5 ? 12.5 + random.nextGaussian() * 1.5 : 19 + random.nextGaussian() * 1.5;
        int minutes = (int) Math.round(Math.clamp(hour, 10, 21.9) * 60);
        return LocalTime.of(minutes / 60, minutes % 60, random.nextInt(60));
    }

    /** Online orders come in the evening, and at midnight when 11.11 opens. */
    private static LocalTime onlineTime(LocalDate day, RandomGenerator random) {
        if (day.getMonthValue() == 11 && day.getDayOfMonth() == 11 && random.nextDouble() < 0.35) {
            return LocalTime.of(random.nextInt(2), random.nextInt(60), random.nextInt(60));
        }
        double hour = 21 + random.nextGaussian() * 2.5;
        int minutes = (int) Math.round(Math.clamp(hour, 7, 23.95) * 60);
        return LocalTime.of(minutes / 60, minutes % 60, random.nextInt(60));
    }

    private static Instant instant(LocalDate day, LocalTime time) {
        return day.atTime(time).atZone(ZONE).toInstant();
    }

    private static double activity(RandomGenerator random) {
        return Math.min(ACTIVITY_CAP, Math.exp(ACTIVITY_SIGMA * random.nextGaussian()));
    }

    /** Each customer has its own random stream, so customer i is the same whatever N is around it. */
    private SplittableRandom randomFor(long ordinal) {
        return new SplittableRandom(seed * 0xD1B54A32D192ED03L + ordinal * 0xBF58476D1CE4E5B9L);
    }
}
