package dev.addernet.kernel;

/**
 * What one filter op does in a block of output columns; {@link ConvKernels} is the driver around it (the
 * reference switch, task split, image groups with their zero border, column blocks, im2col packing, the
 * scatter into the output, the weight gradient's per-task partials and their reduction). Adding an op is a
 * new implementation and one line in {@link #of}.
 *
 * <p>Each call prepares a pass (the weights packed as its tiles want them), shared read-only by the tasks;
 * the driver then calls it once per block with that block's columns.
 */
interface FilterKernel {

    /** The registration: the kernel that computes {@code op} (see {@link Op#computed}). */
    static FilterKernel of(Op op) {
        return switch (op.computed()) {
            case CONV -> Convolution.KERNEL;
            case ADDER -> Adder.KERNEL;
            case BINARY -> throw new AssertionError("a binary layer is computed as a convolution");
        };
    }

    ForwardPass forward(ConvShape s, AdderOptions options, float[] w);

    /** {@code inputGradient}, {@code weightGradient}: which of the two the call computes. */
    BackwardPass backward(ConvShape s, AdderOptions options, float[] w, boolean inputGradient, boolean weightGradient);

    interface ForwardPass {
        /** Which register tiles the blocks run, for {@code bench}'s report. */
        String tiles();

        /** Whether the tiles read the bordered images in place (no im2col) when the shape allows it. */
        default boolean readsInPlace() {
            return false;
        }

        /** Whether the tiles write straight into y with the image's row stride (no block buffer, no scatter). */
        default boolean writesDirect() {
            return false;
        }

        /** Computes the block {@code b}; returns whether y already holds it (else the driver scatters b.out). */
        boolean block(ConvKernels.ForwardBlock b);
    }

    interface BackwardPass {
        /** Which tiles compute the input gradient and which the weight gradient, for {@code bench}'s report. */
        String tiles();

        /** Whether the input gradient reads the block's packed inputs (the weight gradient always does). */
        boolean inputGradientReadsInputs();

        /** Adds the block's share of the weight gradient to the task's partial {@code acc}. */
        void weightBlock(ConvKernels.BackwardBlock b, ConvKernels.WeightPartial acc);

        /** The input gradient of the block's columns, d[tap][column] (b.d), which the driver scatters into gx. */
        void inputBlock(ConvKernels.BackwardBlock b);

        /**
         * Whether the input gradient can be computed in image space for this call ({@link #inputGroup}) when a
         * group's inputs are all >= +0.0: no packing for it, no col2im.
         */
        default boolean inputInImageSpace() {
            return false;
        }

        /**
         * Adds the input gradient of images [g0, g1) into gx, from x and gp: the output gradient of those images
         * copied with its border as {@code layout} lays it out. Called only when {@link #inputInImageSpace}
         * and every input of the group is >= +0.0.
         */
        default void inputGroup(float[] x, PaddedGradient layout, float[] gp, float[] gx, int g0, int g1) {
            throw new UnsupportedOperationException("no image-space input gradient for this op");
        }

        /**
         * Whether the weight gradient is computed from the product G X^T (and the sums of g) that
         * {@link ImageWeightGradient} takes off copies of the images, for this call's shape, instead of by
         * {@link #weightBlock} on packed blocks; {@link #weightGradient} finishes it either way.
         */
        default boolean weightInImageSpace() {
            return false;
        }

        /** A task's empty partial of the weight gradient. */
        ConvKernels.WeightPartial newPartial();

        /**
         * The weight gradient of filter mm, tap t from the tasks' sums: {@code total} (summed in task order) and,
         * for the ops that keep them, the sums of g over each filter's columns ({@code rowSums}).
         */
        double weightGradient(double total, double[] rowSums, float[] w, int mm, int taps, int t);
    }
}
