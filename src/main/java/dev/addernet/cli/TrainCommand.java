package dev.addernet.cli;

import dev.addernet.method.MethodSettings;
import dev.addernet.method.lp.LpSettings;
import dev.addernet.method.plain.PlainSettings;
import dev.addernet.train.TrainConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code addernet train}: defaults are the papers' MNIST recipe on LeNet-5-BN AdderNet and Fashion-MNIST.
 * The options come in sections, as {@code --help} shows them; those whose default is the recipe's say so,
 * and the help ends with the table of the recipes' values. The method: the Lp scheme when a schedule
 * applies (see {@link TrainingOptions#lpSettings}), else plain cross-entropy.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        customSynopsis = "addernet train [OPTION]...%n", description = "Train a network and write its run folder (config, metrics, weights, checkpoint, curves).")
final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TrainingOptions options;

    /** Ends a training command's {@code --help} with the recipes' values (called where the command line is built). */
    static void addRecipeTable(CommandLine command) {
        command.getCommandSpec().usageMessage().footer("%nRecipes (the defaults of the options marked above):%n" + Recipe.helpTable().replace("%", "%%"));
    }

    @Override
    public Integer call() throws Exception {
        if (options.run.resume) TrainingOptions.rejectSettingsBesideResume(spec);
        String op = options.network.op;
        Recipe r = options.recipe(Recipe::forModel);
        options.requireKnownNames(r);
        Path dir = options.folder(options.model(r) + "-" + op + "-" + options.dataset(r));
        TrainConfig cfg;
        if (options.run.resume) {
            cfg = options.savedConfig(dir);
        } else {
            LpSettings lp = options.lpSettings(r, op, options.epochs(r));
            MethodSettings method = lp != null ? lp : new PlainSettings();
            cfg = options.newConfig(r, op, method);
        }
        return options.train(spec, cfg, dir);
    }
}
