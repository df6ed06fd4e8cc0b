package app.regulars.imports;

import app.regulars.customers.Identity;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One row of a customer file: how the customer is recognised, and what we learn about them.
 *
 * @param registeredAt when they joined (开卡时间), null when the file does not say
 */
record CustomerRow(long rowNumber, Identity identity, String name, String gender, LocalDate birthday, String city,
                   String region, String homeStore, String registrationStore, String registrationChannel,
                   Map<String, String> custom, Instant registeredAt) {

    /** The profile part, as the customers module takes it. */
    app.regulars.customers.ProfileChange profile() {
        return new app.regulars.customers.ProfileChange(name, null, null, gender,
                birthday == null ? null : birthday.toString(), null, region, city, null, null, null,
                custom.isEmpty() ? null : custom);
    }

    static CustomerRow read(Cells cells, ImportContext context, List<RowError> errors) {
        int before = errors.size();
        String phone = cells.phone("phone");
        String card = cells.text("card_no");
        String external = cells.text("external_id");
        String openId = cells.text("wechat_openid");
        if (phone == null && card == null && external == null && openId == null && errors.size() == before) {
            cells.fail(firstIdentityField(cells), "noIdentity");
        }
        String gender = gender(cells);
        LocalDate birthday = null;
        String birthdayText = cells.text("birthday");
        if (birthdayText != null) {
            try {
                birthday = context.dates().date(birthdayText);
                if (birthday.getYear() < 1900 || birthday.isAfter(context.today())) {
                    cells.fail("birthday", "implausibleBirthday");
                }
            } catch (BadValue e) {
                cells.fail("birthday", e.reason());
            }
        }
        String homeStore = store(cells, context, "home_store", null);
        String registrationStore = store(cells, context, "registration_store", context.defaultStore());
        Instant registeredAt = registeredAt(cells, context, registrationStore);
        Map<String, String> custom = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : cellsCustom(cells).entrySet()) {
            String value = cells.row().cell(e.getValue());
            if (value != null) {
                custom.put(e.getKey(), value);
            }
        }
        for (app.regulars.platform.ApiProblem.FieldError e : context.checkCustom(custom)) {
            String field = e.field().startsWith(ImportType.CUSTOM_PREFIX) ? e.field() : ImportType.CUSTOM_PREFIX + e.field();
            cells.fail(field, Reason.refused(e));
        }
        if (errors.size() > before) {
            return null;
        }
        Identity identity = new Identity(phone, card, openId, null,
                external == null ? null : context.options().customerIdSource(), external);
        return new CustomerRow(cells.row().number(), identity, cells.text("name"), gender, birthday, cells.text("city"),
                cells.text("region"), homeStore, registrationStore, cells.text("registration_channel"), custom,
                registeredAt);
    }

    /** When the row's customer joined, in the registration store's time zone (the file's, when it names one). */
    private static Instant registeredAt(Cells cells, ImportContext context, String registrationStore) {
        String text = cells.text("registered_at");
        if (text == null) {
            return null;
        }
        ZoneId storeZone = registrationStore == null ? null : context.zoneOfStore(registrationStore);
        ZoneId zone = context.zoneFor(storeZone);
        try {
            Instant at = context.dates().instant(text, zone);
            if (at.atZone(zone).getYear() < 1950 || at.atZone(zone).toLocalDate().isAfter(context.today())) {
                cells.fail("registered_at", "implausibleRegistration");
                return null;
            }
            return at;
        } catch (BadValue e) {
            cells.fail("registered_at", e.reason());
            return null;
        }
    }

    private static Map<String, Integer> cellsCustom(Cells cells) {
        return cells.columns().custom();
    }

    private static String firstIdentityField(Cells cells) {
        for (String f : List.of("phone", "card_no", "external_id", "wechat_openid")) {
            if (cells.columns().has(f)) {
                return f;
            }
        }
        return "phone";
    }

    private static String store(Cells cells, ImportContext context, String field, String fallback) {
        String code = cells.text(field);
        if (code == null) {
            return fallback;
        }
        if (context.zoneOfStore(code) == null) {
            cells.fail(field, "noSuchStore");
            return null;
        }
        return code;
    }

    /** Gender as the customers module keeps it: female, male or other; unknown stays empty. */
    private static String gender(Cells cells) {
        String g = cells.text("gender");
        if (g == null) {
            return null;
        }
        return switch (g.toLowerCase(Locale.ROOT)) {
            case "女", "f", "female", "w", "woman", "女性", "女士" -> "female";
            case "男", "m", "male", "man", "男性", "先生" -> "male";
            case "其他", "other", "o" -> "other";
            case "未知", "保密", "u", "unknown", "-" -> null;
            default -> {
                cells.fail("gender", "notGender");
                yield null;
            }
        };
    }
}
