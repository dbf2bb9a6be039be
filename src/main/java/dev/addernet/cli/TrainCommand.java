package dev.addernet.cli;

import dev.addernet.io.Json;
import dev.addernet.nn.Op;
import dev.addernet.train.Recipe;
import dev.addernet.train.TrainConfig;
import dev.addernet.train.Trainer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code addernet train}: defaults are the papers' MNIST recipe on LeNet-5-BN AdderNet and Fashion-MNIST. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a network and write its run folder (config, metrics, weights, checkpoint, curves).")
final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--recipe", description = "A paper's recipe for the defaults of the options below: mnist, cifar-reference, cifar-journal, imagenet-journal (default: by model).")
    String recipe;
    @Option(names = "--model", description = "Architecture: lenet5, lenetpp, vgg-small, resnet20, resnet32, resnet18, resnet50 (default: the recipe's, lenet5).")
    String model;
    @Option(names = "--op", defaultValue = "adder", description = "Filter op: adder, conv or binary (default ${DEFAULT-VALUE}).")
    String op;
    @Option(names = "--first-last", description = FirstLastOption.DESCRIPTION)
    String firstLast;
    @Option(names = "--feature-dim", description = "LeNet++ feature-layer width (the papers: 2 or 3; default 2).")
    Integer featureDim;
    @Option(names = "--dataset", description = "fashion-mnist, mnist, cifar10, cifar100, cifar100-coarse, cifar10-jpeg, imagefolder, imagenet (default: the recipe's).")
    String dataset;
    @Option(names = "--data-dir", description = "Folder with the dataset files (default: the Debian package's folder, then the user cache).")
    Path dataDir;
    @Option(names = "--epochs") Integer epochs;
    @Option(names = "--batch") Integer batch;
    @Option(names = "--lr") Double lr;
    @Option(names = "--schedule", description = "cosine (per step), cosine-epoch, step, poly, constant.")
    String schedule;
    @Option(names = "--optimizer", description = "sgd or nesterov.")
    String optimizer;
    @Option(names = "--momentum") Double momentum;
    @Option(names = "--weight-decay") Double weightDecay;
    @Option(names = "--eta", description = "Adaptive learning-rate scaling eta of adder layers (the reference: 0.2).")
    Double eta;
    @Option(names = "--no-alr", description = "Turn the adaptive learning-rate scaling off (plain gradient).")
    boolean noAlr;
    @Option(names = "--lp-start", description = "Lp-AdderNet: p at the start of training, in [1, 2] (the paper: 2).")
    Double lpStart;
    @Option(names = "--lp-end", description = "Lp-AdderNet: p reached after --lp-epochs (the paper: 1).")
    Double lpEnd;
    @Option(names = "--lp-epochs", description = "Lp-AdderNet: epochs over which p decreases linearly, every step (default: all; the cifar-journal recipe's schedule: 3/4).")
    Double lpEpochs;
    @Option(names = "--lp-grad", description = "Lp input gradient (Eq. 27): clipped (HardTanh, default) or raw.")
    String lpGrad;
    @Option(names = "--adder-grad", description = "Adder weight gradient: full (X - W, Eq. 23, default) or sign (sgn(X - W), Eq. 22: the papers' ablation).")
    String adderGrad;
    @Option(names = "--seed", defaultValue = "0") long seed;
    @Option(names = "--threads", description = "Worker threads (default: all cores; a resumed run keeps its own).")
    Integer threads;
    @Option(names = "--val-split", defaultValue = "0", description = "Hold out this fraction of the training set; the best epoch on it is kept.")
    double valSplit;
    @Option(names = "--limit-train", defaultValue = "0", description = "Use a fixed random subset of N training images (0: all).")
    int limitTrain;
    @Option(names = "--limit-test", defaultValue = "0", description = "Use a fixed random subset of N test images (0: all).")
    int limitTest;
    @Option(names = "--out", description = "Run folder (default: runs/<model>-<op>-<dataset>-s<seed>, or the first of -2, -3, ... that holds no run; with --resume the latest of these).")
    Path out;
    @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint, with its saved settings (only --out, --stop-after and --data-dir may be given beside it).")
    boolean resume;
    @Option(names = "--stop-after", defaultValue = "0", description = "Stop after this many epochs of this invocation (continue later with --resume).")
    int stopAfter;

    /** What may be given with --resume: where the run is, how long to go on, and where its data moved. */
    private static final Set<String> BESIDE_RESUME = Set.of("--resume", "--out", "--stop-after", "--data-dir");

    /**
     * A resumed run keeps every setting saved in its config.json (the thread count too: results are
     * identical only for the same count), so any other option would be silently ignored: refused instead.
     */
    private void rejectSettingsBesideResume() {
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (!BESIDE_RESUME.contains(o.longestName())) {
                throw new IllegalArgumentException(o.longestName() + " cannot be given with --resume: a resumed run keeps the settings"
                        + " saved in its config.json (only --out, --stop-after and --data-dir may be given)");
            }
        }
    }

    /** Without --out: a new run takes the next free default folder, --resume the latest; either says which. */
    private Path defaultFolder(Path base) {
        if (!resume) {
            Path dir = DefaultRunFolders.next(base);
            System.out.println("run folder " + dir + " (the first of " + base + ", " + base.getFileName() + "-2, ... that holds no run;"
                    + " --out chooses another)");
            return dir;
        }
        Path dir = DefaultRunFolders.latest(base);
        if (dir == null) throw new IllegalArgumentException("nothing to resume: " + base + " holds no run (name the run's folder with --out)");
        System.out.println("resuming the latest default run folder " + dir + " (--out chooses another)");
        return dir;
    }

    private static <T> T or(T given, T recipeDefault) {
        return given != null ? given : recipeDefault;
    }

    @Override
    public Integer call() throws Exception {
        if (resume) rejectSettingsBesideResume();
        Boolean fl = FirstLastOption.parse(firstLast, op);
        // --eta and --no-alr have recipe defaults, so only here is it known that the user gave them
        if (Op.parse(op) != Op.ADDER && (eta != null || noAlr)) {
            throw TrainConfig.adderOnly(eta != null ? "--eta" : "--no-alr", op);
        }
        Recipe r = recipe != null ? Recipe.named(recipe) : Recipe.forModel(model != null ? model : "lenet5");
        String model = this.model != null ? this.model : r.model(), dataset = this.dataset != null ? this.dataset : r.dataset();
        Path dir = out != null ? out : defaultFolder(Path.of("runs", model + "-" + op + "-" + dataset + "-s" + seed));
        TrainConfig cfg;
        if (resume) {
            TrainConfig saved = Trainer.savedConfig(dir);
            cfg = dataDir == null ? saved : saved.withDataDir(dataDir.toString());
        } else {
            int nThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
            int e = or(epochs, r.epochs());
            // the recipe's Lp schedule, for adder runs that set none of --lp-start/--lp-end/--lp-epochs themselves
            Recipe.Lp lp = lpStart == null && lpEnd == null && lpEpochs == null && Op.parse(op) == Op.ADDER ? r.lp() : null;
            if (lp != null) {
                lpStart = lp.start();
                lpEnd = lp.end();
                lpEpochs = lp.epochs(e);
            }
            cfg = new TrainConfig(model, op, fl, dataset, dataDir == null ? null : dataDir.toString(), e,
                    or(batch, r.batch()), or(lr, r.lr()), or(schedule, r.schedule()), or(optimizer, r.optimizer()),
                    or(momentum, r.momentum()), or(weightDecay, r.weightDecay()), or(eta, r.eta()), !noAlr, seed, nThreads, valSplit, limitTrain, limitTest,
                    lpStart, lpEnd, lpEpochs, lpGrad == null ? null : switch (lpGrad) {
                        case "clipped" -> true;
                        case "raw" -> false;
                        default -> throw new IllegalArgumentException("--lp-grad must be clipped or raw, got '" + lpGrad + "'");
                    }, adderGrad, featureDim == null ? 0 : featureDim);
        }
        Map<String, Object> summary = new Trainer(cfg, dir, System.out)
                .run(resume, stopAfter, Provenance.of(spec.commandLine().getParseResult().originalArgs().toArray(String[]::new), cfg.threads()));
        System.out.println("summary: " + Json.toJson(summary));
        System.out.println("run folder: " + dir.toAbsolutePath());
        return 0;
    }
}
