package app.regulars.customers;

import java.util.HexFormat;

/**
 * One normalised way of recognising a customer, with its blind index: the unit that
 * {@code customer_identity} stores and that at most one customer owns.
 */
record IdentityClaim(String kind, String source, String value, byte[] index) {

    static final String PHONE = "phone";
    static final String CARD = "card";
    static final String WECHAT_OPENID = "wechat_openid";
    static final String WECHAT_UNIONID = "wechat_unionid";
    static final String EXTERNAL = "external";

    /** Equality by what the database's unique key compares. */
    record Key(String kind, String source, String digest) {}

    Key key() {
        return new Key(kind, source, HexFormat.of().formatHex(index));
    }

    /** The index key: source is part of it only for external ids (each POS numbers its own). */
    static String indexKind(String kind, String source) {
        return source.isEmpty() ? kind : kind + ":" + source;
    }
}
