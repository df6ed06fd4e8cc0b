package app.regulars.insights.rule;

/** What a value in a rule is: every comparison needs both sides of one type. */
public enum Type {
    NUMBER("number"), TEXT("text"), DATE("date"), BOOLEAN("boolean");

    private final String word;

    Type(String word) {
        this.word = word;
    }

    /** The type as error messages and the console name it. */
    public String word() {
        return word;
    }
}
