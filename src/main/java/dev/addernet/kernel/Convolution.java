package dev.addernet.kernel;

import static dev.addernet.kernel.Microkernels.MR;
import static dev.addernet.kernel.Microkernels.NR;
import static dev.addernet.tensor.Shapes.roundUp;

/**
 * The convolution's blocks ({@link ReferenceConv}: y = sum x w and its true gradients): OpenBLAS sgemm where
 * it is there, else the Java FMA tile ({@link Microkernels#fmaTile}) on packed panels.
 */
final class Convolution implements FilterKernel {
    static final Convolution KERNEL = new Convolution();

    private Convolution() {}

    @Override
    public ForwardPass forward(ConvShape s, AdderOptions options, float[] w) {
        final int m = s.m(), taps = s.taps(), mPad = roundUp(m, MR), positions = s.positions();
        final float[] panels = ConvKernels.packPanels(w, m, taps, taps, 1, MR);
        return new ForwardPass() {
            @Override
            public String tiles() {
                return Blas.enabled() ? "OpenBLAS sgemm" : "FMA tile (8 filters x 2 vectors)";
            }

            @Override
            public boolean block(ConvKernels.ForwardBlock b) {
                if (Blas.enabled()) {
                    if (b.j0 % positions + b.nb <= positions) { // the block lies in one image: sgemm writes its rows of y
                        Blas.sgemm(false, false, m, b.nb, taps, 1f, w, 0, taps, b.cols, 0, b.ldx, 0f, b.y, ConvKernels.outputOffset(s, b.j0), positions);
                        return true;
                    }
                    Blas.sgemm(false, false, m, b.ld, taps, 1f, w, 0, taps, b.cols, 0, b.ldx, 0f, b.out, 0, b.ld);
                    return false;
                }
                for (int mt = 0; mt < mPad; mt += MR) {
                    for (int jt = 0; jt < b.ld; jt += NR) Microkernels.fmaTile(panels, mt * taps, b.cols, jt, b.ldx, taps, b.out, mt * b.ld + jt, b.ld);
                }
                return false;
            }
        };
    }

    @Override
    public BackwardPass backward(ConvShape s, AdderOptions options, float[] w, boolean inputGradient, boolean weightGradient) {
        final int m = s.m(), taps = s.taps(), tapsPad = roundUp(taps, MR);
        final boolean blas = Blas.enabled();
        // W^T in panels of MR taps for the FMA tile.
        final float[] wt = inputGradient && !blas ? ConvKernels.packPanels(w, taps, m, 1, taps, MR) : null;
        // G X^T, where the shape allows, off copies of the images (no im2col).
        final boolean weightImageSpace = weightGradient && ImageWeightGradient.applies(s);
        return new BackwardPass() {
            @Override
            public String tiles() {
                return (blas ? "input: OpenBLAS sgemm W^T G" : "input: FMA tile (8 taps x 2 vectors)") + "; weight: "
                        + (weightImageSpace ? ImageWeightGradient.TILES : blas ? "OpenBLAS sgemm" : "4 x 4 dot tiles") + " G X^T";
            }

            @Override
            public boolean weightInImageSpace() {
                return weightImageSpace;
            }

            @Override
            public boolean inputGradientReadsInputs() {
                return false;
            }

            @Override
            public ConvKernels.WeightPartial newPartial() {
                return ConvKernels.WeightPartial.product(s, blas, false);
            }

            @Override
            public void weightBlock(ConvKernels.BackwardBlock b, ConvKernels.WeightPartial acc) {
                acc.addProduct(b);
            }

            @Override
            public void inputBlock(ConvKernels.BackwardBlock b) {
                if (blas) {
                    Blas.sgemm(true, false, taps, b.ld, m, 1f, w, 0, taps, b.g, 0, b.ld, 0f, b.d, 0, b.ld);
                    return;
                }
                for (int ti = 0; ti < tapsPad; ti += MR) {
                    for (int jt = 0; jt < b.ld; jt += NR) Microkernels.fmaTile(wt, ti * m, b.g, jt, b.ld, m, b.d, ti * b.ld + jt, b.ld);
                }
            }

            @Override
            public double weightGradient(double total, double[] rowSums, float[] w, int mm, int taps, int t) {
                return total;
            }
        };
    }
}
