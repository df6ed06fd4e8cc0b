package app.regulars.customers;

import app.regulars.customers.CustomerProfile.KnownIdentity;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.EventFeed;
import app.regulars.platform.Pii;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Identities added and removed one at a time, in the order the intake takes its locks: the identity
 * first, then the customer (docs/decisions/0005), so an edit here never waits in a circle with a till.
 */
@Service
@Transactional
class JdbcCustomerIdentities implements CustomerIdentities {

    private static final int MAX_VALUE = 200;
    private static final List<String> KINDS = List.of(IdentityClaim.PHONE, IdentityClaim.CARD,
            IdentityClaim.WECHAT_OPENID, IdentityClaim.WECHAT_UNIONID, IdentityClaim.EXTERNAL);

    private final JdbcTemplate jdbc;
    private final JdbcCustomers customers;
    private final IdentityNormaliser normaliser;
    private final Pii pii;
    private final EventFeed feed;
    private final Clock clock;

    JdbcCustomerIdentities(JdbcTemplate jdbc, JdbcCustomers customers, IdentityNormaliser normaliser, Pii pii,
                           EventFeed feed, Clock clock) {
        this.jdbc = jdbc;
        this.customers = customers;
        this.normaliser = normaliser;
        this.pii = pii;
        this.feed = feed;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    public List<KnownIdentity> of(long customerId) {
        return ofLiving(customers.livingId(customerId));
    }

    /** The identities of a customer known to be living (not merged away), by kind, oldest first. */
    List<KnownIdentity> ofLiving(long id) {
        return jdbc.query("select kind, source, value, blind_index, created_at from customer_identity"
                        + " where customer_id = ? order by kind, source, created_at", (r, i) -> {
                    String kind = r.getString(1);
                    String source = r.getString(2);
                    return new KnownIdentity(kind, source, shown(kind, pii.decrypt(r.getBytes(3), "customer_identity.value")),
                            handle(kind, source, r.getBytes(4)), r.getTimestamp(5).toInstant());
                }, id);
    }

    @Override
    public boolean attach(long customerId, String kind, String source, String value) {
        long found = customers.livingId(customerId);
        IdentityClaim claim = claim(kind, source, value);
        Long owner = customers.owners(List.of(claim)).get(claim.key());
        if (owner == null) {
            customers.claimFor(found, List.of(claim));
            owner = customers.owners(List.of(claim)).get(claim.key()); // a till may have claimed it first
        } else if (owner == found) {
            return false;
        }
        long id = customers.lockLiving(found);
        if (owner != found && owner != id) {
            throw taken(owner);
        }
        jdbc.update("update customer_identity set customer_id = ? where kind = ? and source = ? and blind_index = ?",
                id, claim.kind(), claim.source(), claim.index()); // follows a merge that committed meanwhile
        customers.fillProfiles(Map.of(id, new IdentityClaim[] {
                claim.kind().equals(IdentityClaim.PHONE) ? claim : null,
                claim.kind().equals(IdentityClaim.CARD) ? claim : null}));
        announce(id, kind, "attached");
        return true;
    }

    @Override
    public void detach(long customerId, String handle) {
        long found = customers.livingId(customerId);
        Handle h = Handle.parse(handle);
        int removed = jdbc.update("delete from customer_identity where customer_id = ? and kind = ? and source = ?"
                + " and blind_index = ?", found, h.kind(), h.source(), h.index());
        if (removed == 0) {
            throw ApiProblem.notFound("identity " + handle + " of customer " + customerId);
        }
        long id = customers.lockLiving(found);
        Long left = jdbc.queryForObject("select count(*) from customer_identity where customer_id = ?", Long.class, id);
        if (left == 0) {
            throw ApiProblem.of(HttpStatus.CONFLICT, Refusals.CODES.of("identity", "lastIdentity",
                    "the customer's last identity: add another first, or no till could find them"));
        }
        switch (h.kind()) {
            case IdentityClaim.PHONE -> replaceOnProfile(id, "phone", "phone_index", IdentityClaim.PHONE, h.index());
            case IdentityClaim.CARD -> replaceOnProfile(id, "card_no", "card_index", IdentityClaim.CARD, h.index());
            default -> { }
        }
        announce(id, h.kind(), "detached");
    }

    @Override
    @Transactional(readOnly = true)
    public java.util.Optional<String> reveal(long customerId, String handle) {
        Handle h = Handle.parse(handle);
        return jdbc.query("select value from customer_identity where customer_id = ? and kind = ? and source = ?"
                        + " and blind_index = ?", (r, i) -> pii.decrypt(r.getBytes(1), "customer_identity.value"),
                customers.livingId(customerId), h.kind(), h.source(), h.index()).stream().findFirst();
    }

    /**
     * The profile's phone or card, when it was the identity removed, becomes the newest other one of
     * its kind, or empty: a profile showing a number that no longer finds the customer misleads staff.
     */
    private void replaceOnProfile(long id, String column, String indexColumn, String kind, byte[] removed) {
        List<byte[][]> next = jdbc.query("select value, blind_index from customer_identity where customer_id = ?"
                        + " and kind = ? order by created_at desc, blind_index limit 1",
                (r, i) -> new byte[][] {r.getBytes(1), r.getBytes(2)}, id, kind);
        byte[] value = next.isEmpty() ? null
                : pii.encrypt(pii.decrypt(next.getFirst()[0], "customer_identity.value"), "customer." + column);
        byte[] index = next.isEmpty() ? null : next.getFirst()[1];
        jdbc.update("update customer set " + column + " = ?, " + indexColumn + " = ?, updated_at = ? where id = ? and "
                + indexColumn + " = ?", value, index, java.sql.Timestamp.from(clock.instant()), id, removed);
    }

    /** One "customer.updated" naming the kind, never the value: the feed carries no personal data. */
    private void announce(long id, String kind, String action) {
        feed.append(CustomerEvents.TOPIC, CustomerEvents.UPDATED, id, clock.instant(),
                Map.of("customerId", id, "changed", List.of("identities"), "identityKind", kind, "identity", action));
    }

    private IdentityClaim claim(String kind, String source, String value) {
        if (kind == null || !KINDS.contains(kind)) {
            throw ApiProblem.invalid(List.of(Refusals.CODES.of("kind", "oneOf", String.join(", ", KINDS),
                    "one of " + String.join(", ", KINDS))));
        }
        if (value == null || value.isBlank()) {
            throw ApiProblem.invalid(List.of(Refusals.CODES.of("value", "required", "required")));
        }
        if (value.strip().length() > MAX_VALUE) {
            throw ApiProblem.invalid(List.of(Refusals.CODES.of("value", "tooLong", MAX_VALUE,
                    "at most " + MAX_VALUE + " characters")));
        }
        return switch (kind) {
            case IdentityClaim.PHONE -> normaliser.claim(kind, "", PhoneNumber.parse(value, "value").value());
            case IdentityClaim.CARD -> normaliser.claim(kind, "", IdentityNormaliser.card(value));
            case IdentityClaim.EXTERNAL -> {
                if (source == null || source.isBlank()) {
                    throw ApiProblem.invalid(List.of(Refusals.CODES.of("source", "externalIdPair",
                            "external source and external id go together")));
                }
                yield normaliser.claim(kind, source.strip().toLowerCase(Locale.ROOT), value.strip());
            }
            default -> normaliser.claim(kind, "", value.strip());
        };
    }

    private static ApiProblem taken(long holder) {
        return ApiProblem.of(HttpStatus.CONFLICT, Refusals.CODES.of("value", "identityTaken", holder,
                "belongs to customer #" + holder + ": merge the two first (POST /api/v1/customers/merge)"));
    }

    /** Identities as the console may show them: phones and WeChat ids masked. */
    static String shown(String kind, String value) {
        return switch (kind) {
            case IdentityClaim.PHONE -> PhoneNumber.mask(value);
            case IdentityClaim.WECHAT_OPENID, IdentityClaim.WECHAT_UNIONID ->
                    value.length() <= 6 ? "****" : value.substring(0, 4) + "****" + value.substring(value.length() - 2);
            default -> value;
        };
    }

    private static String handle(String kind, String source, byte[] index) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes((kind + "\0" + source + "\0").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(index);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    }

    /** What a handle names: the identity's key, which holds the blind index and not the value. */
    private record Handle(String kind, String source, byte[] index) {

        static Handle parse(String handle) {
            try {
                byte[] bytes = Base64.getUrlDecoder().decode(handle);
                int first = indexOf(bytes, 0);
                int second = indexOf(bytes, first + 1);
                return new Handle(new String(bytes, 0, first, StandardCharsets.UTF_8),
                        new String(bytes, first + 1, second - first - 1, StandardCharsets.UTF_8),
                        Arrays.copyOfRange(bytes, second + 1, bytes.length));
            } catch (IllegalArgumentException e) {
                throw ApiProblem.notFound("identity " + handle);
            }
        }

        private static int indexOf(byte[] bytes, int from) {
            for (int i = from; i < bytes.length; i++) {
                if (bytes[i] == 0) {
                    return i;
                }
            }
            throw new IllegalArgumentException("not a handle");
        }
    }
}
