package app.regulars.imports;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** One line of a receipt file, parsed. Rows sharing {@code receiptNo} make one receipt. */
record ReceiptRow(String receiptNo, String storeCode, Instant purchasedAt, String phone, String cardNo,
                  String externalId, String sku, String name, int quantity, long unitPriceCents, long discountCents,
                  String couponCode, String channel, String paymentMethod, String staff, boolean refund,
                  String originalReceiptNo, String reason) {

    /** The purchases module keeps codes and numbers up to this length. */
    static final int MAX_TEXT = 64;

    /** What every line of one receipt must agree on. */
    int headerFingerprint() {
        return Objects.hash(storeCode, purchasedAt, phone, cardNo, externalId, refund, originalReceiptNo);
    }

    /** Reads a row; returns null and adds to {@code errors} when it is not usable. */
    static ReceiptRow read(Cells cells, ImportContext context, List<RowError> errors) {
        int before = errors.size();
        String receiptNo = cells.required("receipt_no");
        String store = cells.text("store");
        if (store == null) {
            store = context.defaultStore();
        }
        java.time.ZoneId zone = null;
        if (store == null) {
            cells.fail("store", "storeMissing");
        } else {
            zone = context.zoneOfStore(store);
            if (zone == null) {
                cells.fail("store", "noSuchStore");
            }
        }
        Instant at = null;
        String when = cells.required("purchased_at");
        if (when != null && zone != null) {
            try {
                at = context.dates().instant(when, context.zoneFor(zone));
            } catch (BadValue e) {
                cells.fail("purchased_at", e.reason());
            }
        }
        String phone = cells.phone("phone");
        String sku = cells.required("sku");
        Integer quantity = cells.required("quantity") == null ? null : cells.quantity("quantity");
        Long unit = cells.cents("unit_price");
        Long discount = cells.cents("discount");
        Long amount = cells.cents("amount");
        String kind = cells.text("kind");
        String original = cells.text("original_receipt_no");
        boolean refundByKind = kind != null && isRefundWord(kind);
        if (kind != null && !refundByKind && !isSaleWord(kind)) {
            cells.fail("kind", "notKind");
        }
        String channel = vocabulary(cells, "channel", ReceiptVocabulary::channel);
        String payment = vocabulary(cells, "payment_method", ReceiptVocabulary::payment);
        for (String f : new String[] {"receipt_no", "sku", "staff", "coupon_code", "original_receipt_no"}) {
            String v = cells.text(f);
            if (v != null && v.length() > MAX_TEXT) {
                cells.fail(f, "tooLong", MAX_TEXT);
            }
        }
        if (errors.size() > before || quantity == null) {
            return null;
        }
        boolean refund = refundByKind || quantity < 0;
        if (quantity == 0) {
            cells.fail("quantity", "zeroQuantity");
        } else if (refund && original == null) {
            cells.fail(quantity < 0 ? "quantity" : "kind",
                    "returnWithoutOriginal");
        }
        if (errors.size() > before) {
            return null; // the amounts of a row we will not import need no further judging
        }
        int qty = Math.abs(quantity);
        long sign = quantity < 0 ? -1 : 1;
        if (amount != null) {
            amount = amount * sign;
        }
        if (unit == null) {
            if (amount == null) {
                cells.fail("unit_price", "unitPriceMissing");
            } else if (amount < 0) {
                cells.fail("amount", "negativeAmount");
            } else {
                unit = (amount + qty - 1) / qty; // smallest whole-cent price covering the amount
                discount = discount == null ? unit * qty - amount : discount;
            }
        } else if (unit < 0) {
            cells.fail("unit_price", "negativePriceFree");
        }
        if (unit != null && unit >= 0) {
            if (discount == null) {
                discount = amount == null ? 0 : unit * qty - amount;
            } else if (amount != null && unit * qty - discount != amount) {
                cells.fail("amount", "amountMismatch");
            }
            if (discount < 0) {
                cells.fail(cells.text("discount") != null ? "discount" : "amount",
                        cells.text("discount") != null ? "negativeDiscount" : "discountTooLarge");
            } else if (discount > unit * qty) {
                cells.fail("discount", "discountTooLarge");
            }
        }
        if (errors.size() > before) {
            return null;
        }
        return new ReceiptRow(receiptNo, store, at, phone, cells.text("card_no"), cells.text("external_id"), sku,
                cells.text("name"), qty, unit, discount, cells.text("coupon_code"), channel, payment,
                cells.text("staff"), refund, original, refund ? ReceiptVocabulary.reason(cells.text("reason")) : null);
    }

    private static String vocabulary(Cells cells, String field, java.util.function.UnaryOperator<String> words) {
        String text = cells.text(field);
        if (text == null) {
            return null;
        }
        try {
            return words.apply(text);
        } catch (BadValue e) {
            cells.fail(field, e.reason());
            return null;
        }
    }

    private static boolean isRefundWord(String kind) {
        return switch (kind.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "refund", "return", "退货", "退款", "退单", "r" -> true;
            default -> false;
        };
    }

    private static boolean isSaleWord(String kind) {
        return switch (kind.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "sale", "sales", "销售", "消费", "s", "order" -> true;
            default -> false;
        };
    }
}
