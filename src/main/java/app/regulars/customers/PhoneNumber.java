package app.regulars.customers;

import app.regulars.platform.ApiProblem;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A phone number in the one form used for lookups: a mainland mobile as its 11 digits
 * ("13812341234"), any other number in E.164 ("+442071234567"). Imports may use {@link #tryParse}
 * to report a bad row without failing the batch.
 */
public record PhoneNumber(String value) {

    private static final Pattern MAINLAND_MOBILE = Pattern.compile("1[3-9]\\d{9}");
    private static final Pattern E164_DIGITS = Pattern.compile("\\d{8,15}");
    /** Separators people type inside numbers; anything else (letters, extensions) is refused. */
    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-().\\u00a0\\u3000]");

    /** Normalises or refuses, naming {@code field} but never echoing the value (it is personal data). */
    public static PhoneNumber parse(String raw, String field) {
        return tryParse(raw).orElseThrow(() -> ApiProblem.invalid(java.util.List.of(parseError(field))));
    }

    /** The error for a number that cannot be normalised, naming {@code field}. */
    public static ApiProblem.FieldError parseError(String field) {
        return Refusals.CODES.of(field, "notPhone",
                "cannot be normalised to a mainland mobile number (11 digits) or an international number (+ and 8-15 digits)");
    }

    public static Optional<PhoneNumber> tryParse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String s = SEPARATORS.matcher(raw).replaceAll("");
        if (s.startsWith("＋")) { // full-width plus from Chinese keyboards
            s = "+" + s.substring(1);
        }
        boolean international = false;
        if (s.startsWith("+")) {
            international = true;
            s = s.substring(1);
        } else if (s.startsWith("00")) {
            international = true;
            s = s.substring(2);
        }
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        if (international && s.startsWith("86") && MAINLAND_MOBILE.matcher(s.substring(2)).matches()) {
            return Optional.of(new PhoneNumber(s.substring(2)));
        }
        if (!international && s.length() == 13 && s.startsWith("86") && MAINLAND_MOBILE.matcher(s.substring(2)).matches()) {
            return Optional.of(new PhoneNumber(s.substring(2)));
        }
        if (!international && MAINLAND_MOBILE.matcher(s).matches()) {
            return Optional.of(new PhoneNumber(s));
        }
        if (international && E164_DIGITS.matcher(s).matches()) {
            return Optional.of(new PhoneNumber("+" + s));
        }
        return Optional.empty();
    }

    /** True for an 11-digit mainland mobile. */
    public boolean mainland() {
        return !value.startsWith("+");
    }

    /** For display where the role may not see the number: 138****1234. */
    public String masked() {
        return mask(value);
    }

    /** Masks an already normalised number: keeps the first three and last four characters. */
    static String mask(String normalised) {
        if (normalised == null) {
            return null;
        }
        if (normalised.length() <= 7) {
            return "****";
        }
        return normalised.substring(0, 3) + "****" + normalised.substring(normalised.length() - 4);
    }

    @Override
    public String toString() {
        return masked(); // never print a full number by accident (logs, exceptions)
    }
}
