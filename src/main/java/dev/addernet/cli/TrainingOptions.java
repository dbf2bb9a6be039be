package dev.addernet.cli;

import dev.addernet.data.source.Datasets;
import dev.addernet.analysis.CurvesPlot;
import dev.addernet.io.Json;
import dev.addernet.method.MethodSettings;
import dev.addernet.method.lp.LpSettings;
import dev.addernet.models.Heads;
import dev.addernet.models.Models;
import dev.addernet.kernel.Op;
import dev.addernet.train.CheckpointWriter;
import dev.addernet.train.MetricsLog;
import dev.addernet.train.TrainConfig;
import dev.addernet.train.Trainer;
import dev.addernet.dist.Ranks;
import dev.addernet.dist.Rendezvous;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The options of every command that trains ({@code train}, {@code distill}), in the sections {@code --help}
 * shows, and what they become: a run's {@link TrainConfig} (from a recipe's defaults and the options given,
 * or the saved one with {@code --resume}), its folder, and the run itself with the listeners the command
 * line attaches (metrics log, checkpoint, curves plot).
 */
final class TrainingOptions {
    static final String RECIPE = " Default: the recipe's (table below).";

    static final class DataOptions {
        @Option(names = "--dataset", description = "fashion-mnist, mnist, cifar10, cifar100, cifar100-coarse, cifar10-jpeg, imagefolder, imagenet." + TrainingOptions.RECIPE)
        String dataset;
        @Option(names = "--data-dir", description = "Folder with the dataset files. Default: the Debian package's folder, then the user cache.")
        Path dataDir;
        @Option(names = "--val-split", defaultValue = "0", converter = Ranges.Fraction.class,
                description = "Hold out this fraction of the training set, at least 0 and below 1; the best epoch on it is kept.")
        double valSplit;
        @Option(names = "--limit-train", defaultValue = "0", converter = Ranges.NonNegative.class,
                description = "Use a fixed random subset of N training images, at least 0 (0: all).")
        int limitTrain;
        @Option(names = "--limit-test", defaultValue = "0", converter = Ranges.NonNegative.class,
                description = "Use a fixed random subset of N test images, at least 0 (0: all).")
        int limitTest;
    }

    static final class NetworkOptions {
        @Option(names = "--recipe", description = "A paper's recipe for the defaults marked below: mnist, cifar-reference, cifar-journal,"
                + " imagenet-journal, imagenet-pkkd, cifar-slac, imagenet-slac. Default: by model (LeNets: mnist; ResNet-18/50: imagenet-journal; others: cifar-reference).")
        String recipe;
        @Option(names = "--model", description = "Architecture: lenet5, lenetpp, vgg-small, resnet20, resnet32, resnet18, resnet50." + TrainingOptions.RECIPE)
        String model;
        @Option(names = "--op", defaultValue = "adder", description = "Filter op: adder, conv or binary.")
        String op;
        @Option(names = "--first-last", description = FirstLastOption.DESCRIPTION)
        String firstLast;
        @Option(names = "--feature-dim", converter = Ranges.FeatureDim.class,
                description = "LeNet++ feature-layer width, from 1 to 65536 (the papers: 2 or 3). Default: 2.")
        Integer featureDim;
        @Option(names = "--head", description = "Classifier head: linear (the model's own last layer), slac, sl, lsoftmax, lgm, mom"
                + " (in place of the last layer; train selects each one's training method)." + TrainingOptions.RECIPE)
        String head;
    }

