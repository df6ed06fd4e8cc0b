package app.regulars.insights.rule;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * What a rule problem says, as a message code and its arguments, so that it can be said in the reader's
 * language: the pattern of each code is in the insights messages ({@code i18n/insights*.properties}),
 * and the API's English is the same pattern read from the English bundle, the one the console's English
 * switch reads too.
 *
 * <p>An argument is a {@link String} shown as it is (a token the author typed, a name of the rule
 * language, a limit), a nested {@code RuleMessage} (a phrase said in the reader's language: what was
 * expected, a type) or {@link Names} (a list, joined and quoted the reader's way). Patterns are
 * {@link MessageFormat}s, always, so an apostrophe is written {@code ''}.
 *
 * @param code what is wrong
 * @param args what it names
 */
public record RuleMessage(Code code, List<Object> args) {

    public RuleMessage {
        args = List.copyOf(args);
        for (Object a : args) {
            if (!(a instanceof String || a instanceof RuleMessage || a instanceof Names)) {
                throw new IllegalArgumentException("not a message argument: " + a);
            }
        }
    }

    public static RuleMessage of(Code code, Object... args) {
        return new RuleMessage(code, List.of(args));
    }

    /** A list of names of the rule language, shown bare: {@code category, product} / {@code category、product}. */
    public static Names names(Collection<String> names) {
        return new Names(List.copyOf(names), false);
    }

    /** A list of values, each in quotes: {@code "A", "B"} / {@code “A”、“B”}. */
    public static Names quoted(Collection<String> values) {
        return new Names(List.copyOf(values), true);
    }

    /**
     * Said with the patterns of one language: {@code patterns} looks a message key up in that language's
     * bundle (the console passes its message source for the reader's locale).
     */
    public String in(UnaryOperator<String> patterns) {
        Object[] shown = args.stream().map(a -> switch (a) {
            case RuleMessage m -> m.in(patterns);
            case Names n -> n.in(patterns);
            default -> a;
        }).toArray();
        return format(patterns.apply(code.key()), shown);
    }

    /** As the API says it. */
    public String english() {
        return in(English::pattern);
    }

    // Arguments are all strings, so the locale formats nothing; ROOT keeps it from depending on the machine.
    private static String format(String pattern, Object... args) {
        return new MessageFormat(pattern, Locale.ROOT).format(args);
    }

    /** Names or values listed in a message; how they are joined and quoted is the language's. */
    public record Names(List<String> names, boolean quoted) {

        public Names {
            names = List.copyOf(names);
        }

        String in(UnaryOperator<String> patterns) {
            String out = "";
            for (String name : names) {
                String shown = quoted ? format(patterns.apply(Code.QUOTED.key()), name) : name;
                out = out.isEmpty() ? shown : format(patterns.apply(Code.LIST.key()), out, shown);
            }
            return out;
        }
    }

    /** The English bundle, read once; a key it lacks is shown as the key (a test keeps that from happening). */
    private static final class English {

        private static final Properties PATTERNS = load();

        private English() {}

        static String pattern(String key) {
            return PATTERNS.getProperty(key, key);
        }

        private static Properties load() {
            Properties patterns = new Properties();
            try (InputStream in = RuleMessage.class.getResourceAsStream("/i18n/insights_en.properties")) {
                if (in != null) {
                    patterns.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return patterns;
        }
    }

    /**
     * Every message a rule problem is made of, each with its key in the insights messages: whole sentences
     * ({@code rule.problem.*}), what the parser expected ({@code rule.expect.*}), the types and kinds of
     * value a sentence names, and how positions and lists are written.
     */
    public enum Code {
        // Where, and lists
        AT("rule.problem.at"),
        AT_PATH("rule.problem.atPath"),
        AND_ALSO("rule.problem.andAlso"),
        LIST("rule.list"),
        QUOTED("rule.quoted"),

        // The text does not parse: expected {0}, found …
        EXPECTED_FOUND("rule.problem.expectedFound"),
        EXPECTED_FOUND_END("rule.problem.expectedFoundEnd"),
        EXPECTED_FOUND_END_OF_LINE("rule.problem.expectedFoundEndOfLine"),
        EXPECTED_FOUND_EMPTY_RULE("rule.problem.expectedFoundEmptyRule"),
        EXPECTED_FOUND_MISSPELT("rule.problem.expectedFoundMisspelt"),
        EXPECTED_FOUND_DAYS_WITHOUT_D("rule.problem.expectedFoundDaysWithoutD"),
        WITHIN_AFTER_NON_FIELD("rule.problem.withinAfterNonField"),
        FOUND_LITERAL("rule.found.literal"),
        FOUND_FUNCTION("rule.found.function"),
        FOUND_CALCULATION("rule.found.calculation"),

        // What the parser expected
        CONDITION_VALUE_OR_OPERATOR("rule.expect.conditionValueOrOperator"),
        ESCAPE("rule.expect.escape"),
        CLOSING_QUOTE("rule.expect.closingQuote"),
        REAL_DATE("rule.expect.realDate"),
        DAYS_UP_TO("rule.expect.daysUpTo"),
        NUMBER_OR_DAYS("rule.expect.numberOrDays"),
        CONDITION("rule.expect.condition"),
        VALUE("rule.expect.value"),
        WINDOW_OR_FILTER("rule.expect.windowOrFilter"),
        AND_OR_END("rule.expect.andOrEnd"),
        AND_OR_CLOSE_END("rule.expect.andOrCloseEnd"),
        CLOSE_OR_AND_OR("rule.expect.closeOrAndOr"),
        TAG_NAME("rule.expect.tagName"),
        SEGMENT_NAME("rule.expect.segmentName"),
        OPEN("rule.expect.open"),
        CLOSE("rule.expect.close"),
        COMMA("rule.expect.comma"),
        COMMA_OR_CLOSE("rule.expect.commaOrClose"),
        DAYS("rule.expect.days"),
        COMPARISON("rule.expect.comparison"),
        VALUE_LIST("rule.expect.valueList"),
        LIST_VALUE("rule.expect.listValue"),
        ONE_WINDOW("rule.expect.oneWindow"),
        DIMENSION("rule.expect.dimension"),
        COUPON_TEMPLATE("rule.expect.couponTemplate"),
        EVENT_TYPE("rule.expect.eventType"),
        FIRST_DAY("rule.expect.firstDay"),
        LAST_DAY("rule.expect.lastDay"),
        HOLIDAY("rule.expect.holiday"),
        FILTER_VALUE("rule.expect.filterValue"),

        // Types, as sentences name them
        NUMBER("rule.type.number"),
        TEXT("rule.type.text"),
        DATE("rule.type.date"),
        BOOLEAN("rule.type.boolean"),

        // The rule reads but does not make sense
        UNKNOWN_TAG("rule.problem.unknownTag"),
        UNKNOWN_TAG_MISSPELT("rule.problem.unknownTagMisspelt"),
        UNKNOWN_SEGMENT("rule.problem.unknownSegment"),
        UNKNOWN_SEGMENT_MISSPELT("rule.problem.unknownSegmentMisspelt"),
        EMPTY_GROUP("rule.problem.emptyGroup"),
        TWO_FIXED_VALUES("rule.problem.twoFixedValues"),
        CANNOT_COMPARE("rule.problem.cannotCompare"),
        CANNOT_COMPARE_QUOTED_NUMBER("rule.problem.cannotCompareQuotedNumber"),
        CANNOT_COMPARE_DATE_WITH_NUMBER("rule.problem.cannotCompareDateWithNumber"),
        ONLY_EQUALITY("rule.problem.onlyEquality"),
        ONE_OF("rule.problem.oneOf"),
        ONE_OF_MISSPELT("rule.problem.oneOfMisspelt"),
        WITHIN_NEEDS_DATE("rule.problem.withinNeedsDate"),
        CALCULATION_NEEDS_NUMBERS("rule.problem.calculationNeedsNumbers"),
        WITHIN_ONLY("rule.problem.withinOnly"),
        DELETED_FIELD("rule.problem.deletedField"),
        NEEDS_WINDOW("rule.problem.needsWindow"),
        UNKNOWN_FIELD("rule.problem.unknownField"),
        UNKNOWN_FIELD_MISSPELT("rule.problem.unknownFieldMisspelt"),
        FIELD_NOT_FUNCTION("rule.problem.fieldNotFunction"),
        UNKNOWN_FUNCTION("rule.problem.unknownFunction"),
        UNKNOWN_FUNCTION_MISSPELT("rule.problem.unknownFunctionMisspelt"),
        NO_ARGUMENT("rule.problem.noArgument"),
        NEEDS_COUPON_TEMPLATE("rule.problem.needsCouponTemplate"),
        UNKNOWN_COUPON_TEMPLATE("rule.problem.unknownCouponTemplate"),
        UNKNOWN_COUPON_TEMPLATE_MISSPELT("rule.problem.unknownCouponTemplateMisspelt"),
        NEEDS_DIMENSION("rule.problem.needsDimension"),
        NEEDS_EVENT_TYPE("rule.problem.needsEventType"),
        WRONG_DIMENSION("rule.problem.wrongDimension"),
        WRONG_DIMENSION_MISSPELT("rule.problem.wrongDimensionMisspelt"),
        WRONG_EVENT_TYPE("rule.problem.wrongEventType"),
        WRONG_EVENT_TYPE_MISSPELT("rule.problem.wrongEventTypeMisspelt"),
        EMPTY_WINDOW("rule.problem.emptyWindow"),
        BETWEEN_REVERSED("rule.problem.betweenReversed"),
        AROUND_NEEDS_HOLIDAY("rule.problem.aroundNeedsHoliday"),
        UNKNOWN_HOLIDAY("rule.problem.unknownHoliday"),
        UNKNOWN_HOLIDAY_MISSPELT("rule.problem.unknownHolidayMisspelt"),
        LOOKS_AHEAD("rule.problem.looksAhead"),
        FILTER_NOT_ALLOWED("rule.problem.filterNotAllowed"),
        UNKNOWN_FILTER("rule.problem.unknownFilter"),
        UNKNOWN_FILTER_MISSPELT("rule.problem.unknownFilterMisspelt"),
        FILTERED_TWICE("rule.problem.filteredTwice"),
        COUPON_TRUE_OR_FALSE("rule.problem.couponTrueOrFalse"),
        BLANK_FILTER_VALUE("rule.problem.blankFilterValue"),

        // A tag or segment would reach itself through the ones it names
        SEGMENT_INCLUDES_ITSELF("rule.problem.segmentIncludesItself"),
        TAG_INCLUDES_ITSELF("rule.problem.tagIncludesItself"),

        // The engine cannot find what a rule names (it went away after the rule was checked)
        NO_TAG("rule.problem.noTag"),
        NO_SEGMENT("rule.problem.noSegment"),
        NO_FIELD("rule.problem.noField"),
        NO_COUPON_TEMPLATE("rule.problem.noCouponTemplate"),
        NO_EVENT_TYPE("rule.problem.noEventType"),
        NO_HOLIDAY("rule.problem.noHoliday"),
        NO_FILTER("rule.problem.noFilter"),

        // The JSON document is malformed (its path says where)
        MALFORMED_JSON("rule.problem.json.malformed"),
        MALFORMED_JSON_AT("rule.problem.json.malformedAt"),
        NOT_A_DOCUMENT("rule.problem.json.notADocument"),
        VERSION_MISSING("rule.problem.json.versionMissing"),
        VERSION_UNSUPPORTED("rule.problem.json.versionUnsupported"),
        EMPTY_PARTS("rule.problem.json.emptyParts"),
        EXPECTED_ONE_OF("rule.problem.json.expectedOneOf"),
        EXPECTED_VALUES("rule.problem.json.expectedValues"),
        EXPECTED_LITERAL("rule.problem.json.expectedLiteral"),
        UNKNOWN_CONDITION("rule.problem.json.unknownCondition"),
        UNKNOWN_VALUE("rule.problem.json.unknownValue"),
        UNKNOWN_WINDOW("rule.problem.json.unknownWindow"),
        CONDITION_TYPES("rule.expect.json.conditionTypes"),
        VALUE_TYPES("rule.expect.json.valueTypes"),
        WINDOW_TYPES("rule.expect.json.windowTypes"),
        EXPECTED_NUMBER("rule.problem.json.expectedNumber"),
        EXPECTED_NUMBER_FOUND("rule.problem.json.expectedNumberFound"),
        EXPECTED_BOOLEAN("rule.problem.json.expectedBoolean"),
        EXPECTED_ARITHMETIC("rule.problem.json.expectedArithmetic"),
        EXPECTED_TEXT("rule.problem.json.expectedText"),
        EXPECTED_LIST("rule.problem.json.expectedList"),
        NOT_A_FILTER("rule.problem.json.notAFilter"),
        EXPECTED_FILTER_VALUE("rule.problem.json.expectedFilterValue"),
        NOT_A_NODE("rule.problem.json.notANode"),
        TYPE_MISSING("rule.problem.json.typeMissing"),
        MISSING("rule.problem.json.missing"),
        EXPECTED_NAME("rule.problem.json.expectedName"),
        EXPECTED_DAYS("rule.problem.json.expectedDays"),
        EXPECTED_DATE("rule.problem.json.expectedDate"),
        UNKNOWN_PROPERTY("rule.problem.json.unknownProperty");

        private final String key;

        Code(String key) {
            this.key = key;
        }

        /** The message key of its pattern. */
        public String key() {
            return key;
        }
    }
}
