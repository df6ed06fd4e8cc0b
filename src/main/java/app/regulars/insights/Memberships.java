package app.regulars.insights;

import org.roaringbitmap.RoaringBitmap;

/** The current members (customer ordinals) of tags and saved segments, for rules that refer to them. */
public interface Memberships {

    /** The ordinals carrying the tag, or null when no such tag exists. */
    RoaringBitmap tag(String name);

    /** The ordinals in the segment, or null when no such segment exists. */
    RoaringBitmap segment(String name);

    Memberships NONE = new Memberships() {
        @Override
        public RoaringBitmap tag(String name) {
            return null;
        }

        @Override
        public RoaringBitmap segment(String name) {
            return null;
        }
    };
}