    static final class OptimiserOptions {
        @Option(names = "--epochs", converter = Ranges.Positive.class, description = "Epochs to train, at least 1." + TrainingOptions.RECIPE)
        Integer epochs;
        @Option(names = "--batch", converter = Ranges.Positive.class, description = "Images per step, at least 1." + TrainingOptions.RECIPE)
        Integer batch;
        @Option(names = "--lr", converter = Ranges.PositiveReal.class, description = "Base learning rate, above 0." + TrainingOptions.RECIPE)
        Double lr;
        @Option(names = "--schedule", description = "cosine (per step), cosine-epoch, step, poly, constant." + TrainingOptions.RECIPE)
        String schedule;
        @Option(names = "--optimizer", description = "sgd or nesterov." + TrainingOptions.RECIPE)
        String optimizer;
        @Option(names = "--momentum", converter = Ranges.Momentum.class, description = "SGD momentum, at least 0 and below 1." + TrainingOptions.RECIPE)
        Double momentum;
        @Option(names = "--weight-decay", converter = Ranges.NonNegativeReal.class, description = "L2 weight decay, at least 0." + TrainingOptions.RECIPE)
        Double weightDecay;
        @Option(names = "--seed", defaultValue = "0", converter = Ranges.Seed.class,
                description = "Seed of the initial weights, the data order and the augmentation: any 64-bit integer.")
        long seed;
        @Option(names = "--threads", converter = Ranges.Threads.class,
                description = "Worker threads, from 1 to 4096. Default: all cores; a resumed run its own (given with --resume, this"
                        + " invocation's only: the same run on more cores, its floats summed in another order).")
        Integer threads;
    }

    static final class AdderLayerOptions {
        @Option(names = "--eta", converter = Ranges.PositiveReal.class,
                description = "Adaptive learning-rate scaling eta of adder layers, above 0 (Universal AdderNets Eq. 33; the reference: 0.2)." + TrainingOptions.RECIPE)
        Double eta;
        @Option(names = "--no-alr", description = "Turn the adaptive learning-rate scaling off (plain gradient). Default: on.")
        boolean noAlr;
        @Option(names = "--adder-grad", description = "Adder weight gradient: full (X - W, Eq. 23) or sign (sgn(X - W), Eq. 22: the papers' ablation). Default: full.")
        String adderGrad;
    }

    static final class LpOptions {
        @Option(names = "--lp-start", converter = Ranges.LpP.class, description = "p at the start of training, at least 1 and at most 2 (the paper: 2)."
                + " Default: 2 when another --lp option is given, else the recipe's schedule.")
        Double lpStart;
        @Option(names = "--lp-end", converter = Ranges.LpP.class, description = "p reached after --lp-epochs, at least 1 and at most 2 (the paper: 1). Default: 1.")
        Double lpEnd;
        @Option(names = "--lp-epochs", converter = Ranges.NonNegativeReal.class,
                description = "Epochs over which p decreases linearly, every step, at least 0. Default: all (the cifar-journal recipe's schedule: 3/4).")
        Double lpEpochs;
        @Option(names = "--lp-grad", description = "Input gradient of Eq. 27: clipped (HardTanh) or raw. Default: clipped.")
        String lpGrad;

        /** Whether the user set a schedule of their own (--lp-grad alone only changes the gradient of one). */
        boolean scheduleGiven() {
            return lpStart != null || lpEnd != null || lpEpochs != null;
        }

        String firstGiven() {
            return lpStart != null ? "--lp-start" : lpEnd != null ? "--lp-end" : lpEpochs != null ? "--lp-epochs" : lpGrad != null ? "--lp-grad" : null;
        }

        boolean clip() {
            if (lpGrad == null) return true;
            return switch (lpGrad) {
                case "clipped" -> true;
                case "raw" -> false;
                default -> throw new IllegalArgumentException("--lp-grad must be clipped or raw, got '" + lpGrad + "'");
            };
        }
    }

    static final class RunOptions {
        @Option(names = "--out", description = "Run folder. Default: runs/<model>-<op>-<dataset>-s<seed>, or the first of -2, -3, ... that holds"
                + " no run; with --resume the latest of these.")
        Path out;
        @Option(names = "--resume", description = "Continue the run in --out from its last checkpoint, with its saved settings (only --out,"
                + " --stop-after and --data-dir may be given beside it). Default: a new run.")
        boolean resume;
        @Option(names = "--stop-after", defaultValue = "0", converter = Ranges.NonNegative.class,
                description = "Stop after this many epochs of this invocation, at least 0 (continue later with --resume; 0: never).")
        int stopAfter;
    }

