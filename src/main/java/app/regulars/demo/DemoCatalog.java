package app.regulars.demo;

import app.regulars.catalog.ProductDraft;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The chain the generator sells through: stores with their advisors, a two-level category tree with
 * repurchase (or care) cycles, and a few hundred SKUs. Fixed by the seed like everything else.
 */
record DemoCatalog(List<DemoStore> stores, List<DemoCategory> categories, List<ProductDraft> products) {

    static final String ZONE = "Asia/Shanghai";
    static final String ONLINE_STORE = "EC-01";

    /** A shop; {@code weight} is its share of the chain's customers; its advisors serve them. */
    record DemoStore(String code, String name, String region, String city, double weight, List<DemoStaff> staff) {
        boolean online() {
            return ONLINE_STORE.equals(code);
        }
    }

    /** A beauty advisor (BA) or shop assistant; colleagues' work names, not customer personal data. */
    record DemoStaff(String code, String name) {}

    /**
     * A category; leaves carry a parent. {@code cycleDays} is the expected repurchase cycle of a
     * consumable, or the care cycle (after-sales follow-up) of a durable.
     */
    record DemoCategory(String code, String parentCode, String name, String nameEn, int cycleDays,
                        boolean consumable, long minPriceCents, long maxPriceCents) {
        boolean root() {
            return parentCode == null;
        }
    }

    static DemoCatalog plan(long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<DemoStore> stores = chainStores(random);
        List<DemoCategory> categories = categoryTree();
        return new DemoCatalog(stores, categories, assortment(categories, random));
    }

    private static List<DemoStore> chainStores(SplittableRandom random) {
        Object[][] shops = {
                {"SH-01", "上海南京西路店", "华东", "上海", 1.6},
                {"SH-02", "上海徐家汇店", "华东", "上海", 1.2},
                {"HZ-01", "杭州湖滨店", "华东", "杭州", 0.9},
                {"BJ-01", "北京三里屯店", "华北", "北京", 1.4},
                {"GZ-01", "广州天河店", "华南", "广州", 1.0},
                {"SZ-01", "深圳万象城店", "华南", "深圳", 0.9},
                {"CD-01", "成都春熙路店", "西南", "成都", 0.8},
                {ONLINE_STORE, "官方商城（线上）", "线上", "上海", 0.6},
        };
        List<DemoStore> stores = new ArrayList<>();
        for (Object[] shop : shops) {
            String code = (String) shop[0];
            int advisors = ONLINE_STORE.equals(code) ? 2 : 3 + random.nextInt(4);
            List<DemoStaff> staff = new ArrayList<>();
            for (int i = 1; i <= advisors; i++) {
                String gender = random.nextDouble() < 0.8 ? "female" : "male";
                staff.add(new DemoStaff("%s-S%02d".formatted(code, i), ChineseNames.name(gender, random)));
            }
            stores.add(new DemoStore(code, (String) shop[1], (String) shop[2], (String) shop[3], (double) shop[4],
                    List.copyOf(staff)));
        }
        return List.copyOf(stores);
    }

    private static List<DemoCategory> categoryTree() {
        List<DemoCategory> c = new ArrayList<>();
        root(c, "skincare", "护肤", "Skincare", 45, true);
        leaf(c, "skincare.cleanser", "skincare", "洁面", "Cleansers", 45_00, 189_00);
        leaf(c, "skincare.serum", "skincare", "精华", "Serums", 199_00, 899_00);
        leaf(c, "skincare.cream", "skincare", "面霜", "Creams", 159_00, 699_00);
        leaf(c, "skincare.mask", "skincare", "面膜", "Masks", 69_00, 259_00);
        leaf(c, "skincare.sunscreen", "skincare", "防晒", "Sunscreens", 89_00, 239_00);
        root(c, "makeup", "彩妆", "Makeup", 60, true);
        leaf(c, "makeup.lipstick", "makeup", "口红", "Lipsticks", 89_00, 339_00);
        leaf(c, "makeup.foundation", "makeup", "粉底", "Foundations", 129_00, 469_00);
        leaf(c, "makeup.eye", "makeup", "眼妆", "Eye makeup", 69_00, 299_00);
        root(c, "personal_care", "个护", "Personal care", 30, true);
        leaf(c, "personal_care.hair", "personal_care", "洗护发", "Hair care", 39_00, 129_00);
        leaf(c, "personal_care.body", "personal_care", "沐浴", "Body wash", 29_00, 99_00);
        leaf(c, "personal_care.oral", "personal_care", "口腔护理", "Oral care", 15_00, 299_00);
        root(c, "baby", "母婴", "Baby", 25, true);
        leaf(c, "baby.diapers", "baby", "纸尿裤", "Diapers", 99_00, 219_00);
        leaf(c, "baby.formula", "baby", "奶粉", "Formula", 229_00, 459_00);
        leaf(c, "baby.wipes", "baby", "湿巾", "Wipes", 19_00, 59_00);
        root(c, "apparel", "服饰", "Apparel", 90, true);
        leaf(c, "apparel.tops", "apparel", "上装", "Tops", 99_00, 599_00);
        leaf(c, "apparel.bottoms", "apparel", "下装", "Bottoms", 129_00, 499_00);
        leaf(c, "apparel.shoes", "apparel", "鞋履", "Shoes", 199_00, 899_00);
        root(c, "furniture", "家具", "Furniture", 180, false);
        leaf(c, "furniture.sofa", "furniture", "沙发", "Sofas", 2999_00, 12999_00);
        leaf(c, "furniture.mattress", "furniture", "床垫", "Mattresses", 1999_00, 8999_00);
        leaf(c, "furniture.table", "furniture", "餐桌", "Dining tables", 1299_00, 5999_00);
        root(c, "appliances", "家电", "Appliances", 365, false);
        leaf(c, "appliances.purifier", "appliances", "空气净化器", "Air purifiers", 999_00, 3999_00);
        leaf(c, "appliances.hair_dryer", "appliances", "吹风机", "Hair dryers", 299_00, 2999_00);
        leaf(c, "appliances.rice_cooker", "appliances", "电饭煲", "Rice cookers", 299_00, 1599_00);
        return List.copyOf(c);
    }

