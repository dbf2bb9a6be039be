package dev.addernet.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.addernet.analysis.Plots;
import dev.addernet.autograd.CrossEntropy;
import dev.addernet.autograd.Tape;
import dev.addernet.data.Batch;
import dev.addernet.data.BatchLoader;
import dev.addernet.data.DatasetSplits;
import dev.addernet.data.Datasets;
import dev.addernet.data.LabelledImages;
import dev.addernet.data.Pad;
import dev.addernet.data.SampleTransform;
import dev.addernet.io.AtomicFiles;
import dev.addernet.io.Json;
import dev.addernet.kernel.Parallel;
import dev.addernet.kernel.AdderOptions;
import dev.addernet.method.lp.LpSchedule;
import dev.addernet.nn.AdderLayers;
import dev.addernet.models.ModelConfig;
import dev.addernet.models.Models;
import dev.addernet.models.WeightsFile;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The training loop: epochs of SGD over shuffled batches, evaluation after each epoch, and the run
 * folder ({@link RunFolder}) kept up to date so that a crash loses at most the current epoch.
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

    public Trainer(TrainConfig cfg, Path dir, PrintStream out) {
        this.cfg = cfg;
        this.run = new RunFolder(dir);
        this.out = out;
    }

    /** Reads the configuration a run folder was started with (for {@code --resume}). */
    public static TrainConfig savedConfig(Path dir) throws IOException {
        Path file = new RunFolder(dir).config();
        if (!Files.exists(file)) throw new IllegalArgumentException("nothing to resume: " + file + " does not exist");
        JsonNode root = Json.readTree(file);
        return Json.mapper().treeToValue(root.get("config"), TrainConfig.class);
    }

    /**
     * Trains (or continues training, with resume) and returns the summary written to summary.json.
     *
     * @param stopAfter stop after this many epochs in this call (0: train to the end); the checkpoint
     *                  lets a later {@code --resume} continue exactly where it stopped
     */
    public Map<String, Object> run(boolean resume, int stopAfter, Map<String, Object> provenance) throws IOException {
        cfg.validate();
        Parallel.setThreads(cfg.threads());
        if (!resume && Files.exists(run.checkpoint())) {
            throw new IllegalArgumentException(run.dir() + " already holds a run: add --resume to continue it, or choose another --out");
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
        // what the network sees: the evaluation transform's output (224 for ImageNet, else the image size)
        int[] shape = BatchLoader.outputShape(test, data.evalTransform());
        int size = Models.inputSize(cfg.model(), shape[1]);
        // LeNet-5 zero-pads 28 -> 32 before the dataset's own transforms (identity for MNIST-like sets)
        SampleTransform pad = Pad.toSize(train, size > shape[1] ? size : 0);
        SampleTransform trainTransform = pad.andThen(data.trainTransform());
        SampleTransform evalTransform = pad.andThen(data.evalTransform());
        LpSchedule lp = cfg.lpSchedule();
        ModelConfig mc = Models.config(cfg.model(), cfg.op(), shape[0], size, train.numClasses(), cfg.firstLast(), cfg.featureDim())
                .withP(lp == null ? 1 : (float) lp.p(0));
        Module model = Models.build(mc, cfg.seed());
        Sgd opt = new Sgd(model.parameters(), cfg.momentum(), cfg.nesterov(), cfg.weightDecay(), cfg.eta(), cfg.alr());
        LrSchedule schedule = LrSchedule.parse(cfg.schedule(), cfg.lr(), cfg.epochs());

        Checkpoint progress = new Checkpoint(0, Double.NEGATIVE_INFINITY, 0);
        List<EpochMetrics> history = new ArrayList<>();
        if (resume && Files.exists(run.checkpoint())) {
            progress = Checkpoint.restore(run.checkpoint(), model, opt);
            history.addAll(readMetrics(progress.epochsDone()));
            out.printf("resuming %s after epoch %d of %d%n", run.dir(), progress.epochsDone(), cfg.epochs());
        } else {
            if (resume) out.println("no checkpoint in " + run.dir() + " yet: starting from the first epoch");
            Files.createDirectories(run.dir());
            Json.write(run.config(), Map.of("config", cfg, "model", mc, "provenance", provenance));
        }
        rewriteMetrics(history);
        out.printf("%s %s on %s: %d train / %d test images%s, %,d parameters, %d threads%n", mc.model(), mc.op(), cfg.dataset(),
                train.size(), test.size(), val == null ? "" : " / " + val.size() + " validation", model.parameterCount(), Parallel.threads());

        int end = stopAfter > 0 ? Math.min(cfg.epochs(), progress.epochsDone() + stopAfter) : cfg.epochs();
        AdderLayers.configure(model, lp == null ? cfg.adderOptions()
                : cfg.adderOptions().withP((float) lp.p(progress.epochsDone())));
        for (int epoch = progress.epochsDone(); epoch < end; epoch++) {
            long t0 = System.nanoTime();
            double[] stats = trainEpoch(model, opt, schedule, train, data, trainTransform, epoch);
            double seconds = (System.nanoTime() - t0) / 1e9;
            // evaluate and save at the p reached at the end of the epoch (where the next one starts): the weights
            // file then holds the p that reproduces exactly the test accuracy printed here
            ModelConfig reached = lp == null ? mc : mc.withP((float) lp.p(epoch + 1));
            AdderLayers.configure(model, cfg.adderOptions().withP(reached.p()));
            Double valAcc = val == null ? null : Evaluation.of(model, val, data.norm(), evalTransform, 512).accuracy();
            Evaluation testEval = Evaluation.of(model, test, data.norm(), evalTransform, 512);
            // A finite training loss does not prove finite weights (the last step's update comes after
            // it), and NaN weights written now would replace the last good checkpoint.
            String nonFinite = nonFinite(model, opt, testEval.loss());
            if (nonFinite != null) throw diverged(nonFinite + " after epoch " + (epoch + 1), epoch);
            EpochMetrics m = new EpochMetrics(epoch + 1, stats[0], stats[1], valAcc, testEval.accuracy(), testEval.loss(),
                    stats[2], seconds, train.size() / seconds, lp == null ? null : lp.p(epoch + 1));
            history.add(m);
            out.printf("epoch %d/%d  train loss %.4f acc %.2f%%  %stest acc %.2f%%  lr %.4g  %s%.1f s  %.0f img/s%n",
                    m.epoch(), cfg.epochs(), m.trainLoss(), 100 * m.trainAcc(),
                    valAcc == null ? "" : String.format("val acc %.2f%%  ", 100 * valAcc), 100 * m.testAcc(), m.lr(),
                    m.p() == null ? "" : String.format("p %.3f  ", m.p()), seconds, m.imagesPerSec());

            boolean best = val == null || valAcc > progress.bestVal();
            if (best) {
                WeightsFile.save(run.weights(), model, reached, cfg.dataset(), train.classNames(), data.norm().mean(), data.norm().std());
                progress = new Checkpoint(epoch + 1, val == null ? m.testAcc() : valAcc, epoch + 1);
            } else {
                progress = new Checkpoint(epoch + 1, progress.bestVal(), progress.bestEpoch());
            }
            rewriteMetrics(history);
            progress.save(run.checkpoint(), model, opt);
            plot(history);
        }
        if (history.isEmpty()) throw new IllegalArgumentException(run.dir() + ": all " + cfg.epochs() + " epochs are already done");
        Map<String, Object> summary = summary(mc, history, progress, val != null);
        summary.put("complete", history.size() == cfg.epochs());
        Json.write(run.summary(), summary);
        return summary;
    }

    /** What became NaN or infinite (a state tensor, a momentum buffer or the test loss), or null. */
    private static String nonFinite(Module model, Sgd opt, double testLoss) {
        for (var e : model.state().entrySet()) {
            if (!allFinite(e.getValue().data)) return "'" + e.getKey() + "' became NaN or infinite";
        }
        for (var e : opt.velocity().entrySet()) {
            if (!allFinite(e.getValue())) return "the momentum of '" + e.getKey() + "' became NaN or infinite";
        }
        return Double.isFinite(testLoss) ? null : "the test loss became " + testLoss;
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

    /** One epoch of SGD; returns {mean loss, accuracy, last learning rate}. */
    private double[] trainEpoch(Module model, Sgd opt, LrSchedule schedule, LabelledImages train, DatasetSplits data, SampleTransform transform,
                                int epoch) {
        model.train(true);
        LpSchedule lp = cfg.lpSchedule();
        AdderOptions adderOptions = cfg.adderOptions();
        double lossSum = 0, lr = 0;
        long correct = 0, seen = 0;
        try (BatchLoader loader = new BatchLoader(train, cfg.batch(), true, cfg.seed(), epoch, data.norm(), transform, false);
             ProgressBar bar = new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch + 1, cfg.epochs()))
                     .setInitialMax(train.size()).setUnit(" img", 1).showSpeed().setStyle(ProgressBarStyle.ASCII)
                     .setUpdateIntervalMillis(500).continuousUpdate().build()) {
            int steps = loader.batchesPerEpoch(), step = 0;
            for (Batch b : loader) {
                lr = schedule.lr(epoch, step, steps);
                if (lp != null) {
                    double p = lp.p(epoch + (double) step / steps); // Algorithm 1: p decreases every step
                    AdderLayers.configure(model, adderOptions.withP((float) p));
                }
                Tensor x = new Tensor(b.images(), b.count(), b.channels(), b.height(), b.width());
                Tensor logits;
                float loss;
                try (Tape tape = Tape.open()) {
                    logits = model.forward(x);
                    Tensor l = CrossEntropy.forward(logits, b.labels());
                    loss = l.item();
                    if (!Float.isFinite(loss)) throw diverged(String.format("the loss became %s at epoch %d, step %d", loss, epoch + 1, step + 1), epoch);
                    tape.backward(l);
                }
                opt.step(lr);
                StepHook h = hook;
                if (h != null) h.afterStep(epoch, step, steps, model);
                correct += correctCount(logits, b.labels());
                lossSum += (double) loss * b.count();
                seen += b.count();
                step++;
                bar.stepBy(b.count());
                bar.setExtraMessage(String.format(" loss %.4f", lossSum / seen));
            }
        }
        return new double[] {lossSum / seen, (double) correct / seen, lr};
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

    private List<EpochMetrics> readMetrics(int epochs) throws IOException {
        List<EpochMetrics> list = new ArrayList<>();
        if (!Files.exists(run.metrics())) return list;
        for (String line : Files.readAllLines(run.metrics())) {
            if (line.isBlank()) continue;
            EpochMetrics m = Json.mapper().readValue(line, EpochMetrics.class);
            if (m.epoch() <= epochs) list.add(m);
        }
        return list;
    }

    /** metrics.jsonl holds exactly the finished epochs (on resume, later lines of a lost epoch are dropped). */
    private void rewriteMetrics(List<EpochMetrics> history) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (EpochMetrics m : history) sb.append(Json.toJson(m)).append('\n');
        AtomicFiles.writeString(run.metrics(), sb.toString());
    }

    private void plot(List<EpochMetrics> h) throws IOException {
        double[] epochs = h.stream().mapToDouble(EpochMetrics::epoch).toArray();
        Map<String, double[]> loss = new LinkedHashMap<>(), acc = new LinkedHashMap<>();
        loss.put("train", h.stream().mapToDouble(EpochMetrics::trainLoss).toArray());
        loss.put("test", h.stream().mapToDouble(EpochMetrics::testLoss).toArray());
        acc.put("train", h.stream().mapToDouble(EpochMetrics::trainAcc).toArray());
        if (h.stream().allMatch(m -> m.valAcc() != null)) acc.put("validation", h.stream().mapToDouble(EpochMetrics::valAcc).toArray());
        acc.put("test", h.stream().mapToDouble(EpochMetrics::testAcc).toArray());
        Plots.curves(run.curves(), epochs, loss, acc);
    }

    private Map<String, Object> summary(ModelConfig mc, List<EpochMetrics> h, Checkpoint progress, boolean hasVal) {
        Map<String, Object> s = new LinkedHashMap<>();
        EpochMetrics last = h.get(h.size() - 1);
        s.put("model", mc.model());
        s.put("op", mc.op());
        s.put("dataset", cfg.dataset());
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
        return s;
    }
}
