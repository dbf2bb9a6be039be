package dev.addernet.kernel;

/**
 * How an adder layer computes and differentiates (Universal AdderNets Sec. 4):
 *
 * @param p                  the norm of the distance, Y = -sum |X - W|^p, 1 <= p <= 2 (Eq. 26); 1 is AdderNet
 * @param clipInputGradient  whether the input gradient sgn(W - X)|W - X|^(p-1) (Eq. 27) is HardTanh-clipped
 *                           to [-1, 1]; at p = 1 the gradient is HardTanh(W - X) either way
 * @param signWeightGradient the ablation's sign gradient sgn(X - W) (Eq. 22) instead of the
 *                           full-precision X - W (Eq. 23, the default)
 */
public record AdderOptions(float p, boolean clipInputGradient, boolean signWeightGradient) {
    /** AdderNet as the reference implements it. */
    public static final AdderOptions DEFAULT = new AdderOptions(1f, true, false);

    public AdderOptions {
        if (!(p >= 1f && p <= 2f)) throw new IllegalArgumentException("p must be in [1, 2], got " + p);
    }

    public AdderOptions withP(float newP) {
        return new AdderOptions(newP, clipInputGradient, signWeightGradient);
    }

    /** The distance for layer descriptions: empty for AdderNet's L1, else e.g. {@code ", L2"} or {@code ", L1.667"}. */
    public String describeDistance() {
        return p == 1f ? "" : ", L" + String.format(java.util.Locale.ROOT, "%.3f", p).replaceAll("\\.?0+$", "");
    }
}
