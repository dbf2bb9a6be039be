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

    /** A finite number from min to max, each included or not. */
    abstract static class Reals implements ITypeConverter<Double>, Ranged {
        private final double min, max;
        private final boolean minIncluded, maxIncluded;

        Reals(double min, boolean minIncluded, double max) {
            this(min, minIncluded, max, true);
        }

        Reals(double min, boolean minIncluded, double max, boolean maxIncluded) {
            this.min = min;
            this.minIncluded = minIncluded;
            this.max = max;
            this.maxIncluded = maxIncluded;
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
            if (Double.isNaN(v) || Double.isInfinite(v) || (minIncluded ? v < min : v <= min) || (maxIncluded ? v > max : v >= max)) {
                throw new TypeConversionException("got " + value + ", expected a finite number " + text());
            }
            return v;
        }

        @Override
        public String text() {
            String low = (minIncluded ? "at least " : "above ") + format(min);
            return max == Double.MAX_VALUE ? low : low + (maxIncluded ? " and at most " : " and below ") + format(max);
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

    static final class PositiveReal extends Reals {
        PositiveReal() { super(0, false, Double.MAX_VALUE); }
    }

    static final class NonNegativeReal extends Reals {
        NonNegativeReal() { super(0, true, Double.MAX_VALUE); }
    }

    /** A fraction that leaves something: [0, 1). */
    static final class Fraction extends Reals {
        Fraction() { super(0, true, 1, false); }
    }

    /** SGD momentum: 1 or more would make the steps grow without end. */
    static final class Momentum extends Reals {
        Momentum() { super(0, true, 1, false); }
    }

    /** An Lp-AdderNet's p (Universal AdderNets: from 2 down to 1). */
    static final class LpP extends Reals {
        LpP() { super(1, true, 2); }
    }

    /** A seed: any 64-bit integer. */
    static final class Seed implements ITypeConverter<Long>, Ranged {
        @Override
        public Long convert(String value) {
            try {
                return Long.parseLong(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not " + text());
            }
        }

        @Override
        public String text() {
            return "any 64-bit integer";
        }
    }
}
