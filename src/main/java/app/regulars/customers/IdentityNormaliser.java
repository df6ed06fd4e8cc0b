package app.regulars.customers;

import app.regulars.platform.ApiProblem;
import app.regulars.platform.Pii;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** Turns what callers send into the normalised, blind-indexed claims the database compares. */
@Component
class IdentityNormaliser {

    private final Pii pii;

    IdentityNormaliser(Pii pii) {
        this.pii = pii;
    }

    /**
     * The claims of an identity, strongest first (phone, card, WeChat unionid, openid, external):
     * the first one is what a new customer is created under.
     */
    List<IdentityClaim> claims(Identity identity, String fieldPrefix) {
        if (identity == null || identity.isEmpty()) {
            throw ApiProblem.invalid(List.of(Refusals.CODES.of(
                    fieldPrefix.isEmpty() ? "identity" : fieldPrefix.substring(0, fieldPrefix.length() - 1),
                    "identityRequired", "a phone, card number, WeChat id or external id is required")));
        }
        List<IdentityClaim> claims = new ArrayList<>(2);
        if (present(identity.phone())) {
            claims.add(claim(IdentityClaim.PHONE, "", PhoneNumber.parse(identity.phone(), fieldPrefix + "phone").value()));
        }
        String card = card(identity.cardNo());
        if (card != null) {
            claims.add(claim(IdentityClaim.CARD, "", card));
        }
        if (present(identity.wechatUnionId())) {
            claims.add(claim(IdentityClaim.WECHAT_UNIONID, "", identity.wechatUnionId().strip()));
        }
        if (present(identity.wechatOpenId())) {
            claims.add(claim(IdentityClaim.WECHAT_OPENID, "", identity.wechatOpenId().strip()));
        }
        if (present(identity.externalSource()) && present(identity.externalId())) {
            claims.add(claim(IdentityClaim.EXTERNAL, identity.externalSource().strip().toLowerCase(Locale.ROOT),
                    identity.externalId().strip()));
        } else if (present(identity.externalSource()) != present(identity.externalId())) {
            throw ApiProblem.invalid(List.of(Refusals.CODES.of(
                    fieldPrefix + (present(identity.externalId()) ? "externalSource" : "externalId"),
                    "externalIdPair", "external source and external id go together")));
        }
        if (claims.isEmpty()) {
            throw ApiProblem.invalid(List.of(Refusals.CODES.of(fieldPrefix + "phone", "identityRequired",
                    "a phone, card number, WeChat id or external id is required")));
        }
        return claims;
    }

    IdentityClaim claim(String kind, String source, String normalised) {
        return new IdentityClaim(kind, source, normalised,
                pii.blindIndex(IdentityClaim.indexKind(kind, source), normalised));
    }

    /** Member card numbers are compared trimmed and upper-cased ("vip 001 " and "VIP 001" are one card). */
    static String card(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return raw.strip().toUpperCase(Locale.ROOT);
    }

    /** Exact-name search compares names after width folding, trimming and collapsing spaces. */
    static String name(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        return Normalizer.normalize(raw, Normalizer.Form.NFKC).strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    byte[] nameIndex(String raw) {
        String n = name(raw);
        return n == null ? null : pii.blindIndex("name", n);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
