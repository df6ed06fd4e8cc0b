package app.regulars.coupons;

import java.security.SecureRandom;
import org.springframework.stereotype.Component;

/**
 * Unguessable coupon codes: 14 characters of a 32-letter alphabet without the look-alikes 0/O and 1/I
 * (70 random bits, so guessing a live code among a million issued takes ~10^15 tries). Upper case only,
 * so a cashier can type what the customer reads out.
 */
@Component
class CouponCodes {

    static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    static final int LENGTH = 14;

    private final SecureRandom random = new SecureRandom();

    String next() {
        char[] code = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            code[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(code);
    }

    /** A code as typed (lower case, spaces, dashes) in its stored form. */
    static String normalise(String typed) {
        return typed == null ? "" : typed.strip().replace("-", "").replace(" ", "").toUpperCase(java.util.Locale.ROOT);
    }
}