    static final class DataParallelOptions {
        @Option(names = "--data-parallel", converter = Ranges.Threads.class, paramLabel = "R",
                description = "Synchronous data-parallel SGD on R ranks, from 1 to 4096, each on one thread: as threads of this JVM, or as"
                        + " this process's RANK of WORLD_SIZE when torchrun's variables (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT) are set."
                        + " Results depend on --shards only, never on R. Default: off.")
        Integer ranks;
        @Option(names = "--shards", converter = Ranges.Threads.class, paramLabel = "S",
                description = "With --data-parallel: the shards every batch is cut into, from 1 to 4096 and at most --batch, each shard's"
                        + " gradient computed alone and summed in shard order (BatchNorm uses each shard's own statistics). Default: R.")
        Integer shards;
    }

    @ArgGroup(validate = false, heading = "%nData:%n", order = 1) DataOptions data = new DataOptions();
    @ArgGroup(validate = false, heading = "%nNetwork:%n", order = 2) NetworkOptions network = new NetworkOptions();
    @ArgGroup(validate = false, heading = "%nOptimisation:%n", order = 3) OptimiserOptions optim = new OptimiserOptions();
    @ArgGroup(validate = false, heading = "%nAdder layers (refused with --op conv or binary):%n", order = 4)
    AdderLayerOptions adder = new AdderLayerOptions();
    @ArgGroup(validate = false, heading = "%nLp-AdderNet (Universal AdderNets Sec. 4.2, Algorithm 1; adder layers only):%n", order = 5)
    LpOptions lp = new LpOptions();
    @ArgGroup(validate = false, heading = "%nRun folder:%n", order = 6) RunOptions run = new RunOptions();
    @ArgGroup(validate = false, heading = "%nData-parallel training (see the README):%n", order = 8)
    DataParallelOptions parallel = new DataParallelOptions();

    /**
     * What may be given with --resume: where the run is, how long to go on, where its data moved, on how many
     * cores, and on how many data-parallel ranks (the shards, which fix the results, stay the run's).
     */
    private static final Set<String> BESIDE_RESUME = Set.of("--resume", "--out", "--stop-after", "--data-dir", "--threads", "--data-parallel");

    /**
     * A resumed run keeps every setting saved in its config.json, so any other option would be silently
     * ignored: refused instead. The thread count may change (a run moved to a bigger machine); results are
     * bit-identical to an uninterrupted run only for the same count, so the change is announced.
     */
    static void rejectSettingsBesideResume(CommandSpec spec) {
        for (OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (!BESIDE_RESUME.contains(o.longestName())) {
                throw new IllegalArgumentException(o.longestName() + " cannot be given with --resume: a resumed run keeps the settings"
                        + " saved in its config.json (only --out, --stop-after, --data-dir, --threads and --data-parallel may be given)");
            }
        }
    }

    /** The recipe named, or the one the command trains this model with by default. */
    Recipe recipe(Function<String, Recipe> byModel) {
        return network.recipe != null ? Recipe.named(network.recipe) : byModel.apply(network.model != null ? network.model : "lenet5");
    }

    /**
     * Checks the model and dataset names before anything is read, downloaded or created: a typo ends here,
     * with the valid names.
     */
    void requireKnownNames(Recipe r) {
        Models.requireKnown(model(r));
        Datasets.requireKnown(dataset(r));
    }

    /** The run's folder: --out, or the default {@code runs/<name>-s<seed>} (a new run: the next free one; --resume: the latest). */
    Path folder(String name) {
        return folder(name, optim.seed);
    }

