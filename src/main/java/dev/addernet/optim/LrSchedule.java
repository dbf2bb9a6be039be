package dev.addernet.optim;

/**
 * A learning rate as a function of training progress. {@code epoch} counts from 0 and {@code step}
 * is the step within the epoch, so a resumed run gets exactly the rates of an uninterrupted one.
 */
public interface LrSchedule {
    double lr(int epoch, int step, int stepsPerEpoch);

    /** Names accepted on the command line. */
    String NAMES = "cosine, cosine-epoch, step, poly, constant";

    static LrSchedule constant(double base) {
        return (e, s, n) -> base;
    }

    /** base * (1 + cos(pi * t)) / 2 with t the fraction of all steps done: updated every step. */
    static LrSchedule cosinePerStep(double base, int epochs) {
        return (e, s, n) -> base * 0.5 * (1 + Math.cos(Math.PI * (e * (double) n + s) / ((double) epochs * n)));
    }

    /** base * (1 + cos(pi * e / E)) / 2, constant within an epoch (the reference's CIFAR recipe). */
    static LrSchedule cosinePerEpoch(double base, int epochs) {
        return (e, s, n) -> base * 0.5 * (1 + Math.cos(Math.PI * e / epochs));
    }

    /** base * gamma^floor(e / every). */
    static LrSchedule step(double base, int every, double gamma) {
        return (e, s, n) -> base * Math.pow(gamma, e / every);
    }

    /** base * (1 - t)^power with t the fraction of all steps done. */
    static LrSchedule polynomial(double base, int epochs, double power) {
        return (e, s, n) -> base * Math.pow(1 - (e * (double) n + s) / ((double) epochs * n), power);
    }

    static LrSchedule parse(String name, double base, int epochs) {
        return switch (name) {
            case "cosine" -> cosinePerStep(base, epochs);
            case "cosine-epoch" -> cosinePerEpoch(base, epochs);
            case "step" -> step(base, Math.max(1, epochs / 3), 0.1);
            case "poly" -> polynomial(base, epochs, 0.9);
            case "constant" -> constant(base);
            default -> throw new IllegalArgumentException("unknown schedule '" + name + "': expected " + NAMES);
        };
    }
}
