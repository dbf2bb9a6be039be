package dev.addernet.train;

import dev.addernet.nn.Op;

/**
 * Everything that defines a training run; written to {@code config.json} and read back by
 * {@code --resume}, so a run continues with exactly the settings it started with. {@code featureDim}:
 * LeNet++'s feature-layer width, 0 for the default (as in {@link dev.addernet.models.ModelConfig}).
 */
public record TrainConfig(
        String model, String op, Boolean firstLast, String dataset, String dataDir,
        int epochs, int batch, double lr, String schedule, String optimizer, double momentum,
        double weightDecay, double eta, boolean alr, long seed, int threads, double valSplit,
        int limitTrain, int limitTest, Double lpStart, Double lpEnd, Double lpEpochs, Boolean lpClip, String adderGrad,
        int featureDim) {

    /** The adder layers' options at p = 1: the input-gradient clip and the weight gradient (Eq. 23 or 22). */
    public dev.addernet.kernel.AdderOptions adderOptions() {
        return new dev.addernet.kernel.AdderOptions(1f, lpClip == null || lpClip, "sign".equals(adderGrad));
    }

    /** The Lp-AdderNet schedule, or null for plain L1 adder layers. */
    public dev.addernet.method.lp.LpSchedule lpSchedule() {
        if (lpStart == null && lpEnd == null && lpEpochs == null) return null;
        return new dev.addernet.method.lp.LpSchedule(lpStart == null ? 2 : lpStart, lpEnd == null ? 1 : lpEnd,
                lpEpochs == null ? epochs : lpEpochs, lpClip == null || lpClip);
    }

    /** The same run reading its data from another folder (the data moved between start and --resume). */
    public TrainConfig withDataDir(String dir) {
        return new TrainConfig(model, op, firstLast, dataset, dir, epochs, batch, lr, schedule, optimizer, momentum, weightDecay, eta,
                alr, seed, threads, valSplit, limitTrain, limitTest, lpStart, lpEnd, lpEpochs, lpClip, adderGrad, featureDim);
    }

    public boolean nesterov() {
        return optimizer.equals("nesterov");
    }

    public void validate() {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (!(lr > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + lr);
        if (!optimizer.equals("sgd") && !optimizer.equals("nesterov")) {
            throw new IllegalArgumentException("--optimizer must be sgd or nesterov, got '" + optimizer + "'");
        }
        if (valSplit < 0 || valSplit >= 1) throw new IllegalArgumentException("--val-split must be in [0, 1), got " + valSplit);
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        if (featureDim < 0) throw new IllegalArgumentException("--feature-dim must be at least 1, got " + featureDim);
        if (featureDim > 0 && !model.equals("lenetpp")) throw new IllegalArgumentException("--feature-dim applies to lenetpp only, not " + model);
        if (adderGrad != null && !adderGrad.equals("full") && !adderGrad.equals("sign")) {
            throw new IllegalArgumentException("--adder-grad must be full or sign, got '" + adderGrad + "'");
        }
        // conv and binary layers would ignore these silently; a recipe only fills them in for adder runs
        String adderOnly = lpStart != null ? "--lp-start" : lpEnd != null ? "--lp-end" : lpEpochs != null ? "--lp-epochs"
                : lpClip != null ? "--lp-grad" : adderGrad != null ? "--adder-grad" : null;
        if (adderOnly != null && Op.parse(op) != Op.ADDER) throw adderOnly(adderOnly, op);
    }

    /** The error for an option of adder layers given to a network without any. */
    public static IllegalArgumentException adderOnly(String option, String op) {
        return new IllegalArgumentException(option + " applies to adder layers only, not --op " + op);
    }
}
