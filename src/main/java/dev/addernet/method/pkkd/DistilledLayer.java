package dev.addernet.method.pkkd;

import dev.addernet.autograd.BatchNorm;
import dev.addernet.autograd.Clamp;
import dev.addernet.autograd.Detach;
import dev.addernet.autograd.ExpKernel;
import dev.addernet.autograd.MeanSquaredError;
import dev.addernet.autograd.NeuronSelectivityMmd;
import dev.addernet.nn.Conv2d;
import dev.addernet.nn.Module;
import dev.addernet.kernel.Op;
import dev.addernet.nn.Parameter;
import dev.addernet.tensor.Rng;
import dev.addernet.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One distilled layer's part of PKKD's intermediate loss (Eq. 11-13): the student's output x_a (.) f_a
 * and the teacher's x_c * f_c of the same layer, each standardised, transformed by its kernel (g with
 * sigma_a, h with sigma_c; Eq. 7-8) and its 1x1 convolution rho, then compared by mean squared error.
 *
 * <p>Decisions (the paper is silent; see docs/decisions.md):
 * <ul>
 *   <li>Each output is standardised per channel over the batch (a BatchNorm without affine) before its
 *       kernel. Adder outputs are <= 0 and hundreds to thousands in size, conv outputs small and signed;
 *       exp(-output / sigma) of those overflows or is flat. Standardised (and clamped to +-3, see
 *       {@link #Z_LIMIT}), both are ~N(0, 1), and the kernels' values lie between e^-1.5 and e^1.5 at the
 *       initial widths. Standardising is monotone per channel, so it keeps what the kernels compare.</li>
 *   <li>Both kernels are exp(-output / width) as Eq. 7-8 write them: each falls as its layer's similarity
 *       measure (the dot product, the negative L1 distance) grows, so teacher and student move together.</li>
 *   <li>The teacher's side (sigma_c, rho_c) is not trained: L_mid reaches the student only (Sec. 3.2),
 *       and training the teacher's side on L_mid would let both sides collapse to a constant. sigma_c stays
 *       1 and rho_c the identity, so the target is the teacher's kernel map itself; the student's rho_a
 *       (initialised as the identity) and sigma_a (initialised 2, so that g and h start as the same function)
 *       learn to meet it, at a fraction of the network's learning rate: at the full rate they collapse within
 *       a few dozen steps to predicting the teacher's mean (g flat at 1, rho_a its bias: measured on
 *       LeNet-5-BN / Fashion-MNIST), where L_mid's floor is the teacher's variance and it teaches the student
 *       nothing.</li>
 * </ul>
 */
final class DistilledLayer {
    /**
     * The standardised outputs enter the kernels clamped to +-3 standard deviations: an adder layer's outputs are
     * heavy-tailed, a standardised outlier reaches |z| ~ 16 over a batch of 256, and exp(16 / 2) ~ 3000 squared
     * made L_mid diverge at beta = 10 (and dominate it at beta = 1).
     */
    static final float Z_LIMIT = 3f;

    final String path;
    /** The layer in the student and in the teacher. */
    final Module student, teacher;
    private final FeatureLoss loss;
    private final Parameter studentLogWidth;
    private final Tensor teacherLogWidth;
    private final Module studentRho, teacherRho;
    /** The standardisation's constant affine (1, 0) and its unused running statistics. */
    private final Tensor ones, zeros;
    private final float[] unusedMean, unusedVar;

    DistilledLayer(String path, Module student, Module teacher, int channels, boolean spatial, FeatureLoss loss, Rng rng) {
        this.path = path;
        this.student = student;
        this.teacher = teacher;
        this.loss = loss;
        this.ones = Tensor.zeros(channels);
        java.util.Arrays.fill(ones.data, 1f);
        this.zeros = Tensor.zeros(channels);
        this.unusedMean = new float[channels];
        this.unusedVar = new float[channels];
        // sigma_a = 2 = 2 sigma_c^2: g and h start as the same function of the standardised output
        this.studentLogWidth = new Parameter(new Tensor(new float[] {(float) Math.log(2)}, 1), false);
        this.teacherLogWidth = Tensor.zeros(1);
        this.studentRho = loss.projection() ? identity(channels, spatial, rng) : null;
        this.teacherRho = loss.projection() ? identity(channels, spatial, rng) : null;
        if (teacherRho != null) teacherRho.parameters().values().forEach(p -> p.requiresGrad(false));
    }

    /** A 1x1 convolution (on [N, C, H, W]) or a linear map (on [N, C]) that starts as the identity. */
    private static Module identity(int c, boolean spatial, Rng rng) {
        Module m = spatial ? new Conv2d(Op.CONV, c, c, 1, 1, 0, true, rng) : new dev.addernet.nn.Linear(Op.CONV, c, c, true, rng);
        Parameter w = m.parameters().get("weight"), b = m.parameters().get("bias");
        java.util.Arrays.fill(w.data, 0f);
        for (int i = 0; i < c; i++) w.data[i * c + i] = 1f;
        java.util.Arrays.fill(b.data, 0f);
        return m;
    }

    /** The layer's term of L_mid, on the tape for the student's side; the teacher's output is taken as a constant. */
    Tensor loss(Tensor studentOut, Tensor teacherOut) {
        Tensor t = Detach.forward(teacherOut);
        if (loss == FeatureLoss.MMD) return NeuronSelectivityMmd.forward(studentOut, t);
        Tensor ya = studentSide(studentOut), yc = teacherSide(t);
        return MeanSquaredError.forward(ya, yc);
    }

    /** y_a = rho_a(g(standardised x_a (.) f_a)) (Eq. 8, 11), as far as the variant goes. */
    Tensor studentSide(Tensor out) {
        Tensor g = studentKernel(out);
        return studentRho != null ? studentRho.forward(g) : g;
    }

    /** y_c = rho_c(h(standardised x_c * f_c)) (Eq. 7, 12), as far as the variant goes. */
    Tensor teacherSide(Tensor out) {
        Tensor h = teacherKernel(out);
        return teacherRho != null ? teacherRho.forward(h) : h;
    }

    /** g(standardised x_a (.) f_a) (Eq. 8), or the standardised output for the variants without a kernel. */
    Tensor studentKernel(Tensor out) {
        Tensor z = standardised(out);
        return loss.kernel() ? ExpKernel.forward(Clamp.forward(z, -Z_LIMIT, Z_LIMIT), studentLogWidth, 1, 1) : z;
    }

    /** h(standardised x_c * f_c) (Eq. 7), or the standardised output for the variants without a kernel. */
    Tensor teacherKernel(Tensor out) {
        Tensor z = standardised(out);
        return loss.kernel() ? ExpKernel.forward(Clamp.forward(z, -Z_LIMIT, Z_LIMIT), teacherLogWidth, 2, 2) : z;
    }

    /** Per channel over the batch (and positions), mean 0 and variance 1: a BatchNorm without affine or running statistics. */
    private Tensor standardised(Tensor x) {
        return BatchNorm.forward(x, ones, zeros, unusedMean, unusedVar, true, 0, 1e-5);
    }

    /** What the student's side trains: sigma_a and rho_a. */
    Map<String, Parameter> parameters(String prefix) {
        Map<String, Parameter> p = new LinkedHashMap<>();
        p.put(prefix + "log_sigma_a", studentLogWidth);
        if (studentRho != null) studentRho.parameters().forEach((k, v) -> p.put(prefix + "rho_a." + k, v));
        return p;
    }

    /** Everything of the layer's loss, for the checkpoint. */
    Map<String, Tensor> state(String prefix) {
        Map<String, Tensor> s = new LinkedHashMap<>(parameters(prefix));
        s.put(prefix + "log_sigma_c", teacherLogWidth);
        if (teacherRho != null) teacherRho.state().forEach((k, v) -> s.put(prefix + "rho_c." + k, v));
        return s;
    }
}
