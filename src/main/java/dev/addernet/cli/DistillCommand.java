package dev.addernet.cli;

import dev.addernet.method.pkkd.PkkdSettings;
import dev.addernet.train.TrainConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code addernet distill}: PKKD (see {@code method/pkkd}), an AdderNet student taught by a CNN of the same
 * architecture, with every option of {@code train} but {@code --op}. Under the cifar-journal recipe the
 * student gets the recipe's Lp schedule, as {@code train --op adder} does.
 */
@Command(name = "distill", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        customSynopsis = "addernet distill [OPTION]...%n",
        description = "Train an AdderNet student by kernel-based progressive knowledge distillation (PKKD) from a CNN teacher;"
                + " the run folder holds the student (model.safetensors, a plain AdderNet) and the teacher (teacher.safetensors).")
final class DistillCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TrainingOptions options;

    static final class DistillOptions {
        @Option(names = "--teacher", defaultValue = PkkdSettings.PROGRESSIVE, description = "progressive: a CNN of the student's architecture"
                + " trained alongside on its own cross-entropy (PKKD Sec. 3.2); or FILE, the weights of such a CNN, fixed (Table 1's ablation).")
        String teacher;
        @Option(names = "--feature-loss", defaultValue = "pkkd", description = "What the intermediate loss compares: none (KD on the logits"
                + " only), mse (the outputs), conv1x1 (after a 1x1 convolution), kernel (the kernels of Eq. 7-8), pkkd (kernel + 1x1), mmd"
                + " (neuron selectivity transfer).")
        String featureLoss;
        @Option(names = "--kd-alpha", defaultValue = "1", converter = Ranges.NonNegativeReal.class,
                description = "Weight of the teacher's soft targets (Eq. 4), at least 0.")
        double alpha;
        @Option(names = "--kd-beta", defaultValue = "1", converter = Ranges.NonNegativeReal.class,
                description = "Weight of the intermediate loss (Eq. 14), at least 0.")
        double beta;
        @Option(names = "--kd-temperature", defaultValue = "1", converter = Ranges.PositiveReal.class,
                description = "Temperature of the soft targets, above 0 (the paper: none, i.e. 1); the soft term is scaled by T^2.")
        double temperature;
        @Option(names = "--kd-kernel-lr-scale", defaultValue = "0.01", converter = Ranges.PositiveReal.class, description = "Learning rate"
                + " of the student side's kernel widths and 1x1 maps, above 0, as a multiple of the network's (at 1 they soon collapse to"
                + " predicting the teacher's mean).")
        double kernelLrScale;
        @Option(names = "--distill-shortcuts", description = "Distil the 1x1 shortcut layers too. Default: every filter layer but the"
                + " first, the last and the shortcuts.")
        boolean shortcuts;
    }

    @ArgGroup(validate = false, heading = "%nDistillation (PKKD):%n", order = 7) DistillOptions kd = new DistillOptions();

    @Override
    public Integer call() throws Exception {
        if (options.run.resume) TrainingOptions.rejectSettingsBesideResume(spec);
        if (spec.commandLine().getParseResult().hasMatchedOption("--op")) {
            throw new IllegalArgumentException("--op cannot be given to distill: the student is an AdderNet (the teacher a CNN)");
        }
        String op = "adder";
        Recipe r = options.recipe(Recipe::forDistillation);
        options.requireKnownNames(r);
        Path dir = options.folder(options.model(r) + "-pkkd-" + options.dataset(r));
        TrainConfig cfg = options.run.resume ? options.savedConfig(dir) : options.newConfig(r, op, new PkkdSettings(kd.teacher,
                kd.featureLoss, kd.alpha, kd.beta, kd.temperature, kd.shortcuts, kd.kernelLrScale, options.lpSettings(r, op, options.epochs(r))));
        return options.train(spec, cfg, dir);
    }
}
