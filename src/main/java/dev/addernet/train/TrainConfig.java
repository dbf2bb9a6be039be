package dev.addernet.train;

/**
 * Everything that defines a training run; written to {@code config.json} and read back by
 * {@code --resume}, so a run continues with exactly the settings it started with.
 */
public record TrainConfig(
        String model, String op, Boolean firstLast, String dataset, String dataDir,
        int epochs, int batch, double lr, String schedule, String optimizer, double momentum,
        double weightDecay, double eta, boolean alr, long seed, int threads, double valSplit,
        int limitTrain, int limitTest, Double lpStart, Double lpEnd, Double lpEpochs, Boolean lpClip, String adderGrad) {

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
                alr, seed, threads, valSplit, limitTrain, limitTest, lpStart, lpEnd, lpEpochs, lpClip, adderGrad);
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
        if (adderGrad != null && !adderGrad.equals("full") && !adderGrad.equals("sign")) {
            throw new IllegalArgumentException("--adder-grad must be full or sign, got '" + adderGrad + "'");
        }
    }
}
