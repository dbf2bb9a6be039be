package dev.addernet.train;

import dev.addernet.data.source.Datasets;
import dev.addernet.data.DatasetSplits;
import dev.addernet.data.DataException;
import dev.addernet.data.LabelledImages;
import dev.addernet.data.transform.SampleTransform;
import dev.addernet.data.transform.Pad;
import dev.addernet.data.loading.Batch;
import dev.addernet.data.loading.BatchLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.addernet.dist.Ranks;
import dev.addernet.io.AtomicFiles;
import dev.addernet.io.FormatException;
import dev.addernet.io.Json;
import dev.addernet.kernel.Parallel;
import dev.addernet.method.Evaluator;
import dev.addernet.method.MethodContext;
import dev.addernet.method.MethodSettings;
import dev.addernet.method.ModelSaver;
import dev.addernet.method.TrainingMethod;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.models.WeightsFile;
import dev.addernet.nn.AdderLayers;
import dev.addernet.nn.Module;
import dev.addernet.optim.LrSchedule;
import dev.addernet.optim.Sgd;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop: epochs of {@link TrainingStep}s over shuffled batches, evaluation after each epoch,
 * and the run folder ({@link RunFolder}) kept up to date so that a crash loses at most the current epoch.
 * What is trained and how the loss is computed is the run's {@link TrainingMethod}; what is written after
 * each epoch beyond the kept weights and summary.json is up to the {@link TrainingListener}s attached.
 */
public final class Trainer {
    /** Runs after every optimiser step: {@code epoch} counts from 0, {@code step} from 0 to {@code steps - 1}. */
    interface StepHook {
        void afterStep(int epoch, int step, int steps, Module model);
    }

    /**
     * For tests only (null otherwise): lets them stop a run mid-epoch as a crash would, or damage the
     * weights at a chosen step, through the whole command line.
     */
    static volatile StepHook hook;

    private final TrainConfig cfg;
    private final RunFolder run;
    private final PrintStream out;
    private final List<TrainingListener> listeners;
    private final Ranks ranks;
    /** Rank 0 of a data-parallel run (or the one process of any other) writes the run folder and evaluates. */
    private final boolean lead;

    public Trainer(TrainConfig cfg, Path dir, PrintStream out, List<TrainingListener> listeners) {
        this(cfg, dir, out, listeners, Ranks.solo());
    }

    /**
     * A trainer that is one of {@code ranks} (a run with shards, {@link TrainConfig#shards}): every rank
     * takes the same steps; only rank 0 writes the run folder, evaluates and calls the listeners, while the
     * others read the checkpoint on resume and otherwise only train.
     */
    public Trainer(TrainConfig cfg, Path dir, PrintStream out, List<TrainingListener> listeners, Ranks ranks) {
        this.cfg = cfg;
        this.run = new RunFolder(dir);
        this.out = out;
        this.listeners = List.copyOf(listeners);
        this.ranks = ranks;
        this.lead = ranks.rank() == 0;
    }

    private static String dims(int[] chw) {
        return chw[0] + "x" + chw[1] + "x" + chw[2] + " (channels x height x width)";
    }

    /** Reads the configuration a run folder was started with (for {@code --resume}). */
    public static TrainConfig savedConfig(Path dir) throws IOException {
        Path file = new RunFolder(dir).config();
        if (!Files.exists(file)) throw new IllegalArgumentException("nothing to resume: " + file + " does not exist");
        return readConfig(file);
    }