    private static void root(List<DemoCategory> list, String code, String name, String nameEn, int cycle,
                             boolean consumable) {
        list.add(new DemoCategory(code, null, name, nameEn, cycle, consumable, 0, 0));
    }

    private static void leaf(List<DemoCategory> list, String code, String parent, String name, String nameEn,
                             long min, long max) {
        DemoCategory root = list.stream().filter(c -> c.code().equals(parent)).findFirst().orElseThrow();
        list.add(new DemoCategory(code, parent, name, nameEn, root.cycleDays(), root.consumable(), min, max));
    }

    /** Brands per root category; each leaf gets a dozen SKUs spread over them. */
    private static final Map<String, List<String>> BRANDS = Map.of(
            "skincare", List.of("澄光", "植研", "雪域", "润初", "安肌"),
            "makeup", List.of("绯色", "星禾", "墨影", "绯色PRO"),
            "personal_care", List.of("清沐", "原萃", "皓齿", "木槿"),
            "baby", List.of("小禾", "贝安", "暖羊"),
            "apparel", List.of("素衣", "行野", "棉里", "轻步"),
            "furniture", List.of("栖木", "安眠", "拾光家"),
            "appliances", List.of("风行", "净界", "米厨"));

    private static final List<String> VARIANTS = List.of("经典款", "清爽型", "滋润型", "升级版", "旅行装",
            "家庭装", "限定款", "基础款", "进阶版", "礼盒装", "二代", "Pro");

    private static List<ProductDraft> assortment(List<DemoCategory> categories, SplittableRandom random) {
        List<ProductDraft> products = new ArrayList<>();
        for (DemoCategory leaf : categories) {
            if (leaf.root()) {
                continue;
            }
            List<String> brands = BRANDS.get(leaf.parentCode());
            String prefix = leaf.code().toUpperCase().replace('.', '-').replace("_", "");
            for (int i = 0; i < VARIANTS.size(); i++) {
                String brand = brands.get(i % brands.size());
                double position = random.nextDouble();
                long price = leaf.minPriceCents()
                        + Math.round(position * position * (leaf.maxPriceCents() - leaf.minPriceCents()));
                price = price >= 10_000 ? price / 1000 * 1000 + 900 : price / 100 * 100 + 90; // 239.00, 45.90
                products.add(new ProductDraft("%s-%02d".formatted(prefix, i + 1),
                        "%s %s%s".formatted(brand, leaf.name(), VARIANTS.get(i)), leaf.code(), brand, price,
                        leaf.consumable()));
            }
        }
        return List.copyOf(products);
    }

    /** SKUs of each leaf category, in catalogue order. */
    Map<String, List<ProductDraft>> productsByLeaf() {
        Map<String, List<ProductDraft>> byLeaf = new LinkedHashMap<>();
        for (ProductDraft p : products) {
            byLeaf.computeIfAbsent(p.categoryCode(), k -> new ArrayList<>()).add(p);
        }
        return byLeaf;
    }

    List<DemoCategory> roots() {
        return categories.stream().filter(DemoCategory::root).toList();
    }

    List<DemoCategory> leavesOf(String rootCode) {
        return categories.stream().filter(c -> rootCode.equals(c.parentCode())).toList();
    }

    DemoCategory category(String code) {
        return categories.stream().filter(c -> c.code().equals(code)).findFirst().orElseThrow();
    }

    /** The root category of a SKU's category ("skincare.serum" → "skincare"). */
    static String rootOf(String categoryCode) {
        int dot = categoryCode.indexOf('.');
        return dot < 0 ? categoryCode : categoryCode.substring(0, dot);
    }

    DemoStore store(String code) {
        return stores.stream().filter(s -> s.code().equals(code)).findFirst().orElseThrow();
    }
}
