package app.regulars.demo;

import java.util.List;
import java.util.random.RandomGenerator;

/** Invented Chinese names, and phone and card numbers that are unique per customer ordinal. */
final class ChineseNames {

    private static final String SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田"
            + "董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严";
    private static final String FEMALE = "芳娜敏静丽艳娟霞秀玲桂英华慧巧美婷雪琳晶欣怡悦然佳颖梦瑶思雨萱涵琪诗月";
    private static final String MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆哲昊然轩博文睿晨";
    private static final List<String> MOBILE_PREFIXES = List.of("130", "131", "132", "133", "135", "136", "137",
            "138", "139", "150", "151", "152", "153", "155", "156", "157", "158", "159", "166", "173", "176",
            "177", "178", "180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "195", "198", "199");

    /** Multipliers coprime to 10, so ordinal → suffix is a bijection and no two customers share one. */
    private static final long PHONE_STEP = 37_281_743L;
    private static final long CARD_STEP = 7_140_483_917L;

    private ChineseNames() {}

    static String name(String gender, RandomGenerator random) {
        StringBuilder name = new StringBuilder();
        name.append(SURNAMES.charAt(random.nextInt(SURNAMES.length())));
        String given = "female".equals(gender) ? FEMALE : MALE;
        int length = random.nextDouble() < 0.7 ? 2 : 1;
        for (int i = 0; i < length; i++) {
            name.append(given.charAt(random.nextInt(given.length())));
        }
        return name.toString();
    }

    /** A valid mainland mobile number (1[3-9] and 9 more digits), distinct for distinct ordinals. */
    static String phone(long seed, int ordinal) {
        long suffix = Math.floorMod(PHONE_STEP * ordinal + Math.floorMod(seed * 7_919L, 100_000_000L), 100_000_000L);
        String prefix = MOBILE_PREFIXES.get(Math.floorMod(Long.hashCode(seed * 31 + ordinal), MOBILE_PREFIXES.size()));
        return prefix + "%08d".formatted(suffix);
    }

    static String cardNo(long seed, int ordinal) {
        return "RC%010d".formatted(Math.floorMod(CARD_STEP * ordinal + Math.floorMod(seed * 104_729L, 10_000_000_000L),
                10_000_000_000L));
    }
}