    /** Reads a run's configuration from its config.json, checked as a new run's is. */
    public static TrainConfig readConfig(Path file) throws IOException {
        JsonNode root = Json.readTree(file);
        if (!(root.get("config") instanceof ObjectNode config)) throw new FormatException(file, "no 'config' object");
        if (!config.has("method")) config.set("method", MethodSettings.fromLegacyConfig(config));
        TrainConfig cfg;
        try {
            cfg = Json.configValue(config, TrainConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new FormatException(file, "'config' is not a training configuration: " + e.getMessage().lines().findFirst().orElse(""));
        }
        try {
            cfg.validate();
        } catch (IllegalArgumentException | DataException e) {
            throw new FormatException(file, "'config' holds a setting no run can use: " + e.getMessage());
        }
        return cfg;
    }

    /**
     * Trains (or continues training, with resume) and returns the summary written to summary.json.
     *
     * @param stopAfter stop after this many epochs in this call (0: train to the end); the checkpoint
     *                  lets a later {@code --resume} continue exactly where it stopped
     */
    public Map<String, Object> run(boolean resume, int stopAfter, Map<String, Object> provenance) throws IOException {
        cfg.validate();
        String misfit = ShardedStep.misfit(ranks.size(), cfg.shards());
        if (misfit != null) throw new IllegalArgumentException(misfit);
        Parallel.setThreads(cfg.threads());
        if (!resume && Files.exists(run.checkpoint())) {
            throw new IllegalArgumentException(run.dir() + " already holds a run: add --resume to continue it, or choose another --out");
        }
        if (lead && resume && Files.isDirectory(run.dir())) {
            // A kill between writing a file's temporary copy and renaming it leaves the copy behind.
            List<String> removed = AtomicFiles.removeLeftovers(run.dir());
            if (!removed.isEmpty()) out.println("removed " + removed.size() + " temporary file(s) of an interrupted write: " + removed);
        }
        DatasetSplits data = Datasets.resolve(cfg.dataset(), cfg.dataDir() == null ? null : Path.of(cfg.dataDir()));
        LabelledImages train = sample(data.trainImages(), cfg.limitTrain());
        LabelledImages test = sample(data.testImages(), cfg.limitTest());
        LabelledImages val = null;
        if (cfg.valSplit() > 0) {
            LabelledImages[] parts = train.split(cfg.valSplit(), cfg.seed());
            if (parts[1].size() == 0 || parts[0].size() == 0) {
                throw new IllegalArgumentException(String.format("--val-split %s holds out %d of the %d training images: expected a"
                        + " fraction that holds out at least 1 and leaves at least 1 to train on", cfg.valSplit(), parts[1].size(), train.size()));
            }
            train = parts[0];
            val = parts[1];
        }
        if (train.size() == 0 || test.size() == 0) {
            throw new DataException(cfg.dataset() + ": the " + (train.size() == 0 ? "training" : "test") + " set has no images"
                    + (cfg.dataDir() == null ? "" : " in " + cfg.dataDir()) + ", expected at least 1");
        }
        // what the network sees: the evaluation transform's output (224 for ImageNet, else the image size)
        int[] shape = BatchLoader.outputShape(test, data.evalTransform());
        int[] trainShape = BatchLoader.outputShape(train, data.evalTransform());
        if (!Arrays.equals(shape, trainShape)) {
            throw new DataException(cfg.dataset() + (cfg.dataDir() == null ? "" : " in " + cfg.dataDir()) + ": the training images are "
                    + dims(trainShape) + " but the test images are " + dims(shape) + ", expected the same channels and size");
        }
        if (cfg.shards() > train.size()) {
            throw new IllegalArgumentException("--shards " + cfg.shards() + " is more than the " + train.size() + " training images: expected at most one shard per image");
        }
        int size = Models.inputSize(cfg.model(), shape[1]);
        // LeNet-5 zero-pads 28 -> 32 before the dataset's own transforms (identity for MNIST-like sets)
        SampleTransform pad = Pad.toSize(train, size > shape[1] ? size : 0);
        SampleTransform trainTransform = pad.andThen(data.trainTransform());
        SampleTransform evalTransform = pad.andThen(data.evalTransform());
        ModelConfig chosen = Models.config(cfg.model(), cfg.op(), shape[0], size, train.numClasses(), cfg.firstLast(), cfg.featureDim())
                .withHead(cfg.head());
        TrainingMethod method = cfg.method().create(new MethodContext(chosen, cfg.adderOptions(), cfg.epochs(), cfg.seed()));
        ModelConfig mc = method.networkConfig(chosen);
        Module model = Models.build(mc, cfg.seed());
        Sgd opt = new Sgd(method.parameterGroups(model), cfg.momentum(), cfg.nesterov(), cfg.weightDecay(), cfg.eta(), cfg.alr());
        LrSchedule schedule = LrSchedule.parse(cfg.schedule(), cfg.lr(), cfg.epochs());

        Checkpoint progress = new Checkpoint(0, Double.NEGATIVE_INFINITY, 0);
        List<EpochMetrics> history = new ArrayList<>();
        if (resume && Files.exists(run.checkpoint())) {
            progress = Checkpoint.restore(run.checkpoint(), model, method.state(), opt);
            if (lead) history.addAll(MetricsLog.read(run, progress.epochsDone()));
            out.printf("resuming %s after epoch %d of %d%n", run.dir(), progress.epochsDone(), cfg.epochs());
        } else if (lead) {
            if (resume) out.println("no checkpoint in " + run.dir() + " yet: starting from the first epoch");
            Files.createDirectories(run.dir());
            Json.writeConfig(run.config(), Map.of("config", cfg, "model", mc, "provenance", provenance));
        }
        if (lead) for (TrainingListener l : listeners) l.started(run, history);
        out.printf("%s %s on %s: %d train / %d test images%s, %,d parameters, %d threads%s%n", mc.model(), mc.op(), cfg.dataset(),
                train.size(), test.size(), val == null ? "" : " / " + val.size() + " validation", model.parameterCount(), Parallel.threads(),
                cfg.shards() == 0 ? "" : String.format(", %d shards per batch on %d rank%s", cfg.shards(), ranks.size(), ranks.size() == 1 ? "" : "s"));

        int end = stopAfter > 0 ? Math.min(cfg.epochs(), progress.epochsDone() + stopAfter) : cfg.epochs();
        AdderLayers.configure(model, cfg.adderOptions());
        method.advance(model, progress.epochsDone());
        TrainingStep step = new TrainingStep(model, method, opt);
        ShardedStep sharded = cfg.shards() == 0 ? null : new ShardedStep(model, method, opt, cfg.shards(), ranks);
        List<String> classNames = train.classNames();
        ModelSaver saver = (file, network, config) -> WeightsFile.save(file, network, config, cfg.dataset(), classNames,
                data.norm().mean(), data.norm().std());
        Evaluator evaluator = m -> {
            Evaluation e = Evaluation.of(m, test, data.norm(), evalTransform, 512, method::evaluationLoss);
            return new Evaluator.Score(e.accuracy(), e.loss());
        };
        for (int epoch = progress.epochsDone(); epoch < end; epoch++) {
            long t0 = System.nanoTime();
            EpochTotals totals = trainEpoch(model, method, step, sharded, schedule, train, data, trainTransform, epoch);
            double seconds = (System.nanoTime() - t0) / 1e9;
            // evaluate and save the network as the method leaves it at the end of the epoch, so that the weights
            // file reproduces exactly the test accuracy printed here
            method.advance(model, epoch + 1);
            if (ranks.size() > 1) ranks.requireSame(fingerprint(model, opt), "the weights after epoch " + (epoch + 1), (long) epoch << 32 | 0xFFFF_FFFFL);
            if (!lead) continue;
            ModelConfig reached = method.networkConfig(chosen);
            Double valAcc = val == null ? null : Evaluation.of(model, val, data.norm(), evalTransform, 512, method::evaluationLoss).accuracy();
            Evaluation testEval = Evaluation.of(model, test, data.norm(), evalTransform, 512, method::evaluationLoss);
            // A finite training loss does not prove finite weights (the last step's update comes after
            // it), and NaN weights written now would replace the last good checkpoint.
            String nonFinite = nonFinite(model, method, opt, testEval.loss());
            if (nonFinite != null) throw diverged(nonFinite + " after epoch " + (epoch + 1), epoch);
            Map<String, Double> values = totals.means();
            values.putAll(method.epochValues(evaluator));
            EpochMetrics m = new EpochMetrics(epoch + 1, totals.loss(), totals.accuracy(), valAcc, testEval.accuracy(), testEval.loss(),
                    totals.lr, seconds, train.size() / seconds, values);
            history.add(m);
            printEpoch(m);

            boolean best = val == null || valAcc > progress.bestVal();
            if (best) {
                saver.save(run.weights(), model, reached);
                method.saveBeside(run.dir(), saver);
                progress = new Checkpoint(epoch + 1, val == null ? m.testAcc() : valAcc, epoch + 1);
            } else {
                progress = new Checkpoint(epoch + 1, progress.bestVal(), progress.bestEpoch());
            }
            EpochEnd ended = new EpochEnd(run, List.copyOf(history), model, method, opt, progress);
            for (TrainingListener l : listeners) l.epochEnded(ended);
        }
        if (!lead) return Map.of("rank", ranks.rank());
        if (history.isEmpty()) throw new IllegalArgumentException(run.dir() + ": all " + cfg.epochs() + " epochs are already done");
        Map<String, Object> summary = summary(mc, method, history, progress, val != null);
        summary.put("complete", history.size() == cfg.epochs());
        Json.write(run.summary(), summary);
        return summary;
    }

    private void printEpoch(EpochMetrics m) {
        StringBuilder values = new StringBuilder();
        m.values().forEach((k, v) -> values.append(String.format("%s %.4g  ", k, v)));
        out.printf("epoch %d/%d  train loss %.4f acc %.2f%%  %stest acc %.2f%%  lr %.4g  %s%.1f s  %.0f img/s%n",
                m.epoch(), cfg.epochs(), m.trainLoss(), 100 * m.trainAcc(),
                m.valAcc() == null ? "" : String.format("val acc %.2f%%  ", 100 * m.valAcc()), 100 * m.testAcc(), m.lr(),
                values, m.seconds(), m.imagesPerSec());
    }

    /** What became NaN or infinite (a state tensor, a method's tensor, a momentum buffer or the test loss), or null. */
    private static String nonFinite(Module model, TrainingMethod method, Sgd opt, double testLoss) {
        for (var e : model.state().entrySet()) {
            if (!allFinite(e.getValue().data)) return "'" + e.getKey() + "' became NaN or infinite";
        }
        for (var e : method.state().entrySet()) {
            if (!allFinite(e.getValue().data)) return "the training method's '" + e.getKey() + "' became NaN or infinite";
        }
        for (var e : opt.velocity().entrySet()) {
            if (!allFinite(e.getValue())) return "the momentum of '" + e.getKey() + "' became NaN or infinite";
        }
        return Double.isFinite(testLoss) ? null : "the test loss became " + testLoss;
    }

    /** A hash of every float of the network's state and the optimiser's momentum, bit for bit. */
    private static long fingerprint(Module model, Sgd opt) {
        long h = 1;
        for (Tensor t : model.state().values()) for (float x : t.data) h = 31 * h + Float.floatToRawIntBits(x);
        for (float[] v : opt.velocity().values()) for (float x : v) h = 31 * h + Float.floatToRawIntBits(x);
        return h;
    }

    private static boolean allFinite(float[] a) {
        for (float x : a) if (!Float.isFinite(x)) return false;
        return true;
    }

    /** Training stopped in epoch index {@code epoch}: the checkpoint on disk is that of the epoch before. */
    private TrainingDiverged diverged(String what, int epoch) {
        return new TrainingDiverged(String.format("%s; %s (lower --lr, or check the data)", what, epoch == 0
                ? "no checkpoint was written yet" : "the last good checkpoint (epoch " + epoch + ") stays in " + run.checkpoint().getParent()));
    }

    /** Sums over an epoch's steps: loss and method values weighted by batch size, correct predictions, the last rate. */
    private static final class EpochTotals {
        double lossSum, lr;
        long correct, seen;
        final Map<String, Double> valueSums = new LinkedHashMap<>();

        void add(float loss, long correctCount, Map<String, Double> values, int count) {
            correct += correctCount;
            lossSum += (double) loss * count;
            values.forEach((k, v) -> valueSums.merge(k, v * count, Double::sum));
            seen += count;
        }

        double loss() {
            return lossSum / seen;
        }

        double accuracy() {
            return (double) correct / seen;
        }

        Map<String, Double> means() {
            Map<String, Double> m = new LinkedHashMap<>();
            valueSums.forEach((k, v) -> m.put(k, v / seen));
            return m;
        }
    }

    /** One epoch of steps: ordinary ones, or with {@code sharded} (not null) data-parallel ones. */
    private EpochTotals trainEpoch(Module model, TrainingMethod method, TrainingStep step, ShardedStep sharded, LrSchedule schedule,
                                   LabelledImages train, DatasetSplits data, SampleTransform transform, int epoch) {
        model.train(true);
        EpochTotals totals = new EpochTotals();
        // one progress bar per run, not per rank (a null resource is allowed and skipped)
        try (BatchLoader loader = new BatchLoader(train, cfg.batch(), true, cfg.seed(), epoch, data.norm(), transform, false);
             EpochProgress progress = !lead ? null : EpochProgress.start(String.format("epoch %d/%d", epoch + 1, cfg.epochs()), train.size())) {
            int steps = loader.batchesPerEpoch(), s = 0;
            for (Batch b : loader) {
                totals.lr = schedule.lr(epoch, s, steps);
                method.advance(model, epoch + (double) s / steps);
                float loss;
                boolean finite;
                if (sharded == null) {
                    Tensor x = new Tensor(b.images(), b.count(), b.channels(), b.height(), b.width());
                    TrainingStep.Result r = step.run(x, b.labels(), totals.lr);
                    loss = r.loss();
                    finite = r.finite();
                    if (finite) totals.add(loss, correctCount(r.logits(), b.labels()), r.values(), b.count());
                } else {
                    ShardedStep.Result r = sharded.run(b, totals.lr, (long) epoch << 32 | s);
                    loss = r.loss();
                    finite = r.finite();
                    if (finite) totals.add(loss, r.correct(), r.values(), b.count());
                }
                if (!finite) throw diverged(String.format("the loss became %s at epoch %d, step %d", loss, epoch + 1, s + 1), epoch);
                StepHook h = hook;
                if (h != null) h.afterStep(epoch, s, steps, model);
                s++;
                if (progress != null) progress.step(b.count(), totals.loss());
            }
        }
        return totals;
    }

    /**
     * A fixed random subset of n images (all when n <= 0), kept in the set's order. Random rather than the
     * first n: image folders are sorted by class, so their first images are all of one class.
     */
    public static LabelledImages sample(LabelledImages set, int n) {
        if (n <= 0 || n >= set.size()) return set;
        int[] order = new int[set.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Rng rng = new Rng(0x5EED);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] chosen = java.util.Arrays.copyOf(order, n);
        java.util.Arrays.sort(chosen);
        return set.subset(chosen);
    }

    static long correctCount(Tensor logits, int[] labels) {
        int n = logits.dim(0), c = logits.dim(1);
        long correct = 0;
        for (int i = 0; i < n; i++) {
            int arg = 0;
            for (int j = 1; j < c; j++) if (logits.data[i * c + j] > logits.data[i * c + arg]) arg = j;
            if (arg == labels[i]) correct++;
        }
        return correct;
    }

    private Map<String, Object> summary(ModelConfig mc, TrainingMethod method, List<EpochMetrics> h, Checkpoint progress, boolean hasVal) {
        Map<String, Object> s = new LinkedHashMap<>();
        EpochMetrics last = h.get(h.size() - 1);
        s.put("model", mc.model());
        s.put("op", mc.op());
        s.put("dataset", cfg.dataset());
        s.put("method", method.name());
        s.put("epochs", h.size());
        s.put("final_test_acc", last.testAcc());
        s.put("best_test_acc", h.stream().mapToDouble(EpochMetrics::testAcc).max().orElse(Double.NaN));
        if (hasVal) {
            s.put("best_val_acc", progress.bestVal());
            s.put("selected_epoch", progress.bestEpoch());
            s.put("selected_test_acc", h.get(progress.bestEpoch() - 1).testAcc());
        }
        s.put("final_train_loss", last.trainLoss());
        s.put("seconds", h.stream().mapToDouble(EpochMetrics::seconds).sum());
        s.put("mean_images_per_sec", h.stream().mapToDouble(EpochMetrics::imagesPerSec).average().orElse(Double.NaN));
        s.put("weights", run.weights().toString());
        s.putAll(method.summary(h.stream().map(EpochMetrics::values).toList()));
        return s;
    }
}
