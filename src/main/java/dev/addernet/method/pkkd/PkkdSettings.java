package dev.addernet.method.pkkd;

import dev.addernet.method.MethodContext;
import dev.addernet.method.MethodSettings;
import dev.addernet.method.TrainingMethod;
import dev.addernet.method.lp.LpMethod;
import dev.addernet.method.lp.LpSettings;
import dev.addernet.method.plain.PlainSettings;
import dev.addernet.kernel.Op;

/**
 * PKKD's settings (see {@link PkkdMethod}).
 *
 * @param teacher     {@code progressive} (a CNN trained alongside, Sec. 3.2), or the path of a trained CNN's
 *                    weights file, kept fixed (Table 1's ablation)
 * @param featureLoss one of {@link FeatureLoss}, by its id
 * @param alpha       Eq. 4's weight of the teacher's soft targets
 * @param beta        Eq. 14's weight of the intermediate loss
 * @param temperature of the soft targets (the paper has none: 1); the soft term is scaled by T^2
 * @param shortcuts   whether the 1x1 shortcut layers are distilled too (the paper: every intermediate layer;
 *                    silent on shortcuts)
 * @param kernelLrScale the learning rate of the student side's kernel widths and 1x1 maps, as a multiple of the
 *                    network's (see {@link DistilledLayer}: at the full rate they learn to predict the teacher's
 *                    mean within a few dozen steps, and L_mid stops teaching the student)
 * @param lp          the student's Lp schedule under an Lp recipe (null: plain L1 adder layers)
 */
public record PkkdSettings(String teacher, String featureLoss, double alpha, double beta, double temperature, boolean shortcuts,
                           double kernelLrScale, LpSettings lp) implements MethodSettings {
    public static final String PROGRESSIVE = "progressive";

    public PkkdSettings {
        if (teacher == null || teacher.isEmpty()) throw new IllegalArgumentException("--teacher must be progressive or a weights file");
        FeatureLoss.parse(featureLoss);
        if (!(alpha >= 0) || Double.isInfinite(alpha)) throw new IllegalArgumentException("--kd-alpha must be a number >= 0, got " + alpha);
        if (!(beta >= 0) || Double.isInfinite(beta)) throw new IllegalArgumentException("--kd-beta must be a number >= 0, got " + beta);
        if (!(kernelLrScale > 0) || Double.isInfinite(kernelLrScale)) {
            throw new IllegalArgumentException("--kd-kernel-lr-scale must be a number > 0, got " + kernelLrScale);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("--kd-temperature must be a number > 0, got " + temperature);
        }
    }

    public boolean progressive() {
        return teacher.equals(PROGRESSIVE);
    }

    @Override
    public TrainingMethod create(MethodContext context) {
        if (context.network().opValue() != Op.ADDER) {
            throw new IllegalArgumentException("PKKD trains an AdderNet student, not --op " + context.network().op());
        }
        PlainSettings.requireLinearHead(context, "PKKD");
        TrainingMethod pkkd = new PkkdMethod(this, context);
        return lp == null ? pkkd : new LpMethod(lp.schedule(context.epochs()), context.adderOptions(), pkkd);
    }
}