    Path folder(String name, long seed) {
        if (run.out != null) return run.out;
        Path base = Path.of("runs", name + "-s" + seed);
        if (!run.resume) {
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

    static <T> T or(T given, T recipeDefault) {
        return given != null ? given : recipeDefault;
    }

    String model(Recipe r) {
        return or(network.model, r.model());
    }

    String dataset(Recipe r) {
        return or(data.dataset, r.dataset());
    }

    int epochs(Recipe r) {
        return or(optim.epochs, r.epochs());
    }

    /** The head: --head, else the recipe's, else the model's own. */
    String head(Recipe r) {
        String head = or(network.head, r.head() != null ? r.head().name() : Heads.LINEAR);
        Heads.check(head);
        return head;
    }

    /**
     * The Lp scheme for a network of this op: the user's --lp schedule, else the recipe's for an AdderNet, else
     * none (null). --lp-grad alone needs a schedule to apply to.
     */
    LpSettings lpSettings(Recipe r, String op, int epochs) {
        boolean adderNet = Op.parse(op) == Op.ADDER;
        if (lp.firstGiven() != null && !adderNet) throw TrainConfig.adderOnly(lp.firstGiven(), op);
        if (lp.scheduleGiven()) return new LpSettings(or(lp.lpStart, 2.0), or(lp.lpEnd, 1.0), lp.lpEpochs, lp.clip());
        if (r.lp() != null && adderNet) return new LpSettings(r.lp().start(), r.lp().end(), r.lp().epochs(epochs), lp.clip());
        if (lp.lpGrad != null) {
            throw new IllegalArgumentException("--lp-grad sets the gradient of an Lp schedule, and this run has none: add --lp-start,"
                    + " --lp-end or --lp-epochs (or --recipe cifar-journal)");
        }
        return null;
    }

    /** A new run's configuration: the options given over the recipe's defaults, trained by {@code method}. */
    TrainConfig newConfig(Recipe r, String op, MethodSettings method) {
        Boolean fl = FirstLastOption.parse(network.firstLast, op);
        // --eta and --no-alr have recipe defaults, so only here is it known that the user gave them
        if (Op.parse(op) != Op.ADDER && (adder.eta != null || adder.noAlr)) {
            throw TrainConfig.adderOnly(adder.eta != null ? "--eta" : "--no-alr", op);
        }
        if (parallel.shards != null && parallel.ranks == null) throw new IllegalArgumentException("--shards applies with --data-parallel only");
        // a data-parallel rank computes on one thread (TrainConfig refuses more), so that threads do not change results
        int nThreads = optim.threads != null ? optim.threads : parallel.ranks != null ? 1 : Runtime.getRuntime().availableProcessors();
        int shards = parallel.ranks == null ? 0 : or(parallel.shards, parallel.ranks);
        return new TrainConfig(model(r), op, fl, dataset(r), data.dataDir == null ? null : data.dataDir.toString(), epochs(r),
                or(optim.batch, r.batch()), or(optim.lr, r.lr()), or(optim.schedule, r.schedule()), or(optim.optimizer, r.optimizer()),
                or(optim.momentum, r.momentum()), or(optim.weightDecay, r.weightDecay()), or(adder.eta, r.eta()), !adder.noAlr,
                optim.seed, nThreads, data.valSplit, data.limitTrain, data.limitTest, adder.adderGrad,
                network.featureDim == null ? 0 : network.featureDim, head(r), method, shards);
    }

    /**
     * A new run's configuration from a saved one ({@code train --config}): every option given on the command
     * line replaces the saved value, the others keep it. {@code method} is the method the command line
     * selects, taken only when an option that chooses the method (head, Lp schedule) is given.
     */
    TrainConfig overSaved(TrainConfig saved, CommandSpec spec, boolean methodGiven, Function<String, MethodSettings> method) {
        var given = spec.commandLine().getParseResult();
        String op = given.hasMatchedOption("--op") ? network.op : saved.op();
        Boolean fl = network.firstLast != null ? FirstLastOption.parse(network.firstLast, op) : saved.firstLast();
        if (Op.parse(op) != Op.ADDER && (adder.eta != null || adder.noAlr)) {
            throw TrainConfig.adderOnly(adder.eta != null ? "--eta" : "--no-alr", op);
        }
        return new TrainConfig(or(network.model, saved.model()), op, fl, or(data.dataset, saved.dataset()),
                data.dataDir != null ? data.dataDir.toString() : saved.dataDir(), or(optim.epochs, saved.epochs()),
                or(optim.batch, saved.batch()), or(optim.lr, saved.lr()), or(optim.schedule, saved.schedule()),
                or(optim.optimizer, saved.optimizer()), or(optim.momentum, saved.momentum()), or(optim.weightDecay, saved.weightDecay()),
                or(adder.eta, saved.eta()), !adder.noAlr && saved.alr(), given.hasMatchedOption("--seed") ? optim.seed : saved.seed(),
                or(optim.threads, saved.threads()), given.hasMatchedOption("--val-split") ? data.valSplit : saved.valSplit(),
                given.hasMatchedOption("--limit-train") ? data.limitTrain : saved.limitTrain(),
                given.hasMatchedOption("--limit-test") ? data.limitTest : saved.limitTest(), or(adder.adderGrad, saved.adderGrad()),
                or(network.featureDim, saved.featureDim()), or(network.head, saved.head()),
                methodGiven ? method.apply(op) : saved.method(),
                parallel.ranks != null ? or(parallel.shards, parallel.ranks) : saved.shards());
    }

    /** The configuration a run folder was started with, reading its data from --data-dir if given. */
    TrainConfig savedConfig(Path dir) throws java.io.IOException {
        TrainConfig saved = Trainer.savedConfig(dir);
        if (data.dataDir != null) saved = saved.withDataDir(data.dataDir.toString());
        if (optim.threads != null && optim.threads != saved.threads()) {
            System.out.println("resuming with " + optim.threads + " threads where the run had " + saved.threads()
                    + ": from here its floats are summed in another order, so it is no longer bit-identical to an uninterrupted run");
            saved = saved.withThreads(optim.threads);
        }
        return saved;
    }

    /**
     * Trains (or resumes) the run with the command line's listeners and prints its summary: in this process,
     * or as one rank of a data-parallel run (see {@link #ranksThen}).
     */
    int train(CommandSpec spec, TrainConfig cfg, Path dir) throws Exception {
        Map<String, Object> provenance = Provenance.of(spec.commandLine().getParseResult().originalArgs().toArray(String[]::new), cfg.threads());
        int ranks = parallel.ranks != null ? parallel.ranks : 1;
        if (cfg.shards() == 0 && ranks == 1) return summarise(run(cfg, dir, Ranks.solo(), provenance), dir);
        AtomicReference<Map<String, Object>> summary = new AtomicReference<>();
        ranksThen(ranks, () -> run.out != null, r -> {
            Map<String, Object> s = run(cfg, dir, r, provenance);
            if (r.rank() == 0) summary.set(s);
        });
        return summary.get() == null ? 0 : summarise(summary.get(), dir);
    }

    private Map<String, Object> run(TrainConfig cfg, Path dir, Ranks ranks, Map<String, Object> provenance) throws java.io.IOException {
        PrintStream out = ranks.rank() == 0 ? System.out : new PrintStream(OutputStream.nullOutputStream());
        return new Trainer(cfg, dir, out, List.of(new MetricsLog(), new CheckpointWriter(), new CurvesPlot()), ranks)
                .run(run.resume, run.stopAfter, provenance);
    }

    private static int summarise(Map<String, Object> summary, Path dir) {
        System.out.println("summary: " + Json.toJson(summary));
        System.out.println("run folder: " + dir.toAbsolutePath());
        return 0;
    }

    /** How long a rank waits for the others (to start, or for any one message) before it gives up: -Daddernet.rank.timeout=seconds. */
    static Duration rankTimeout() {
        return Duration.ofSeconds(Long.getLong("addernet.rank.timeout", 1800));
    }

    /**
     * Runs {@code body} as the data-parallel ranks of this process: the ranks a launcher bound
     * ({@link Ranks#LAUNCHED}, the Spark launcher), else this process's rank from torchrun's variables, else
     * all {@code ranks} as threads of this JVM.
     *
     * @param named whether the run folder was named (--out): separate processes must all name the same one
     */
    static void ranksThen(int ranks, java.util.function.BooleanSupplier named, Rendezvous.RankBody body) throws Exception {
        if (Ranks.LAUNCHED.isBound()) {
            Ranks r = Ranks.LAUNCHED.get();
            if (r.size() != ranks) throw new IllegalArgumentException("--data-parallel is " + ranks + " but the launcher started " + r.size() + " ranks");
            body.run(r);
        } else if (System.getenv("WORLD_SIZE") != null) {
            if (!named.getAsBoolean()) throw new IllegalArgumentException("--out must name the run folder when ranks run as separate processes: each names the same one");
            try (Ranks r = Rendezvous.fromEnvironment(System.getenv(), ranks, rankTimeout())) {
                body.run(r);
            }
        } else {
            Rendezvous.inThreads(ranks, rankTimeout(), body);
        }
    }
}
