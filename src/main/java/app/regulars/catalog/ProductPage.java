package app.regulars.catalog;

import java.util.List;

/** One page of a product search; {@code page} counts from 0. */
public record ProductPage(List<Sku> items, long total, int page, int size) {

    public int pages() {
        return (int) Math.max(1, (total + size - 1) / size);
    }
}
