package app.regulars.imports;

import java.util.Locale;
import java.util.Map;

/** The words spreadsheets use for channels, payment methods and return reasons, to the codes purchases keeps. */
final class ReceiptVocabulary {

    private static final Map<String, String> CHANNELS = Map.ofEntries(
            Map.entry("store", "store"), Map.entry("门店", "store"), Map.entry("线下", "store"), Map.entry("实体店", "store"),
            Map.entry("online", "online"), Map.entry("线上", "online"), Map.entry("网店", "online"), Map.entry("电商", "online"),
            Map.entry("mini_program", "mini_program"), Map.entry("小程序", "mini_program"), Map.entry("app", "app"),
            Map.entry("phone", "phone"), Map.entry("电话", "phone"), Map.entry("social", "social"), Map.entry("社交", "social"),
            Map.entry("社群", "social"), Map.entry("other", "other"), Map.entry("其他", "other"));

    private static final Map<String, String> PAYMENTS = Map.ofEntries(
            Map.entry("cash", "cash"), Map.entry("现金", "cash"), Map.entry("wechat_pay", "wechat_pay"),
            Map.entry("wechat", "wechat_pay"), Map.entry("微信", "wechat_pay"), Map.entry("微信支付", "wechat_pay"),
            Map.entry("alipay", "alipay"), Map.entry("支付宝", "alipay"), Map.entry("card", "card"), Map.entry("刷卡", "card"),
            Map.entry("银行卡", "card"), Map.entry("unionpay", "unionpay"), Map.entry("银联", "unionpay"),
            Map.entry("云闪付", "unionpay"), Map.entry("points", "points"), Map.entry("积分", "points"),
            Map.entry("coupon", "coupon"), Map.entry("优惠券", "coupon"), Map.entry("gift_card", "gift_card"),
            Map.entry("礼品卡", "gift_card"), Map.entry("储值卡", "gift_card"), Map.entry("mixed", "mixed"),
            Map.entry("组合支付", "mixed"), Map.entry("混合支付", "mixed"), Map.entry("other", "other"), Map.entry("其他", "other"));

    private static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("size", "size"), Map.entry("尺码", "size"), Map.entry("尺码不合适", "size"),
            Map.entry("quality", "quality"), Map.entry("质量", "quality"), Map.entry("质量问题", "quality"),
            Map.entry("changed_mind", "changed_mind"), Map.entry("不想要了", "changed_mind"), Map.entry("不喜欢", "changed_mind"),
            Map.entry("damaged", "damaged"), Map.entry("破损", "damaged"), Map.entry("损坏", "damaged"),
            Map.entry("wrong_item", "wrong_item"), Map.entry("发错货", "wrong_item"), Map.entry("other", "other"),
            Map.entry("其他", "other"));

    private ReceiptVocabulary() {}

    static String channel(String text) {
        return lookup(CHANNELS, text, "unknownChannel");
    }

    static String payment(String text) {
        return lookup(PAYMENTS, text, "unknownPayment");
    }

    /** Return reasons are free text in most files: what we do not recognise counts as "other". */
    static String reason(String text) {
        if (text == null) {
            return "other";
        }
        return REASONS.getOrDefault(text.strip().toLowerCase(Locale.ROOT), "other");
    }

    private static String lookup(Map<String, String> words, String text, String reason) {
        String code = words.get(text.strip().toLowerCase(Locale.ROOT).replace(' ', '_'));
        if (code == null) {
            throw new BadValue(reason);
        }
        return code;
    }
}
