package app.regulars.coupons;

import app.regulars.catalog.Catalog;
import app.regulars.catalog.Store;
import app.regulars.catalog.StoreFixtures;
import app.regulars.customers.Customers;
import app.regulars.customers.Identity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** Unique stores, customers and templates per test: all tests share one database. */
final class CouponFixtures {

    private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() % 100_000_000L);

    private CouponFixtures() {}

    static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36) + NEXT.incrementAndGet();
    }

    static String phone() {
        return "136" + String.format("%08d", NEXT.incrementAndGet() % 100_000_000L);
    }

    static Store store(Catalog catalog) {
        return StoreFixtures.create(catalog, unique("CP"));
    }

    static long customer(Customers customers) {
        return customers.resolveOrCreate(Identity.ofPhone(phone()), null, null);
    }

    /** A template draft with sensible defaults: valid 30 days from issue, exclusive, no caps. */
    static final class Spec {
        String name = unique("券");
        String kind;
        Long amountCents;
        Integer percentOff;
        Long capCents;
        List<Tier> tiers = new ArrayList<>();
        String giftSku;
        Long giftValueCents;
        Long minSpendCents;
        Set<String> categories = Set.of();
        Set<String> skus = Set.of();
        Set<Long> storeIds = Set.of();
        Instant validFrom;
        Instant validUntil;
        Integer validDays = 30;
        String stacking = "exclusive";
        Set<Long> stacksWith = Set.of();
        Integer perCustomerLimit;
        Integer totalQuantity;
        Long budgetCents;

        static Spec fixed(long cents) {
            Spec s = new Spec();
            s.kind = "fixed";
            s.amountCents = cents;
            return s;
        }

        static Spec percent(int percent, Long cap) {
            Spec s = new Spec();
            s.kind = "percent";
            s.percentOff = percent;
            s.capCents = cap;
            return s;
        }

        static Spec threshold(long... minOff) {
            Spec s = new Spec();
            s.kind = "threshold";
            for (int i = 0; i < minOff.length; i += 2) {
                s.tiers.add(new Tier(minOff[i], minOff[i + 1]));
            }
            return s;
        }

        static Spec gift(String sku, long value) {
            Spec s = new Spec();
            s.kind = "gift";
            s.giftSku = sku;
            s.giftValueCents = value;
            return s;
        }

        Spec stacking(String mode) {
            stacking = mode;
            return this;
        }

        Spec stores(Long... ids) {
            storeIds = Set.of(ids);
            return this;
        }

        Spec categories(String... codes) {
            categories = Set.of(codes);
            return this;
        }

        Spec quantity(int n) {
            totalQuantity = n;
            return this;
        }

        Spec perCustomer(int n) {
            perCustomerLimit = n;
            return this;
        }

        Spec budget(long cents) {
            budgetCents = cents;
            return this;
        }

        Spec between(Instant from, Instant until) {
            validDays = null;
            validFrom = from;
            validUntil = until;
            return this;
        }

        TemplateDraft draft() {
            return new TemplateDraft(name, kind, amountCents, percentOff, capCents, tiers, giftSku, giftValueCents,
                    minSpendCents, categories, skus, storeIds, validFrom, validUntil, validDays, stacking, stacksWith,
                    perCustomerLimit, totalQuantity, budgetCents, true);
        }

        CouponTemplate create(CouponTemplates templates) {
            return templates.create(draft());
        }
    }
}
