package dev.addernet.kernel;

/**
 * The geometry of a convolution-like layer over a batch: input [n, c, h, w], filters [m, c, k, k],
 * square stride and zero padding. Linear layers are the case k = 1, h = w = 1.
 *
 * <p>The kernels see the layer as a matrix product over "columns": one column per output position
 * (image, row, col), {@code columns() = n * oh * ow}, and one row per filter tap, {@code taps() = c*k*k}.
 */
public record ConvShape(int n, int c, int h, int w, int m, int k, int stride, int pad) {
    public ConvShape {
        if (n < 1 || c < 1 || h < 1 || w < 1 || m < 1 || k < 1 || stride < 1 || pad < 0) {
            throw new IllegalArgumentException("bad conv shape " + this);
        }
        if (h + 2 * pad < k || w + 2 * pad < k) {
            throw new IllegalArgumentException("kernel " + k + " larger than padded input " + h + "x" + w);
        }
    }

    public int oh() { return (h + 2 * pad - k) / stride + 1; }
    public int ow() { return (w + 2 * pad - k) / stride + 1; }
    public int positions() { return oh() * ow(); }
    public int taps() { return c * k * k; }
    public long columns() { return (long) n * positions(); }
    public int imageSize() { return c * h * w; }
    public int inputSize() { return n * imageSize(); }
    public int outputSize() { return n * m * positions(); }
    public int weightSize() { return m * taps(); }

    /** Multiply-or-|x-w| operations of one forward pass: m * taps * columns. */
    public long elements() { return (long) m * taps() * columns(); }
}
