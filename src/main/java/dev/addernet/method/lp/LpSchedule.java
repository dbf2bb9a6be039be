package dev.addernet.method.lp;

/**
 * The Lp-AdderNet's training scheme (Universal AdderNets Sec. 4.2 and Algorithm 1): the adder layers
 * compute -sum |X - W|^p with p decreased linearly from {@code start} to {@code end} over the first
 * {@code epochs} epochs of training, updated every step (Algorithm 1, line 8), then kept at {@code end}
 * (the paper: from 2 to 1 over 600 of 800 epochs, then plain L1). start = end = 2 is the L2-AdderNet.
 *
 * @param clip whether the input gradient of Eq. 27 is HardTanh-clipped (default true: as the L1
 *             AdderNet's HardTanh gradient, and it keeps |gradient| <= 1 while p is near 2, where Eq. 27
 *             is unbounded)
 */
public record LpSchedule(double start, double end, double epochs, boolean clip) {
    public LpSchedule {
        if (start < 1 || start > 2 || end < 1 || end > 2) {
            throw new IllegalArgumentException("--lp-start and --lp-end must be in [1, 2], got " + start + " and " + end);
        }
        if (epochs < 0) throw new IllegalArgumentException("--lp-epochs must be >= 0, got " + epochs);
    }

    /** p after {@code progress} epochs of training (fractional: epoch + step / stepsPerEpoch). */
    public double p(double progress) {
        if (epochs == 0 || progress >= epochs) return end;
        return start + (end - start) * progress / epochs;
    }
}
