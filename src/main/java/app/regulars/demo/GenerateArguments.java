package app.regulars.demo;

import java.util.List;

/** The arguments of {@code ./regulars generate}; {@link #parse} refuses anything else with a usage line. */
record GenerateArguments(int customers, long purchases, long seed) {

    static final String USAGE = "usage: ./regulars generate --customers N --purchases M [--seed S]";
    static final long DEFAULT_SEED = 42;
    /** Phone numbers are unique per customer up to 10^8 (eight free digits after the prefix). */
    static final int MAX_CUSTOMERS = 100_000_000;

    static GenerateArguments parse(List<String> args) {
        Integer customers = null;
        Long purchases = null;
        long seed = DEFAULT_SEED;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            }
            switch (name) {
                case "--customers" -> customers = (int) number(name, value, 1, MAX_CUSTOMERS);
                case "--purchases" -> purchases = number(name, value, 0, Long.MAX_VALUE);
                case "--seed" -> seed = number(name, value, Long.MIN_VALUE, Long.MAX_VALUE);
                default -> throw new IllegalArgumentException("unknown argument '" + arg + "'\n" + USAGE);
            }
        }
        if (customers == null || purchases == null) {
            throw new IllegalArgumentException("--customers and --purchases are required\n" + USAGE);
        }
        return new GenerateArguments(customers, purchases, seed);
    }

    private static long number(String name, String value, long min, long max) {
        if (value == null) {
            throw new IllegalArgumentException(name + " needs a number\n" + USAGE);
        }
        try {
            long n = Long.parseLong(value.replace("_", ""));
            if (n < min || n > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + "\n" + USAGE);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'\n" + USAGE, e);
        }
    }
}
