package app.regulars.insights;

import org.roaringbitmap.RoaringBitmap;

/** The customers a rule matched, as ordinals of the index, and how many customers the index holds. */
public record Matches(RoaringBitmap ordinals, int population) {

    public int count() {
        return ordinals.getCardinality();
    }
}
