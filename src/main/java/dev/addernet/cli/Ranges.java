package dev.addernet.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Range-checked numeric options: each range is a picocli converter, named by the option's
 * {@code converter = ...}, so a value outside it is refused while the command line is parsed, before any
 * work starts, in one line: {@code error: Invalid value for option '--top': got 0, expected an integer
 * at least 1}. Each option's description states the same range ({@link #text}); a test holds every numeric
 * option of every command to that.
 */
final class Ranges {
    private Ranges() {}

    /** A converter that states its range. */
    interface Ranged {
        /** The range as the option's help text says it, e.g. {@code at least 1}. */
        String text();
    }

    /** An integer in [min, max]. */
    abstract static class Ints implements ITypeConverter<Integer>, Ranged {
        private final int min, max;

        Ints(int min, int max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public Integer convert(String value) {
            long v;
            try {
                v = Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not an integer, expected one " + text());
            }
            if (v < min || v > max) throw new TypeConversionException("got " + value + ", expected an integer " + text());
            return (int) v;
        }

        @Override
        public String text() {
            return max == Integer.MAX_VALUE ? "at least " + min : "from " + min + " to " + max;
        }
    }

    /** A finite number from min (included or not) up to max (included). */
    abstract static class Reals implements ITypeConverter<Double>, Ranged {
        private final double min, max;
        private final boolean minIncluded;

        Reals(double min, boolean minIncluded, double max) {
            this.min = min;
            this.minIncluded = minIncluded;
            this.max = max;
        }

        @Override
        public Double convert(String value) {
            double v;
            try {
                v = Double.parseDouble(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number, expected one " + text());
            }
            // NaN fails every comparison, so it is named: it would otherwise slip through a check written the other way.
            if (Double.isNaN(v) || Double.isInfinite(v) || (minIncluded ? v < min : v <= min) || v > max) {
                throw new TypeConversionException("got " + value + ", expected a finite number " + text());
            }
            return v;
        }

        @Override
        public String text() {
            String low = (minIncluded ? "at least " : "above ") + format(min);
            return max == Double.MAX_VALUE ? low : low + " and at most " + format(max);
        }

        private static String format(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }

    static final class Positive extends Ints {
        Positive() { super(1, Integer.MAX_VALUE); }
    }

    static final class NonNegative extends Ints {
        NonNegative() { super(0, Integer.MAX_VALUE); }
    }

    /** Worker threads: more than a few thousand would only exhaust the machine. */
    static final class Threads extends Ints {
        Threads() { super(1, 4096); }
    }

    /** Classes of a classifier: ImageNet-21k has 21,841; a bound keeps a typo from building a giant last layer. */
    static final class Classes extends Ints {
        Classes() { super(1, 100_000); }
    }

    /** LeNet++'s feature width. */
    static final class FeatureDim extends Ints {
        FeatureDim() { super(1, 65_536); }
    }

    /** Pixels of one picture: three bytes each must fit in one Java array. */
    static final class Pixels extends Ints {
        Pixels() { super(1, (Integer.MAX_VALUE - 16) / 3); }
    }

    static final class PositiveSeconds extends Reals {
        PositiveSeconds() { super(0, false, 3600); }
    }
}
