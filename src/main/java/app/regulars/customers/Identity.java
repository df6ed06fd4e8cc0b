package app.regulars.customers;

/**
 * The ways a customer is recognised. At least one must be present; a phone is normalised
 * (mainland mobile numbers to 11 digits, others to E.164) before use. {@code externalSource} and
 * {@code externalId} go together (a POS's own customer number).
 */
public record Identity(String phone, String cardNo, String wechatOpenId, String wechatUnionId,
                       String externalSource, String externalId) {

    public static Identity ofPhone(String phone) {
        return new Identity(phone, null, null, null, null, null);
    }

    public static Identity ofCard(String cardNo) {
        return new Identity(null, cardNo, null, null, null, null);
    }

    public static Identity ofExternal(String source, String id) {
        return new Identity(null, null, null, null, source, id);
    }

    public boolean isEmpty() {
        return blank(phone) && blank(cardNo) && blank(wechatOpenId) && blank(wechatUnionId)
                && (blank(externalSource) || blank(externalId));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
