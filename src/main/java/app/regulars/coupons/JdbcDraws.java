package app.regulars.coupons;

import app.regulars.access.Callers;
import app.regulars.loyalty.PointsAccounts;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.EventFeed;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Draw campaigns, grants and draws in PostgreSQL. */
@Service
class JdbcDraws implements Draws {

    static final Set<String> VIAS = Set.of("receipt", "points", "journey", "console");
    private static final Set<String> KINDS = Set.of("points", "coupon", "gift");
    private static final String DRAW_COLUMNS = """
            d.id, d.grant_id, d.campaign_id, d.customer_id, d.random_value, d.table_version, d.picked_prize_id,
            d.prize_id, p.kind, p.label, d.shortfall, c.code, p.points, d.drawn_at""" + " ";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ObjectMapper json;
    private final Issuance issuance;
    private final PointsAccounts points;
    private final EventFeed feed;
    private final SecureRandom random = new SecureRandom();

    JdbcDraws(JdbcClient jdbc, TransactionTemplate tx, Clock clock, ObjectMapper json, Issuance issuance,
              PointsAccounts points, EventFeed feed) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.json = json;
        this.issuance = issuance;
        this.points = points;
        this.feed = feed;
    }

    // ---- campaigns

    @Override
    public DrawCampaign create(CampaignDraft draft) {
        Callers.requireAllStores("changing draws");
        check(draft, null);
        return tx.execute(status -> {
            long id = jdbc.sql("""
                            insert into draw_campaign (name, receipt_min_cents, points_cost, budget_cents, active)
                            values (?, ?, ?, ?, ?) returning id""")
                    .params(draft.name().strip(), draft.receiptMinCents(), draft.pointsCost(), draft.budgetCents(),
                            draft.active() == null || draft.active())
                    .query(Long.class).single();
            writePrizes(id, draft.prizes(), List.of());
            snapshot(id, 1);
            return find(id).orElseThrow();
        });
    }

    @Override
    public DrawCampaign update(long id, CampaignDraft draft) {
        Callers.requireAllStores("changing draws");
        return tx.execute(status -> {
            DrawCampaign current = jdbc.sql("select id from draw_campaign where id = ? for update").param(id)
                    .query(Long.class).optional().flatMap(x -> find(id))
                    .orElseThrow(() -> ApiProblem.notFound("draw campaign " + id));
            check(draft, current);
            jdbc.sql("update draw_campaign set name = ?, receipt_min_cents = ?, points_cost = ?, budget_cents = ?, "
                            + "active = ? where id = ?")
                    .params(draft.name().strip(), draft.receiptMinCents(), draft.pointsCost(), draft.budgetCents(),
                            draft.active() == null || draft.active(), id)
                    .update();
            List<DrawTable.Slot> before = slots(current.prizes());
            writePrizes(id, draft.prizes(), current.prizes());
            DrawCampaign after = find(id).orElseThrow();
            if (!slots(after.prizes()).equals(before)) {
                int version = current.tableVersion() + 1;
                jdbc.sql("update draw_campaign set table_version = ? where id = ?").params(version, id).update();
                snapshot(id, version);
            }
            return find(id).orElseThrow();
        });
    }

    @Override
    public Optional<DrawCampaign> find(long id) {
        return jdbc.sql("select * from draw_campaign where id = ?").param(id).query((rs, i) -> campaign(rs)).optional();
    }

    @Override
    public List<DrawCampaign> all() {
        return jdbc.sql("select * from draw_campaign order by id desc").query((rs, i) -> campaign(rs)).list();
    }

    private DrawCampaign campaign(ResultSet rs) throws SQLException {
        long id = rs.getLong("id");
        List<Prize> prizes = jdbc.sql("select * from draw_prize where campaign_id = ? order by position, id").param(id)
                .query((p, i) -> new Prize(p.getLong("id"), p.getInt("position"), p.getString("kind"),
                        p.getString("label"), p.getObject("points", Long.class), p.getObject("template_id", Long.class),
                        p.getString("gift_sku"), p.getLong("value_cents"), p.getInt("odds_ppm"),
                        p.getObject("stock", Integer.class), p.getInt("won")))
                .list();
        return new DrawCampaign(id, rs.getString("name"), rs.getObject("receipt_min_cents", Long.class),
                rs.getObject("points_cost", Long.class), rs.getObject("budget_cents", Long.class),
                rs.getLong("spent_cents"), rs.getInt("table_version"), rs.getBoolean("active"), prizes);
    }

    private void check(CampaignDraft d, DrawCampaign current) {
        if (d == null) {
            throw ApiProblem.badRequest("body", "missing");
        }
        Problems p = new Problems();
        if (d.name() == null || d.name().isBlank()) {
            p.add("name", "required", "required");
        } else if (d.name().strip().length() > 100) {
            p.add(Refusals.CODES.of("name", "tooLong", 100, "at most 100 characters"));
        }
        p.cents("receiptMinCents", d.receiptMinCents(), false, 1);
        p.cents("budgetCents", d.budgetCents(), false, 1);
        if (d.pointsCost() != null && (d.pointsCost() < 1 || d.pointsCost() > 100_000_000)) {
            p.add(Refusals.CODES.of("pointsCost", "range", "1–100000000", "must be between 1 and 100000000"));
        }
        if (d.prizes().size() > 50) {
            p.add(Refusals.CODES.of("prizes", "tooMany", 50, "at most 50"));
        }
        long odds = 0;
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < d.prizes().size(); i++) {
            PrizeDraft prize = d.prizes().get(i);
            String at = "prizes[" + i + "].";
            if (prize == null) {
                p.add("prizes[" + i + "]", "required", "required");
                continue;
            }
            if (prize.id() != null) {
                Prize existing = current == null ? null
                        : current.prizes().stream().filter(x -> x.id() == prize.id()).findFirst().orElse(null);
                if (existing == null || !ids.add(prize.id())) {
                    p.add(at + "id", "notThisCampaignsPrize", "not a prize of this campaign");
                } else if (prize.stock() != null && prize.stock() < existing.won()) {
                    p.add(Refusals.CODES.of(at + "stock", "belowWon", existing.won(), "below the " + existing.won() + " already won"));
                }
            }
            if (prize.kind() == null || !KINDS.contains(prize.kind())) {
                p.add(at + "kind", "prizeKind", "must be points, coupon or gift");
            } else {
                switch (prize.kind()) {
                    case "points" -> {
                        if (prize.points() == null || prize.points() < 1 || prize.points() > 10_000_000) {
                            p.add(Refusals.CODES.of(at + "points", "range", "1–10000000", "must be between 1 and 10000000"));
                        }
                    }
                    case "coupon" -> {
                        if (prize.templateId() == null || issuanceTemplate(prize.templateId()).isEmpty()) {
                            p.add(at + "templateId", "prizeTemplate", "no such coupon template");
                        }
                    }
                    default -> {
                        if (prize.giftSku() == null || prize.giftSku().isBlank()) {
                            p.add(at + "giftSku", "required", "required");
                        }
                    }
                }
            }
            if (prize.label() == null || prize.label().isBlank()) {
                p.add(at + "label", "required", "required");
            } else if (prize.label().length() > 100) {
                p.add(Refusals.CODES.of(at + "label", "tooLong", 100, "at most 100 characters"));
            }
            p.cents(at + "valueCents", prize.valueCents(), false, 0);
            p.range(at + "oddsPpm", prize.oddsPpm(), true, 0, DrawTable.PPM);
            p.range(at + "stock", prize.stock(), false, 0, 100_000_000);
            odds += prize.oddsPpm() == null ? 0 : prize.oddsPpm();
        }
        if (odds > DrawTable.PPM) {
            p.add(Refusals.CODES.of("prizes", "oddsOver", BigDecimal.valueOf(odds, 4).stripTrailingZeros().toPlainString() + "%",
                    "odds add up to " + odds + " ppm, more than 1000000"));
        }
        p.throwIfAny();
    }

    private Optional<CouponTemplate> issuanceTemplate(long id) {
        return jdbc.sql("select " + JdbcCouponTemplates.COLUMNS + " from coupon_template t where id = ?").param(id)
                .query((rs, i) -> JdbcCouponTemplates.read(rs, json)).optional();
    }

    /**
     * Writes the drafted prizes in order. Prizes of the campaign left out of the draft stay (draws refer
     * to them) with odds 0, so they can no longer be won.
     */
    private void writePrizes(long campaignId, List<PrizeDraft> drafts, List<Prize> current) {
        Set<Long> kept = new HashSet<>();
        for (int i = 0; i < drafts.size(); i++) {
            PrizeDraft d = drafts.get(i);
            long value = d.valueCents() != null ? d.valueCents()
                    : "coupon".equals(d.kind()) ? issuanceTemplate(d.templateId()).map(CouponTemplate::faceCents).orElse(0L) : 0;
            Object[] values = {i, d.kind(), d.label().strip(), "points".equals(d.kind()) ? d.points() : null,
                    "coupon".equals(d.kind()) ? d.templateId() : null,
                    "gift".equals(d.kind()) ? d.giftSku().strip() : null, value, d.oddsPpm(), d.stock()};
            if (d.id() == null) {
                jdbc.sql("""
                                insert into draw_prize (position, kind, label, points, template_id, gift_sku, value_cents,
                                                        odds_ppm, stock, campaign_id)
                                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                        .params(append(values, campaignId)).update();
            } else {
                kept.add(d.id());
                jdbc.sql("""
                                update draw_prize set position = ?, kind = ?, label = ?, points = ?, template_id = ?,
                                    gift_sku = ?, value_cents = ?, odds_ppm = ?, stock = ? where id = ?""")
                        .params(append(values, d.id())).update();
            }
        }
        for (Prize p : current) {
            if (!kept.contains(p.id())) {
                jdbc.sql("update draw_prize set odds_ppm = 0, position = 1000 + position where id = ?").param(p.id()).update();
            }
        }
    }

    private static Object[] append(Object[] values, Object last) {
        Object[] all = java.util.Arrays.copyOf(values, values.length + 1);
        all[values.length] = last;
        return all;
    }

    private static List<DrawTable.Slot> slots(List<Prize> prizes) {
        return prizes.stream().filter(p -> p.oddsPpm() > 0).map(p -> new DrawTable.Slot(p.id(), p.oddsPpm())).toList();
    }

    private void snapshot(long campaignId, int version) {
        List<DrawTable.Slot> table = slots(find(campaignId).orElseThrow().prizes());
        jdbc.sql("insert into draw_table (campaign_id, version, prizes) values (?, ?, ?::jsonb)")
                .params(campaignId, version, write(table)).update();
    }

    private List<DrawTable.Slot> table(long campaignId, int version) {
        String text = jdbc.sql("select prizes::text from draw_table where campaign_id = ? and version = ?")
                .params(campaignId, version).query(String.class).single();
        try {
            return json.readValue(text, new TypeReference<List<DrawTable.Slot>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable prize table " + campaignId + "/" + version, e);
        }
    }

    // ---- grants and draws

    @Override
    public DrawGrant grant(long campaignId, long customerId, String grantKey, String via) {
        Problems p = new Problems();
        if (customerId <= 0) {
            p.add("customerId", "required");
        }
        if (grantKey == null || grantKey.isBlank() || grantKey.length() > 200) {
            p.add("grantKey", "required, at most 200 characters");
        }
        if (via == null || !VIAS.contains(via)) {
            p.add("via", "must be receipt, points, journey or console");
        }
        p.throwIfAny();
        return tx.execute(status -> {
            boolean active = jdbc.sql("select active from draw_campaign where id = ?").param(campaignId)
                    .query(Boolean.class).optional().orElseThrow(() -> ApiProblem.notFound("draw campaign " + campaignId));
            Optional<DrawGrant> earlier = grantByKey(grantKey.strip());
            if (earlier.isPresent()) {
                return earlier.get();
            }
            if (!active) {
                throw ApiProblem.conflict("campaignId", "CAMPAIGN_INACTIVE");
            }
            jdbc.sql("""
                            insert into draw_grant (campaign_id, customer_id, grant_key, via, granted_at)
                            values (?, ?, ?, ?, ?) on conflict (grant_key) do nothing""")
                    .params(campaignId, customerId, grantKey.strip(), via, JdbcCouponTemplates.ts(clock.instant()))
                    .update();
            return grantByKey(grantKey.strip()).orElseThrow();
        });
    }

    private Optional<DrawGrant> grantByKey(String key) {
        return jdbc.sql("""
                        select g.*, d.id as draw_id from draw_grant g left join draw d on d.grant_id = g.id
                        where g.grant_key = ?""")
                .param(key).query((rs, i) -> grant(rs)).optional();
    }

    private static DrawGrant grant(ResultSet rs) throws SQLException {
        return new DrawGrant(rs.getLong("id"), rs.getLong("campaign_id"), rs.getLong("customer_id"), rs.getString("via"),
                JdbcCouponTemplates.instant(rs, "granted_at"), rs.getObject("draw_id", Long.class));
    }

    @Override
    public List<DrawGrant> openGrants(long customerId) {
        return jdbc.sql("""
                        select g.*, null::bigint as draw_id from draw_grant g
                        where g.customer_id = ? and not exists (select 1 from draw d where d.grant_id = g.id)
                        order by g.id""")
                .param(customerId).query((rs, i) -> grant(rs)).list();
    }

    @Override
    public DrawResult play(long grantId) {
        return tx.execute(status -> {
            // The grant's row lock makes a retried or concurrent play of one grant wait, then find the draw.
            DrawGrant g = jdbc.sql("select g.*, null::bigint as draw_id from draw_grant g where id = ? for update")
                    .param(grantId).query((rs, i) -> grant(rs)).optional()
                    .orElseThrow(() -> ApiProblem.notFound("draw grant " + grantId));
            Optional<DrawResult> earlier = drawOfGrant(grantId);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            return draw(g);
        });
    }

    @Override
    public DrawResult playWithPoints(long campaignId, long customerId, String key) {
        if (key == null || key.isBlank() || key.length() > 150) {
            throw ApiProblem.badRequest("key", "required, at most 150 characters");
        }
        return tx.execute(status -> {
            DrawCampaign campaign = find(campaignId).orElseThrow(() -> ApiProblem.notFound("draw campaign " + campaignId));
            if (campaign.pointsCost() == null) {
                throw ApiProblem.conflict("campaignId", "POINTS_NOT_ACCEPTED");
            }
            String grantKey = "points:" + campaignId + ":" + customerId + ":" + key.strip();
            Optional<DrawGrant> earlier = grantByKey(grantKey);
            if (earlier.isEmpty()) {
                if (!points.spend(customerId, campaign.pointsCost(), "draw " + campaignId, "draw-" + grantKey)) {
                    throw new ApiProblem(HttpStatus.UNPROCESSABLE_ENTITY, "customerId: INSUFFICIENT_POINTS",
                            List.of(new ApiProblem.FieldError("customerId", "INSUFFICIENT_POINTS")));
                }
            }
            DrawGrant g = earlier.orElseGet(() -> grant(campaignId, customerId, grantKey, "points"));
            return play(g.id());
        });
    }

    private Optional<DrawResult> drawOfGrant(long grantId) {
        return jdbc.sql("select " + DRAW_COLUMNS + """
                         from draw d left join draw_prize p on p.id = d.prize_id left join coupon c on c.id = d.coupon_id
                         where d.grant_id = ?""")
                .param(grantId).query((rs, i) -> result(rs)).optional();
    }

    /** Draws for a grant: random bits, the pick, then stock and budget by conditional updates. */
    private DrawResult draw(DrawGrant g) {
        DrawCampaign campaign = find(g.campaignId()).orElseThrow();
        long bits = random.nextLong();
        int version = campaign.tableVersion();
        Long picked = DrawTable.pick(bits, table(campaign.id(), version));
        Instant now = clock.instant();
        long drawId = jdbc.sql("""
                        insert into draw (grant_id, campaign_id, customer_id, random_value, table_version, picked_prize_id,
                                          drawn_at)
                        values (?, ?, ?, ?, ?, ?, ?) returning id""")
                .params(g.id(), campaign.id(), g.customerId(), bits, version, picked, JdbcCouponTemplates.ts(now))
                .query(Long.class).single();
        String shortfall = null;
        Long couponId = null;
        Prize prize = picked == null ? null
                : campaign.prizes().stream().filter(p -> p.id() == picked).findFirst().orElseThrow();
        if (prize != null) {
            shortfall = take(campaign, prize);
            if (shortfall == null && "coupon".equals(prize.kind())) {
                Issuance.Outcome outcome = issuance.tryIssue(new Issue(prize.templateId(), g.customerId(),
                        "draw:" + drawId, "draw"));
                if (outcome.refusal() != null) {
                    giveBack(campaign, prize);
                    shortfall = "coupon_cap";
                } else {
                    couponId = outcome.issued().couponId();
                }
            }
            if (shortfall == null && "points".equals(prize.kind())) {
                points.award(g.customerId(), prize.points(), "draw " + campaign.id(), "draw:" + drawId);
            }
        }
        Long won = prize != null && shortfall == null ? prize.id() : null;
        jdbc.sql("update draw set prize_id = ?, shortfall = ?, coupon_id = ? where id = ?")
                .params(won, shortfall, couponId, drawId).update();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("drawId", drawId);
        payload.put("campaignId", campaign.id());
        payload.put("prizeId", won);
        payload.put("kind", won == null ? null : prize.kind());
        feed.append(Issuance.TOPIC, "draw.drawn", g.customerId(), now, payload);
        return drawOfGrant(g.id()).orElseThrow();
    }

    /** Takes one of the prize's stock and its value from the budget; the reason when either is exhausted. */
    private String take(DrawCampaign campaign, Prize prize) {
        int stock = jdbc.sql("update draw_prize set won = won + 1 where id = ? and (stock is null or won < stock)")
                .param(prize.id()).update();
        if (stock == 0) {
            return "stock";
        }
        int budget = jdbc.sql("""
                        update draw_campaign set spent_cents = spent_cents + ?
                        where id = ? and (budget_cents is null or spent_cents + ? <= budget_cents)""")
                .params(prize.valueCents(), campaign.id(), prize.valueCents()).update();
        if (budget == 0) {
            jdbc.sql("update draw_prize set won = won - 1 where id = ?").param(prize.id()).update();
            return "budget";
        }
        return null;
    }

    private void giveBack(DrawCampaign campaign, Prize prize) {
        jdbc.sql("update draw_prize set won = won - 1 where id = ?").param(prize.id()).update();
        jdbc.sql("update draw_campaign set spent_cents = spent_cents - ? where id = ?")
                .params(prize.valueCents(), campaign.id()).update();
    }

    @Override
    public DrawReplay replay(long drawId) {
        return jdbc.sql("select * from draw where id = ?").param(drawId).query((rs, i) -> {
            long bits = rs.getLong("random_value");
            int version = rs.getInt("table_version");
            Long recordedPick = rs.getObject("picked_prize_id", Long.class);
            Long prize = rs.getObject("prize_id", Long.class);
            String shortfall = rs.getString("shortfall");
            Long replayed = DrawTable.pick(bits, table(rs.getLong("campaign_id"), version));
            boolean outcome = shortfall == null ? java.util.Objects.equals(prize, replayed) : prize == null;
            return new DrawReplay(drawId, bits, version, recordedPick, replayed, prize, shortfall,
                    java.util.Objects.equals(recordedPick, replayed) && outcome);
        }).optional().orElseThrow(() -> ApiProblem.notFound("draw " + drawId));
    }

    @Override
    public List<DrawResult> recent(long campaignId, int limit) {
        return jdbc.sql("select " + DRAW_COLUMNS + """
                         from draw d left join draw_prize p on p.id = d.prize_id left join coupon c on c.id = d.coupon_id
                         where d.campaign_id = ? order by d.id desc limit ?""")
                .params(campaignId, Math.max(1, Math.min(limit, 1000))).query((rs, i) -> result(rs)).list();
    }

    private static DrawResult result(ResultSet rs) throws SQLException {
        return new DrawResult(rs.getLong("id"), rs.getLong("grant_id"), rs.getLong("campaign_id"),
                rs.getLong("customer_id"), rs.getLong("random_value"), rs.getInt("table_version"),
                rs.getObject("picked_prize_id", Long.class), rs.getObject("prize_id", Long.class), rs.getString("kind"),
                rs.getString("label"), rs.getString("shortfall"), rs.getString("code"),
                "points".equals(rs.getString("kind")) ? rs.getObject("points", Long.class) : null,
                JdbcCouponTemplates.instant(rs, "drawn_at"));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
