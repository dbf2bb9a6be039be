package dev.addernet.cli;

import dev.addernet.method.MethodSettings;
import dev.addernet.method.lp.LpSettings;
import dev.addernet.method.plain.PlainSettings;
import dev.addernet.models.Heads;
import dev.addernet.train.TrainConfig;
import dev.addernet.train.Trainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code addernet train}: defaults are the papers' MNIST recipe on LeNet-5-BN AdderNet and Fashion-MNIST.
 * The options come in sections, as {@code --help} shows them; those whose default is the recipe's say so,
 * and the help ends with the table of the recipes' values. The method: a head other than linear selects its
 * own (see {@link HeadOptions}); else the Lp scheme when a schedule applies (see
 * {@link TrainingOptions#lpSettings}), else plain cross-entropy.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        customSynopsis = "addernet train [OPTION]...%n", description = "Train a network and write its run folder (config, metrics, weights, checkpoint, curves).")
final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TrainingOptions options;
    @ArgGroup(validate = false, heading = "%nClassifier heads (SLAC, Xu et al. 2021, and its Table 3 comparison; --head other than linear):%n",
            order = 7)
    HeadOptions heads = new HeadOptions();
    @Option(names = "--config", paramLabel = "FILE", order = 0, description = "Start a new run from a saved config.json (of any run"
            + " folder); the options given beside it replace its values. Default: none, the recipe's defaults and the options given.")
    Path config;

    /** Ends a training command's {@code --help} with the recipes' values (called where the command line is built). */
    static void addRecipeTable(CommandLine command) {
        command.getCommandSpec().usageMessage().footer("%nRecipes (the defaults of the options marked above):%n" + Recipe.helpTable().replace("%", "%%"));
    }

    @Override
    public Integer call() throws Exception {
        if (options.run.resume) TrainingOptions.rejectSettingsBesideResume(spec);
        if (config != null) return fromSaved();
        String op = options.network.op;
        Recipe r = options.recipe(Recipe::forModel);
        options.requireKnownNames(r);
        Path dir = options.folder(options.model(r) + "-" + op + "-" + options.dataset(r));
        TrainConfig cfg;
        if (options.run.resume) {
            cfg = options.savedConfig(dir);
        } else {
            cfg = options.newConfig(r, op, method(r, op));
        }
        return options.train(spec, cfg, dir);
    }

    /** {@code --config}: a new run from a saved configuration, the options given replacing its values. */
    private int fromSaved() throws Exception {
        if (options.network.recipe != null) {
            throw new IllegalArgumentException("--recipe cannot be given with --config: the saved configuration takes the recipe's place");
        }
        TrainConfig saved = Trainer.readConfig(config);
        boolean methodGiven = options.network.head != null || options.lp.firstGiven() != null || heads.firstGiven() != null;
        Recipe r = Recipe.forModel(TrainingOptions.or(options.network.model, saved.model()));
        TrainConfig cfg = options.overSaved(saved, spec, methodGiven, op -> method(r, op));
        cfg.validate();
        Path dir = options.folder(cfg.model() + "-" + cfg.op() + "-" + cfg.dataset(), cfg.seed());
        return options.train(spec, cfg, dir);
    }

    /**
     * The method --head selects: for the linear head the Lp scheme if a schedule applies, else plain
     * cross-entropy; any other head its own (an Lp schedule, the user's or the recipe's, is refused with it).
     */
    private MethodSettings method(Recipe r, String op) {
        String head = options.head(r);
        LpSettings lp = options.lpSettings(r, op, options.epochs(r));
        if (head.equals(Heads.LINEAR)) {
            if (heads.firstGiven() != null) throw new IllegalArgumentException(heads.firstGiven() + " applies to a --head other than linear");
            return lp != null ? lp : new PlainSettings();
        }
        if (lp != null) {
            throw new IllegalArgumentException((options.lp.firstGiven() != null ? options.lp.firstGiven() + " (the Lp scheme)" : "recipe " + r.name()
                    + "'s Lp schedule") + " trains the linear head only, not --head " + head);
        }
        return heads.method(head, r);
    }
}
