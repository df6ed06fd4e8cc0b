package app.regulars.console;

import app.regulars.insights.RuleProblem;
import app.regulars.insights.rule.RuleMessage;
import app.regulars.platform.ApiProblem;
import app.regulars.platform.ApiProblem.FieldError;
import app.regulars.platform.RefusalCodes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Refusals as the console shows them: in the reader's language through their code (a message key of
 * the module that refused, {@code customers.refused.*}, {@code coupons.refused.*} …), in the English
 * the API gives when a refusal has no code. A rule's problems are coded too, by {@link RuleMessage}.
 */
@Component
class Reasons {

    private final MessageSource messages;

    Reasons(MessageSource messages) {
        this.messages = messages;
    }

    String of(FieldError error, Locale locale) {
        if (error.code() == null) {
            return error.reason();
        }
        Object[] args = error.argument() == null ? null : new Object[] {error.argument()};
        return messages.getMessage(error.code(), args, error.reason(), locale);
    }

    /** A rule's problem in the reader's language, from the insights messages its code names. */
    String of(RuleMessage message, Locale locale) {
        // Without arguments the message source gives the pattern as written; the message formats it itself.
        return message.in(key -> messages.getMessage(key, null, locale));
    }

    /**
     * Why a saved rule cannot be evaluated now, in the reader's language: what today's check finds, else
     * what the last evaluation recorded; in English only when that was recorded before it had a code.
     */
    String of(RuleProblem problem, Locale locale) {
        return problem.message().map(m -> of(m, locale)).orElse(problem.recordedEnglish());
    }

    /** The first reason of a problem, or its message when it names no field. */
    String first(ApiProblem problem, Locale locale) {
        return problem.errors().isEmpty() ? problem.getMessage() : of(problem.errors().getFirst(), locale);
    }

    /**
     * The first reason a tag or segment was refused. Not finding it names no field (the API says "segment
     * 12 not found"); on a page that showed it, it was deleted meanwhile (in another tab, by someone else),
     * and that is said in the reader's language.
     */
    String firstOrGone(ApiProblem problem, Locale locale) {
        if (problem.errors().isEmpty() && problem.status() == HttpStatus.NOT_FOUND) {
            return messages.getMessage("segments.gone", null, locale);
        }
        return first(problem, locale);
    }

    /** The first reason per form field; {@code formField} says which field of the form an error names. */
    Map<String, String> byField(List<FieldError> errors, UnaryOperator<String> formField, Locale locale) {
        Map<String, String> out = new LinkedHashMap<>();
        errors.forEach(e -> out.putIfAbsent(formField.apply(e.field()), of(e, locale)));
        return out;
    }

    Map<String, String> byField(List<FieldError> errors, Locale locale) {
        return byField(errors, UnaryOperator.identity(), locale);
    }

    /** Where and why, "label：reason" (just the reason when there is no label). */
    String at(String label, String reason, Locale locale) {
        return label == null ? reason : messages.getMessage("console.at", new Object[] {label, reason}, locale);
    }

    /** Refusals coded by a full message key of any module ("coupons.refused.noSuchSegment"). */
    private static final RefusalCodes BY_KEY = new RefusalCodes("");
    /** Refusals the console makes itself (a form value it cannot read). */
    private static final RefusalCodes CONSOLE = new RefusalCodes("console.reason.");

    /** A refusal the console makes itself, by a message key. */
    static FieldError refused(String field, String key, String english) {
        return BY_KEY.of(field, key, english);
    }

    static FieldError notNumber(String field) {
        return CONSOLE.of(field, "notNumber", "not a number");
    }

    static FieldError notWholeNumber(String field) {
        return CONSOLE.of(field, "notWholeNumber", "not a whole number");
    }

    static FieldError notDate(String field) {
        return CONSOLE.of(field, "notDate", "not a date (yyyy-MM-dd)");
    }
}
