package dev.addernet.cli;

import java.util.List;

/**
 * A named training recipe from the papers: the defaults of every option the command line leaves unset.
 *
 * <ul>
 *   <li>{@code mnist}: AdderNet / Universal AdderNets Sec. 5.2, LeNet-5-BN: Nesterov, lr 0.1 with cosine
 *       decay (every step), weight decay 5e-4, momentum 0.9, batch 256, eta 0.2; the paper trains 50 epochs,
 *       the recipe's default is 5 (a few minutes here).</li>
 *   <li>{@code cifar-reference}: the reference implementation's CIFAR script: SGD momentum 0.9, weight
 *       decay 5e-4, batch 256, lr 0.05 (1 + cos(pi e / E)) per epoch, 400 epochs, eta 0.2.</li>
 *   <li>{@code cifar-journal}: Universal AdderNets Sec. 5.3: lr 0.1 with a polynomial schedule, 800
 *       epochs, batch 256, eta 0.1 (momentum 0.9 and weight decay 5e-4 as elsewhere in the paper); for adder
 *       runs the Lp schedule of Sec. 5.3 and Table 6, p from 2 to 1 over 600 of the 800 epochs.</li>
 *   <li>{@code imagenet-journal}: Universal AdderNets Sec. 5.4: Nesterov, lr 0.1 with cosine decay, weight
 *       decay 1e-4, momentum 0.9, batch 256, 300 epochs, eta 0.1.</li>
 *   <li>{@code imagenet-pkkd}: PKKD Sec. 4.2, teacher and student alike: lr 0.1 with cosine decay, weight decay
 *       1e-4, momentum 0.9, batch 256, 150 epochs (the paper names no Nesterov; eta as imagenet-journal).
 *       PKKD's CIFAR setting (lr 0.1 cosine, 400 epochs, batch 256) is {@code cifar-reference}'s.</li>
 *   <li>{@code cifar-slac}: SLAC Sec. 4.1: the slac head, SGD momentum 0.9, lr 0.1 with cosine decay, weight
 *       decay 5e-4, batch 256, 800 epochs, Sigma's learning rate 1/100 of the network's; eta 0.2 (the paper
 *       is silent; the AdderNet reference's, on which its CIFAR setting builds).</li>
 *   <li>{@code imagenet-slac}: SLAC Sec. 4.2: as cifar-slac on ResNet-18 and ImageNet, 300 epochs, weight
 *       decay 1e-5, Sigma's learning rate 1/1000 of the network's; eta 0.1 (silent; the journal's ImageNet value).</li>
 * </ul>
 *
 * @param lp   the Lp-AdderNet schedule an adder run gets when it names none (null: plain L1)
 * @param head the classifier head a run gets when it names none, with its covariances' learning-rate scale
 *             (null: the model's own)
 */
public record Recipe(String name, String model, String dataset, int epochs, int batch, double lr, String schedule,
                     String optimizer, double momentum, double weightDecay, double eta, Lp lp, Head head) {
    /** The default head's name and the learning-rate scale of its covariances. */
    public record Head(String name, double sigmaLrScale) {}

    /** A recipe with the model's own head. */
    public Recipe(String name, String model, String dataset, int epochs, int batch, double lr, String schedule,
                  String optimizer, double momentum, double weightDecay, double eta, Lp lp) {
        this(name, model, dataset, epochs, batch, lr, schedule, optimizer, momentum, weightDecay, eta, lp, null);
    }

    public static final List<Recipe> ALL = List.of(
            new Recipe("mnist", "lenet5", "fashion-mnist", 5, 256, 0.1, "cosine", "nesterov", 0.9, 5e-4, 0.2, null),
            new Recipe("cifar-reference", "resnet20", "cifar10", 400, 256, 0.1, "cosine-epoch", "sgd", 0.9, 5e-4, 0.2, null),
            new Recipe("cifar-journal", "resnet20", "cifar10", 800, 256, 0.1, "poly", "sgd", 0.9, 5e-4, 0.1, new Lp(2, 1, 0.75)),
            new Recipe("imagenet-journal", "resnet18", "imagenet", 300, 256, 0.1, "cosine", "nesterov", 0.9, 1e-4, 0.1, null),
            new Recipe("imagenet-pkkd", "resnet18", "imagenet", 150, 256, 0.1, "cosine", "sgd", 0.9, 1e-4, 0.1, null),
            new Recipe("cifar-slac", "resnet20", "cifar10", 800, 256, 0.1, "cosine", "sgd", 0.9, 5e-4, 0.2, null, new Head("slac", 0.01)),
            new Recipe("imagenet-slac", "resnet18", "imagenet", 300, 256, 0.1, "cosine", "sgd", 0.9, 1e-5, 0.1, null, new Head("slac", 0.001)));

    /**
     * p decreased linearly from {@code start} to {@code end} over the first {@code fraction} of the epochs.
     * A fraction rather than a count, so that a run with other {@code --epochs} keeps the paper's proportion
     * (600 of 800): Table 6 shows that both too short and too long a decay cost accuracy, since the net
     * must still be trained at L1 afterwards.
     */
    public record Lp(double start, double end, double fraction) {
        public double epochs(int runEpochs) {
            return fraction * runEpochs;
        }
    }

    /** The recipes' values, a few short lines each (the end of {@code train --help}). */
    static String helpTable() {
        StringBuilder sb = new StringBuilder();
        for (Recipe r : ALL) {
            sb.append(String.format("  %s: %s on %s, %d epochs, batch %d%n", r.name, r.model, r.dataset, r.epochs, r.batch));
            sb.append(String.format("    lr %s %s, %s, momentum %s, weight decay %s, eta %s%n", num(r.lr), r.schedule, r.optimizer,
                    num(r.momentum), num(r.weightDecay), num(r.eta)));
            if (r.lp != null) {
                sb.append(String.format("    adder runs: Lp, p from %s to %s over %s%% of the epochs%n", num(r.lp.start), num(r.lp.end),
                        num(100 * r.lp.fraction)));
            }
            if (r.head != null) {
                sb.append(String.format("    head %s, covariances' learning rate x %s%n", r.head.name, num(r.head.sigmaLrScale)));
            }
        }
        return sb.toString();
    }

    private static String num(double x) {
        return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }

    public static Recipe named(String name) {
        for (Recipe r : ALL) if (r.name.equals(name)) return r;
        throw new IllegalArgumentException("unknown recipe '" + name + "': expected one of "
                + ALL.stream().map(Recipe::name).toList());
    }

    /** The recipe a model is distilled with when none is named: PKKD's own for the ImageNet models. */
    public static Recipe forDistillation(String model) {
        return model.equals("resnet18") || model.equals("resnet50") ? named("imagenet-pkkd") : forModel(model);
    }

    /** The recipe a model is trained with when none is named. */
    public static Recipe forModel(String model) {
        return switch (model) {
            case "lenet5", "lenetpp" -> named("mnist");
            case "resnet18", "resnet50" -> named("imagenet-journal");
            default -> named("cifar-reference");
        };
    }
}
