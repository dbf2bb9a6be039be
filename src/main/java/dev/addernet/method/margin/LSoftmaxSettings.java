package dev.addernet.method.margin;

import dev.addernet.method.MethodContext;
import dev.addernet.method.MethodSettings;
import dev.addernet.method.TrainingMethod;

/**
 * L-Softmax training (Liu et al. 2016) of the {@code lsoftmax} head: cross-entropy of the logits with the
 * angular margin m on the own class, blended with the plain logit by lambda, annealed every step as in the
 * authors' Caffe layer: lambda = max(lambdaMin, base (1 + gamma iteration)^-power).
 *
 * @param margin    m, an integer >= 1 (1: no margin; Liu et al. use 2 to 4; default 2)
 * @param base      lambda at iteration 0
 * @param gamma     and {@code power}: how fast lambda falls
 * @param lambdaMin the floor lambda keeps
 */
public record LSoftmaxSettings(int margin, double base, double gamma, double power, double lambdaMin) implements MethodSettings {
    /** Our reading of the authors' MNIST setting: base 1000, gamma 0.12, power 1, floor 0 (lambda about 5 after 1,600 steps). */
    public static LSoftmaxSettings defaults(int margin) {
        return new LSoftmaxSettings(margin, 1000, 0.12, 1, 0);
    }

    public LSoftmaxSettings {
        if (margin < 1) throw new IllegalArgumentException("--margin of the lsoftmax head must be an integer >= 1, got " + margin);
        if (!(base >= 0) || !(gamma >= 0) || !(power >= 0) || !(lambdaMin >= 0) || Double.isInfinite(base)) {
            throw new IllegalArgumentException("L-Softmax's lambda schedule takes numbers >= 0, got base " + base + ", gamma " + gamma
                    + ", power " + power + ", minimum " + lambdaMin);
        }
    }

    /** The blend weight at a step. */
    public double lambda(long iteration) {
        return Math.max(lambdaMin, base * Math.pow(1 + gamma * iteration, -power));
    }

    @Override
    public TrainingMethod create(MethodContext context) {
        if (!context.network().head().equals("lsoftmax")) {
            throw new IllegalArgumentException("the lsoftmax method trains the lsoftmax head, not '" + context.network().head() + "'");
        }
        return new LSoftmaxMethod(this);
    }
}
