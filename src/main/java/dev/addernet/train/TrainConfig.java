package dev.addernet.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.addernet.data.source.Datasets;
import dev.addernet.kernel.AdderOptions;
import dev.addernet.method.MethodSettings;
import dev.addernet.models.Models;
import dev.addernet.kernel.Op;
import dev.addernet.optim.LrSchedule;
import java.util.List;

/**
 * Everything that defines a training run; written to {@code config.json} and read back by
 * {@code --resume}, so a run continues with exactly the settings it started with. {@code featureDim}:
 * LeNet++'s feature-layer width, 0 for the default; {@code head}: the classifier head (null: the model's
 * own, as in {@link dev.addernet.models.ModelConfig}); {@code method}: the training method and its settings;
 * {@code shards}: 0 for ordinary training, else the number of shards every batch is cut into for
 * synchronous data-parallel training ({@link ShardedStep}), which fixes the results whatever the number
 * of ranks (left out of config.json when 0, so ordinary runs' files stay as they were).
 */
public record TrainConfig(
        String model, String op, Boolean firstLast, String dataset, String dataDir,
        int epochs, int batch, double lr, String schedule, String optimizer, double momentum,
        double weightDecay, double eta, boolean alr, long seed, int threads, double valSplit,
        int limitTrain, int limitTest, String adderGrad, int featureDim, String head, MethodSettings method,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int shards) {

    /** The adder layers' options outside any method: p = 1, HardTanh input gradient, weight gradient Eq. 23 or 22. */
    public AdderOptions adderOptions() {
        return new AdderOptions(1f, true, "sign".equals(adderGrad));
    }

    /** The same run reading its data from another folder (the data moved between start and --resume). */
    public TrainConfig withDataDir(String dir) {
        return new TrainConfig(model, op, firstLast, dataset, dir, epochs, batch, lr, schedule, optimizer, momentum, weightDecay, eta,
                alr, seed, threads, valSplit, limitTrain, limitTest, adderGrad, featureDim, head, method, shards);
    }

    /** The same run on another number of threads (a resumed run moved to another machine). */
    public TrainConfig withThreads(int n) {
        return new TrainConfig(model, op, firstLast, dataset, dataDir, epochs, batch, lr, schedule, optimizer, momentum, weightDecay, eta,
                alr, seed, n, valSplit, limitTrain, limitTest, adderGrad, featureDim, head, method, shards);
    }

    /** The same run trained by another method. */
    public TrainConfig withMethod(MethodSettings m) {
        return new TrainConfig(model, op, firstLast, dataset, dataDir, epochs, batch, lr, schedule, optimizer, momentum, weightDecay, eta,
                alr, seed, threads, valSplit, limitTrain, limitTest, adderGrad, featureDim, head, m, shards);
    }

    public boolean nesterov() {
        return optimizer.equals("nesterov");
    }

    /**
     * Refuses settings no run can use, naming the option; the command line checks each option's range as it
     * is parsed, and this checks again what a resumed run reads back from its config.json. Names come first,
     * so a typo never starts a download.
     */
    public void validate() {
        // A config.json may lack any of them; the command line always gives them.
        present("model", model);
        present("op", op);
        present("dataset", dataset);
        present("schedule", schedule);
        present("optimizer", optimizer);
        Models.requireKnown(model);
        Op.parse(op);
        Datasets.requireKnown(dataset);
        if (!List.of(LrSchedule.NAMES.split(", ")).contains(schedule)) {
            throw new IllegalArgumentException("--schedule must be one of " + LrSchedule.NAMES + ", got '" + schedule + "'");
        }
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("--lr must be a finite number > 0, got " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("--weight-decay must be a finite number >= 0, got " + weightDecay);
        }
        if (!(eta > 0) || Double.isInfinite(eta)) throw new IllegalArgumentException("--eta must be a finite number > 0, got " + eta);
        if (limitTrain < 0 || limitTest < 0) {
            throw new IllegalArgumentException("--limit-train and --limit-test must be >= 0, got " + limitTrain + " and " + limitTest);
        }
        if (!optimizer.equals("sgd") && !optimizer.equals("nesterov")) {
            throw new IllegalArgumentException("--optimizer must be sgd or nesterov, got '" + optimizer + "'");
        }
        if (!(valSplit >= 0 && valSplit < 1)) throw new IllegalArgumentException("--val-split must be in [0, 1), got " + valSplit);
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        if (featureDim < 0) throw new IllegalArgumentException("--feature-dim must be at least 1, got " + featureDim);
        if (featureDim > 0 && !model.equals("lenetpp")) throw new IllegalArgumentException("--feature-dim applies to lenetpp only, not " + model);
        if (adderGrad != null && !adderGrad.equals("full") && !adderGrad.equals("sign")) {
            throw new IllegalArgumentException("--adder-grad must be full or sign, got '" + adderGrad + "'");
        }
        // conv and binary layers would ignore it silently
        if (adderGrad != null && Op.parse(op) != Op.ADDER) throw adderOnly("--adder-grad", op);
        if (method == null) throw new IllegalArgumentException("no training method given");
        if (shards < 0) throw new IllegalArgumentException("--shards must be at least 1, got " + shards);
        if (shards > batch) throw new IllegalArgumentException("--shards must be at most --batch (" + batch + "), got " + shards);
        // a shard's gradient must not depend on how many threads computed it
        if (shards > 0 && threads != 1) {
            throw new IllegalArgumentException("--threads must be 1 with --data-parallel, got " + threads + ": each rank computes on one"
                    + " thread so that results do not depend on threads; run more ranks instead");
        }
    }

    private static void present(String key, String value) {
        if (value == null) throw new IllegalArgumentException("'" + key + "' is missing, expected a name");
    }

    /** The error for an option of adder layers given to a network without any. */
    public static IllegalArgumentException adderOnly(String option, String op) {
        return new IllegalArgumentException(option + " applies to adder layers only, not --op " + op);
    }
}
