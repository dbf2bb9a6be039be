package dev.addernet.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled inner loops. Each tile keeps its accumulators in registers (named locals, never
 * arrays or fields: a vector that escapes falls back to boxed objects) and produces one output per
 * vector lane, so no horizontal reductions are needed except in the weight gradient's dot-product tiles.
 *
 * <p>Layouts: a "panel" of 8 rows of A is packed as [k][8] so each step broadcasts 8 consecutive
 * floats; B is a packed column block [k][ldb] read as two vectors (32 columns) per step.
 */
final class Microkernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Rows of A per panel. */
    static final int MR = 8;
    /** Columns per tile: two vectors. */
    static final int NR = 2 * L;
    /**
     * Terms summed in registers before they are added to the output in memory (written out inline:
     * a helper method taking a vector would box it once the tile is too large to inline into). Short partial sums keep
     * float32 error small: BatchNorm after an adder layer subtracts means in the thousands.
     */
    static final int KC = 32;
    /**
     * x86 below AVX-512 has 16 vector registers: a tile of 8 accumulators, 8 resident inputs and their
     * operands spills there, so two passes of 4 taps x 1 vector run the input gradient faster than the 4 taps
     * x 2 vectors tile. AVX-512 and other machines have 32.
     */
    static final boolean SIXTEEN_REGISTERS = S.vectorBitSize() < 512
            && System.getProperty("os.arch", "").matches("amd64|x86_64|x86|i386");

    private Microkernels() {}


    /**
     * c[r][j] = -sum_k |b[k][j] - a[k][r]| for 8 rows r and 32 columns j: the adder forward ({@link ReferenceConv#forward}).
     * Row k of the columns is read as two vectors, at b[baseA + rowOff[k]] and b[baseB + rowOff[k]]: a packed
     * im2col block (rowOff[k] = k ldb, bases jt and jt + L) or the bordered image itself (rowOff = the tap
     * offsets, bases = where each vector's patches start; see ConvKernels.forward).
     */
    static void l1Tile(float[] a, int aOff, float[] b, int[] rowOff, int baseA, int baseB, int kLen, float[] c, int cOff, int ldc) {
        for (int k0 = 0; k0 < kLen; k0 += KC) {
            final int k1 = Math.min(kLen, k0 + KC);
            FloatVector c0a = FloatVector.zero(S), c0b = FloatVector.zero(S), c1a = FloatVector.zero(S), c1b = FloatVector.zero(S), c2a = FloatVector.zero(S), c2b = FloatVector.zero(S), c3a = FloatVector.zero(S), c3b = FloatVector.zero(S), c4a = FloatVector.zero(S), c4b = FloatVector.zero(S), c5a = FloatVector.zero(S), c5b = FloatVector.zero(S), c6a = FloatVector.zero(S), c6b = FloatVector.zero(S), c7a = FloatVector.zero(S), c7b = FloatVector.zero(S);
            // Two taps per iteration: half the loop's scalar bookkeeping, which competes with the vector
            // operations for issue slots.
            final int pairsEnd = k0 + ((k1 - k0) & ~1);
            for (int kk2 = k0; kk2 < pairsEnd; kk2 += 2) {
                {
                    final int kk = kk2;
                    final int ro = rowOff[kk], ao = aOff + kk * MR;
                    final FloatVector xa = FloatVector.fromArray(S, b, baseA + ro), xb = FloatVector.fromArray(S, b, baseB + ro);
                    final FloatVector w0 = FloatVector.broadcast(S, a[ao + 0]);
                    c0a = c0a.sub(xa.sub(w0).abs());
                    c0b = c0b.sub(xb.sub(w0).abs());
                    final FloatVector w1 = FloatVector.broadcast(S, a[ao + 1]);
                    c1a = c1a.sub(xa.sub(w1).abs());
                    c1b = c1b.sub(xb.sub(w1).abs());
                    final FloatVector w2 = FloatVector.broadcast(S, a[ao + 2]);
                    c2a = c2a.sub(xa.sub(w2).abs());
                    c2b = c2b.sub(xb.sub(w2).abs());
                    final FloatVector w3 = FloatVector.broadcast(S, a[ao + 3]);
                    c3a = c3a.sub(xa.sub(w3).abs());
                    c3b = c3b.sub(xb.sub(w3).abs());
                    final FloatVector w4 = FloatVector.broadcast(S, a[ao + 4]);
                    c4a = c4a.sub(xa.sub(w4).abs());
                    c4b = c4b.sub(xb.sub(w4).abs());
                    final FloatVector w5 = FloatVector.broadcast(S, a[ao + 5]);
                    c5a = c5a.sub(xa.sub(w5).abs());
                    c5b = c5b.sub(xb.sub(w5).abs());
                    final FloatVector w6 = FloatVector.broadcast(S, a[ao + 6]);
                    c6a = c6a.sub(xa.sub(w6).abs());
                    c6b = c6b.sub(xb.sub(w6).abs());
                    final FloatVector w7 = FloatVector.broadcast(S, a[ao + 7]);
                    c7a = c7a.sub(xa.sub(w7).abs());
                    c7b = c7b.sub(xb.sub(w7).abs());
                }
                {
                    final int kk = kk2 + 1;
                    final int ro = rowOff[kk], ao = aOff + kk * MR;
                    final FloatVector xa = FloatVector.fromArray(S, b, baseA + ro), xb = FloatVector.fromArray(S, b, baseB + ro);
                    final FloatVector w0 = FloatVector.broadcast(S, a[ao + 0]);
                    c0a = c0a.sub(xa.sub(w0).abs());
                    c0b = c0b.sub(xb.sub(w0).abs());
                    final FloatVector w1 = FloatVector.broadcast(S, a[ao + 1]);
                    c1a = c1a.sub(xa.sub(w1).abs());
                    c1b = c1b.sub(xb.sub(w1).abs());
                    final FloatVector w2 = FloatVector.broadcast(S, a[ao + 2]);
                    c2a = c2a.sub(xa.sub(w2).abs());
                    c2b = c2b.sub(xb.sub(w2).abs());
                    final FloatVector w3 = FloatVector.broadcast(S, a[ao + 3]);
                    c3a = c3a.sub(xa.sub(w3).abs());
                    c3b = c3b.sub(xb.sub(w3).abs());
                    final FloatVector w4 = FloatVector.broadcast(S, a[ao + 4]);
                    c4a = c4a.sub(xa.sub(w4).abs());
                    c4b = c4b.sub(xb.sub(w4).abs());
                    final FloatVector w5 = FloatVector.broadcast(S, a[ao + 5]);
                    c5a = c5a.sub(xa.sub(w5).abs());
                    c5b = c5b.sub(xb.sub(w5).abs());
                    final FloatVector w6 = FloatVector.broadcast(S, a[ao + 6]);
                    c6a = c6a.sub(xa.sub(w6).abs());
                    c6b = c6b.sub(xb.sub(w6).abs());
                    final FloatVector w7 = FloatVector.broadcast(S, a[ao + 7]);
                    c7a = c7a.sub(xa.sub(w7).abs());
                    c7b = c7b.sub(xb.sub(w7).abs());
                }
            }
            if (pairsEnd < k1) {
                final int kk = pairsEnd;
                final int ro = rowOff[kk], ao = aOff + kk * MR;
                final FloatVector xa = FloatVector.fromArray(S, b, baseA + ro), xb = FloatVector.fromArray(S, b, baseB + ro);
                final FloatVector w0 = FloatVector.broadcast(S, a[ao + 0]);
                c0a = c0a.sub(xa.sub(w0).abs());
                c0b = c0b.sub(xb.sub(w0).abs());
                final FloatVector w1 = FloatVector.broadcast(S, a[ao + 1]);
                c1a = c1a.sub(xa.sub(w1).abs());
                c1b = c1b.sub(xb.sub(w1).abs());
                final FloatVector w2 = FloatVector.broadcast(S, a[ao + 2]);
                c2a = c2a.sub(xa.sub(w2).abs());
                c2b = c2b.sub(xb.sub(w2).abs());
                final FloatVector w3 = FloatVector.broadcast(S, a[ao + 3]);
                c3a = c3a.sub(xa.sub(w3).abs());
                c3b = c3b.sub(xb.sub(w3).abs());
                final FloatVector w4 = FloatVector.broadcast(S, a[ao + 4]);
                c4a = c4a.sub(xa.sub(w4).abs());
                c4b = c4b.sub(xb.sub(w4).abs());
                final FloatVector w5 = FloatVector.broadcast(S, a[ao + 5]);
                c5a = c5a.sub(xa.sub(w5).abs());
                c5b = c5b.sub(xb.sub(w5).abs());
                final FloatVector w6 = FloatVector.broadcast(S, a[ao + 6]);
                c6a = c6a.sub(xa.sub(w6).abs());
                c6b = c6b.sub(xb.sub(w6).abs());
                final FloatVector w7 = FloatVector.broadcast(S, a[ao + 7]);
                c7a = c7a.sub(xa.sub(w7).abs());
                c7b = c7b.sub(xb.sub(w7).abs());
            }
            if (k0 > 0) {
                c0a.add(FloatVector.fromArray(S, c, cOff + 0 * ldc)).intoArray(c, cOff + 0 * ldc);
                c0b.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + L)).intoArray(c, cOff + 0 * ldc + L);
                c1a.add(FloatVector.fromArray(S, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
                c1b.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + L)).intoArray(c, cOff + 1 * ldc + L);
                c2a.add(FloatVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
                c2b.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + L)).intoArray(c, cOff + 2 * ldc + L);
                c3a.add(FloatVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
                c3b.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + L)).intoArray(c, cOff + 3 * ldc + L);
                c4a.add(FloatVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
                c4b.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + L)).intoArray(c, cOff + 4 * ldc + L);
                c5a.add(FloatVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
                c5b.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + L)).intoArray(c, cOff + 5 * ldc + L);
                c6a.add(FloatVector.fromArray(S, c, cOff + 6 * ldc)).intoArray(c, cOff + 6 * ldc);
                c6b.add(FloatVector.fromArray(S, c, cOff + 6 * ldc + L)).intoArray(c, cOff + 6 * ldc + L);
                c7a.add(FloatVector.fromArray(S, c, cOff + 7 * ldc)).intoArray(c, cOff + 7 * ldc);
                c7b.add(FloatVector.fromArray(S, c, cOff + 7 * ldc + L)).intoArray(c, cOff + 7 * ldc + L);
            } else {
                c0a.intoArray(c, cOff + 0 * ldc);
                c0b.intoArray(c, cOff + 0 * ldc + L);
                c1a.intoArray(c, cOff + 1 * ldc);
                c1b.intoArray(c, cOff + 1 * ldc + L);
                c2a.intoArray(c, cOff + 2 * ldc);
                c2b.intoArray(c, cOff + 2 * ldc + L);
                c3a.intoArray(c, cOff + 3 * ldc);
                c3b.intoArray(c, cOff + 3 * ldc + L);
                c4a.intoArray(c, cOff + 4 * ldc);
                c4b.intoArray(c, cOff + 4 * ldc + L);
                c5a.intoArray(c, cOff + 5 * ldc);
                c5b.intoArray(c, cOff + 5 * ldc + L);
                c6a.intoArray(c, cOff + 6 * ldc);
                c6b.intoArray(c, cOff + 6 * ldc + L);
                c7a.intoArray(c, cOff + 7 * ldc);
                c7b.intoArray(c, cOff + 7 * ldc + L);
            }
        }
    }

    /** c[r][j] = sum_k a[k][r] * b[k][j] for 8 rows and 32 columns: the convolution GEMM. */
    static void fmaTile(float[] a, int aOff, float[] b, int bOff, int ldb, int kLen, float[] c, int cOff, int ldc) {
        for (int k0 = 0; k0 < kLen; k0 += KC) {
            final int k1 = Math.min(kLen, k0 + KC);
            FloatVector c0a = FloatVector.zero(S), c0b = FloatVector.zero(S), c1a = FloatVector.zero(S), c1b = FloatVector.zero(S), c2a = FloatVector.zero(S), c2b = FloatVector.zero(S), c3a = FloatVector.zero(S), c3b = FloatVector.zero(S), c4a = FloatVector.zero(S), c4b = FloatVector.zero(S), c5a = FloatVector.zero(S), c5b = FloatVector.zero(S), c6a = FloatVector.zero(S), c6b = FloatVector.zero(S), c7a = FloatVector.zero(S), c7b = FloatVector.zero(S);
            for (int kk = k0; kk < k1; kk++) {
                final int bo = bOff + kk * ldb, ao = aOff + kk * MR;
                final FloatVector xa = FloatVector.fromArray(S, b, bo), xb = FloatVector.fromArray(S, b, bo + L);
                final FloatVector w0 = FloatVector.broadcast(S, a[ao + 0]);
                c0a = xa.fma(w0, c0a);
                c0b = xb.fma(w0, c0b);
                final FloatVector w1 = FloatVector.broadcast(S, a[ao + 1]);
                c1a = xa.fma(w1, c1a);
                c1b = xb.fma(w1, c1b);
                final FloatVector w2 = FloatVector.broadcast(S, a[ao + 2]);
                c2a = xa.fma(w2, c2a);
                c2b = xb.fma(w2, c2b);
                final FloatVector w3 = FloatVector.broadcast(S, a[ao + 3]);
                c3a = xa.fma(w3, c3a);
                c3b = xb.fma(w3, c3b);
                final FloatVector w4 = FloatVector.broadcast(S, a[ao + 4]);
                c4a = xa.fma(w4, c4a);
                c4b = xb.fma(w4, c4b);
                final FloatVector w5 = FloatVector.broadcast(S, a[ao + 5]);
                c5a = xa.fma(w5, c5a);
                c5b = xb.fma(w5, c5b);
                final FloatVector w6 = FloatVector.broadcast(S, a[ao + 6]);
                c6a = xa.fma(w6, c6a);
                c6b = xb.fma(w6, c6b);
                final FloatVector w7 = FloatVector.broadcast(S, a[ao + 7]);
                c7a = xa.fma(w7, c7a);
                c7b = xb.fma(w7, c7b);
            }
            if (k0 > 0) {
                c0a.add(FloatVector.fromArray(S, c, cOff + 0 * ldc)).intoArray(c, cOff + 0 * ldc);
                c0b.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + L)).intoArray(c, cOff + 0 * ldc + L);
                c1a.add(FloatVector.fromArray(S, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
                c1b.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + L)).intoArray(c, cOff + 1 * ldc + L);
                c2a.add(FloatVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
                c2b.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + L)).intoArray(c, cOff + 2 * ldc + L);
                c3a.add(FloatVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
                c3b.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + L)).intoArray(c, cOff + 3 * ldc + L);
                c4a.add(FloatVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
                c4b.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + L)).intoArray(c, cOff + 4 * ldc + L);
                c5a.add(FloatVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
                c5b.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + L)).intoArray(c, cOff + 5 * ldc + L);
                c6a.add(FloatVector.fromArray(S, c, cOff + 6 * ldc)).intoArray(c, cOff + 6 * ldc);
                c6b.add(FloatVector.fromArray(S, c, cOff + 6 * ldc + L)).intoArray(c, cOff + 6 * ldc + L);
                c7a.add(FloatVector.fromArray(S, c, cOff + 7 * ldc)).intoArray(c, cOff + 7 * ldc);
                c7b.add(FloatVector.fromArray(S, c, cOff + 7 * ldc + L)).intoArray(c, cOff + 7 * ldc + L);
            } else {
                c0a.intoArray(c, cOff + 0 * ldc);
                c0b.intoArray(c, cOff + 0 * ldc + L);
                c1a.intoArray(c, cOff + 1 * ldc);
                c1b.intoArray(c, cOff + 1 * ldc + L);
                c2a.intoArray(c, cOff + 2 * ldc);
                c2b.intoArray(c, cOff + 2 * ldc + L);
                c3a.intoArray(c, cOff + 3 * ldc);
                c3b.intoArray(c, cOff + 3 * ldc + L);
                c4a.intoArray(c, cOff + 4 * ldc);
                c4b.intoArray(c, cOff + 4 * ldc + L);
                c5a.intoArray(c, cOff + 5 * ldc);
                c5b.intoArray(c, cOff + 5 * ldc + L);
                c6a.intoArray(c, cOff + 6 * ldc);
                c6b.intoArray(c, cOff + 6 * ldc + L);
                c7a.intoArray(c, cOff + 7 * ldc);
                c7b.intoArray(c, cOff + 7 * ldc + L);
            }
        }
    }

    /**
     * c[r][j] = sum_k min(b[k][j], a[k][r]) for 8 rows and 32 columns, for inputs b >= +0.0 (after a ReLU):
     * then the adder forward follows from sum |x - w| = sum x + sum w - 2 sum min(x, w), and min costs one
     * integer instruction: for x >= +0.0 the order of the float bit patterns as signed ints is the order
     * of the values whatever the sign of w (a negative w has a negative bit pattern). Two operations per
     * element instead of three (sub, abs, add). Columns are addressed as in {@link #l1Tile}.
     */
    static void minTile(float[] a, int aOff, float[] b, int[] rowOff, int baseA, int baseB, int kLen, float[] c, int cOff, int ldc) {
        for (int k0 = 0; k0 < kLen; k0 += KC) {
            final int k1 = Math.min(kLen, k0 + KC);
            FloatVector c0a = FloatVector.zero(S), c0b = FloatVector.zero(S), c1a = FloatVector.zero(S), c1b = FloatVector.zero(S), c2a = FloatVector.zero(S), c2b = FloatVector.zero(S), c3a = FloatVector.zero(S), c3b = FloatVector.zero(S), c4a = FloatVector.zero(S), c4b = FloatVector.zero(S), c5a = FloatVector.zero(S), c5b = FloatVector.zero(S), c6a = FloatVector.zero(S), c6b = FloatVector.zero(S), c7a = FloatVector.zero(S), c7b = FloatVector.zero(S);
            // Two taps per iteration: half the loop's scalar bookkeeping, which competes with the vector
            // operations for issue slots.
            final int pairsEnd = k0 + ((k1 - k0) & ~1);
            for (int kk2 = k0; kk2 < pairsEnd; kk2 += 2) {
                {
                    final int kk = kk2;
                    final int ro = rowOff[kk], ao = aOff + kk * MR;
                    final IntVector xa = FloatVector.fromArray(S, b, baseA + ro).reinterpretAsInts(), xb = FloatVector.fromArray(S, b, baseB + ro).reinterpretAsInts();
                    final IntVector w0 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 0]));
                    c0a = c0a.add(xa.min(w0).reinterpretAsFloats());
                    c0b = c0b.add(xb.min(w0).reinterpretAsFloats());
                    final IntVector w1 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 1]));
                    c1a = c1a.add(xa.min(w1).reinterpretAsFloats());
                    c1b = c1b.add(xb.min(w1).reinterpretAsFloats());
                    final IntVector w2 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 2]));
                    c2a = c2a.add(xa.min(w2).reinterpretAsFloats());
                    c2b = c2b.add(xb.min(w2).reinterpretAsFloats());
                    final IntVector w3 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 3]));
                    c3a = c3a.add(xa.min(w3).reinterpretAsFloats());
                    c3b = c3b.add(xb.min(w3).reinterpretAsFloats());
                    final IntVector w4 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 4]));
                    c4a = c4a.add(xa.min(w4).reinterpretAsFloats());
                    c4b = c4b.add(xb.min(w4).reinterpretAsFloats());
                    final IntVector w5 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 5]));
                    c5a = c5a.add(xa.min(w5).reinterpretAsFloats());
                    c5b = c5b.add(xb.min(w5).reinterpretAsFloats());
                    final IntVector w6 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 6]));
                    c6a = c6a.add(xa.min(w6).reinterpretAsFloats());
                    c6b = c6b.add(xb.min(w6).reinterpretAsFloats());
                    final IntVector w7 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 7]));
                    c7a = c7a.add(xa.min(w7).reinterpretAsFloats());
                    c7b = c7b.add(xb.min(w7).reinterpretAsFloats());
                }
                {
                    final int kk = kk2 + 1;
                    final int ro = rowOff[kk], ao = aOff + kk * MR;
                    final IntVector xa = FloatVector.fromArray(S, b, baseA + ro).reinterpretAsInts(), xb = FloatVector.fromArray(S, b, baseB + ro).reinterpretAsInts();
                    final IntVector w0 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 0]));
                    c0a = c0a.add(xa.min(w0).reinterpretAsFloats());
                    c0b = c0b.add(xb.min(w0).reinterpretAsFloats());
                    final IntVector w1 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 1]));
                    c1a = c1a.add(xa.min(w1).reinterpretAsFloats());
                    c1b = c1b.add(xb.min(w1).reinterpretAsFloats());
                    final IntVector w2 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 2]));
                    c2a = c2a.add(xa.min(w2).reinterpretAsFloats());
                    c2b = c2b.add(xb.min(w2).reinterpretAsFloats());
                    final IntVector w3 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 3]));
                    c3a = c3a.add(xa.min(w3).reinterpretAsFloats());
                    c3b = c3b.add(xb.min(w3).reinterpretAsFloats());
                    final IntVector w4 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 4]));
                    c4a = c4a.add(xa.min(w4).reinterpretAsFloats());
                    c4b = c4b.add(xb.min(w4).reinterpretAsFloats());
                    final IntVector w5 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 5]));
                    c5a = c5a.add(xa.min(w5).reinterpretAsFloats());
                    c5b = c5b.add(xb.min(w5).reinterpretAsFloats());
                    final IntVector w6 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 6]));
                    c6a = c6a.add(xa.min(w6).reinterpretAsFloats());
                    c6b = c6b.add(xb.min(w6).reinterpretAsFloats());
                    final IntVector w7 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 7]));
                    c7a = c7a.add(xa.min(w7).reinterpretAsFloats());
                    c7b = c7b.add(xb.min(w7).reinterpretAsFloats());
                }
            }
            if (pairsEnd < k1) {
                final int kk = pairsEnd;
                final int ro = rowOff[kk], ao = aOff + kk * MR;
                final IntVector xa = FloatVector.fromArray(S, b, baseA + ro).reinterpretAsInts(), xb = FloatVector.fromArray(S, b, baseB + ro).reinterpretAsInts();
                final IntVector w0 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 0]));
                c0a = c0a.add(xa.min(w0).reinterpretAsFloats());
                c0b = c0b.add(xb.min(w0).reinterpretAsFloats());
                final IntVector w1 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 1]));
                c1a = c1a.add(xa.min(w1).reinterpretAsFloats());
                c1b = c1b.add(xb.min(w1).reinterpretAsFloats());
                final IntVector w2 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 2]));
                c2a = c2a.add(xa.min(w2).reinterpretAsFloats());
                c2b = c2b.add(xb.min(w2).reinterpretAsFloats());
                final IntVector w3 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 3]));
                c3a = c3a.add(xa.min(w3).reinterpretAsFloats());
                c3b = c3b.add(xb.min(w3).reinterpretAsFloats());
                final IntVector w4 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 4]));
                c4a = c4a.add(xa.min(w4).reinterpretAsFloats());
                c4b = c4b.add(xb.min(w4).reinterpretAsFloats());
                final IntVector w5 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 5]));
                c5a = c5a.add(xa.min(w5).reinterpretAsFloats());
                c5b = c5b.add(xb.min(w5).reinterpretAsFloats());
                final IntVector w6 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 6]));
                c6a = c6a.add(xa.min(w6).reinterpretAsFloats());
                c6b = c6b.add(xb.min(w6).reinterpretAsFloats());
                final IntVector w7 = IntVector.broadcast(I, Float.floatToRawIntBits(a[ao + 7]));
                c7a = c7a.add(xa.min(w7).reinterpretAsFloats());
                c7b = c7b.add(xb.min(w7).reinterpretAsFloats());
            }
            if (k0 > 0) {
                c0a.add(FloatVector.fromArray(S, c, cOff + 0 * ldc)).intoArray(c, cOff + 0 * ldc);
                c0b.add(FloatVector.fromArray(S, c, cOff + 0 * ldc + L)).intoArray(c, cOff + 0 * ldc + L);
                c1a.add(FloatVector.fromArray(S, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
                c1b.add(FloatVector.fromArray(S, c, cOff + 1 * ldc + L)).intoArray(c, cOff + 1 * ldc + L);
                c2a.add(FloatVector.fromArray(S, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
                c2b.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + L)).intoArray(c, cOff + 2 * ldc + L);
                c3a.add(FloatVector.fromArray(S, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
                c3b.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + L)).intoArray(c, cOff + 3 * ldc + L);
                c4a.add(FloatVector.fromArray(S, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
                c4b.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + L)).intoArray(c, cOff + 4 * ldc + L);
                c5a.add(FloatVector.fromArray(S, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
                c5b.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + L)).intoArray(c, cOff + 5 * ldc + L);
                c6a.add(FloatVector.fromArray(S, c, cOff + 6 * ldc)).intoArray(c, cOff + 6 * ldc);
                c6b.add(FloatVector.fromArray(S, c, cOff + 6 * ldc + L)).intoArray(c, cOff + 6 * ldc + L);
                c7a.add(FloatVector.fromArray(S, c, cOff + 7 * ldc)).intoArray(c, cOff + 7 * ldc);
                c7b.add(FloatVector.fromArray(S, c, cOff + 7 * ldc + L)).intoArray(c, cOff + 7 * ldc + L);
            } else {
                c0a.intoArray(c, cOff + 0 * ldc);
                c0b.intoArray(c, cOff + 0 * ldc + L);
                c1a.intoArray(c, cOff + 1 * ldc);
                c1b.intoArray(c, cOff + 1 * ldc + L);
                c2a.intoArray(c, cOff + 2 * ldc);
                c2b.intoArray(c, cOff + 2 * ldc + L);
                c3a.intoArray(c, cOff + 3 * ldc);
                c3b.intoArray(c, cOff + 3 * ldc + L);
                c4a.intoArray(c, cOff + 4 * ldc);
                c4b.intoArray(c, cOff + 4 * ldc + L);
                c5a.intoArray(c, cOff + 5 * ldc);
                c5b.intoArray(c, cOff + 5 * ldc + L);
                c6a.intoArray(c, cOff + 6 * ldc);
                c6b.intoArray(c, cOff + 6 * ldc + L);
                c7a.intoArray(c, cOff + 7 * ldc);
                c7b.intoArray(c, cOff + 7 * ldc + L);
            }
        }
    }

    /**
     * The adder input gradient for 4 taps t and 32 columns j:
     * d[t][j] = sum_m HardTanh(w[m][t] - x[t][j]) * g[m][j] ({@link ReferenceConv#inputGradient} at p = 1).
     *
     * <p>HardTanh(u) = (|u + 1| - |u - 1|) / 2 costs two subtractions and two abs (sign-bit masks) where
     * a min/max clamp costs several instructions each on x86 (Java's min/max NaN and -0.0 rules), so
     * the tile computes (|(w + 1) - x| - |(w - 1) - x|) * g and halves the sum at the end.
     * {@code wpm} holds w + 1, w - 1 (and w, for {@link #clampTile}) of the 4 taps, packed [m][12] (see {@link ConvKernels}); rounding
     * w +/- 1 to float moves the result by at most about 1e-7 absolute, the order of the sum's own error.
     */
    static void hardTanhTile(float[] wpm, int wOff, float[] x, int xOff, int ldx, float[] g, int gOff, int ldg,
                             int mLen, float[] d, int dOff, int ldd) {
        if (SIXTEEN_REGISTERS) {
            hardTanhColumn(wpm, wOff, x, xOff, ldx, g, gOff, ldg, mLen, d, dOff, ldd);
            hardTanhColumn(wpm, wOff, x, xOff + L, ldx, g, gOff + L, ldg, mLen, d, dOff + L, ldd);
            return;
        }
        final FloatVector x0a = FloatVector.fromArray(S, x, xOff + 0 * ldx), x0b = FloatVector.fromArray(S, x, xOff + 0 * ldx + L);
        final FloatVector x1a = FloatVector.fromArray(S, x, xOff + 1 * ldx), x1b = FloatVector.fromArray(S, x, xOff + 1 * ldx + L);
        final FloatVector x2a = FloatVector.fromArray(S, x, xOff + 2 * ldx), x2b = FloatVector.fromArray(S, x, xOff + 2 * ldx + L);
        final FloatVector x3a = FloatVector.fromArray(S, x, xOff + 3 * ldx), x3b = FloatVector.fromArray(S, x, xOff + 3 * ldx + L);
        FloatVector d0a = FloatVector.zero(S), d0b = FloatVector.zero(S), d1a = FloatVector.zero(S), d1b = FloatVector.zero(S), d2a = FloatVector.zero(S), d2b = FloatVector.zero(S), d3a = FloatVector.zero(S), d3b = FloatVector.zero(S);
        for (int mm = 0; mm < mLen; mm++) {
            final int go = gOff + mm * ldg, wo = wOff + mm * 12;
            final FloatVector ga = FloatVector.fromArray(S, g, go), gb = FloatVector.fromArray(S, g, go + L);
            final FloatVector p0 = FloatVector.broadcast(S, wpm[wo + 0]), q0 = FloatVector.broadcast(S, wpm[wo + 4]);
            d0a = p0.sub(x0a).abs().sub(q0.sub(x0a).abs()).fma(ga, d0a);
            d0b = p0.sub(x0b).abs().sub(q0.sub(x0b).abs()).fma(gb, d0b);
            final FloatVector p1 = FloatVector.broadcast(S, wpm[wo + 1]), q1 = FloatVector.broadcast(S, wpm[wo + 5]);
            d1a = p1.sub(x1a).abs().sub(q1.sub(x1a).abs()).fma(ga, d1a);
            d1b = p1.sub(x1b).abs().sub(q1.sub(x1b).abs()).fma(gb, d1b);
            final FloatVector p2 = FloatVector.broadcast(S, wpm[wo + 2]), q2 = FloatVector.broadcast(S, wpm[wo + 6]);
            d2a = p2.sub(x2a).abs().sub(q2.sub(x2a).abs()).fma(ga, d2a);
            d2b = p2.sub(x2b).abs().sub(q2.sub(x2b).abs()).fma(gb, d2b);
            final FloatVector p3 = FloatVector.broadcast(S, wpm[wo + 3]), q3 = FloatVector.broadcast(S, wpm[wo + 7]);
            d3a = p3.sub(x3a).abs().sub(q3.sub(x3a).abs()).fma(ga, d3a);
            d3b = p3.sub(x3b).abs().sub(q3.sub(x3b).abs()).fma(gb, d3b);
        }
        d0a.mul(0.5f).intoArray(d, dOff + 0 * ldd);
        d0b.mul(0.5f).intoArray(d, dOff + 0 * ldd + L);
        d1a.mul(0.5f).intoArray(d, dOff + 1 * ldd);
        d1b.mul(0.5f).intoArray(d, dOff + 1 * ldd + L);
        d2a.mul(0.5f).intoArray(d, dOff + 2 * ldd);
        d2b.mul(0.5f).intoArray(d, dOff + 2 * ldd + L);
        d3a.mul(0.5f).intoArray(d, dOff + 3 * ldd);
        d3b.mul(0.5f).intoArray(d, dOff + 3 * ldd + L);
    }

    /**
     * {@link #hardTanhTile} for 4 taps and one vector of columns, with the same operations in the same
     * order (bit-identical results): the tile for 16-register machines, called once per vector.
     */
    static void hardTanhColumn(float[] wpm, int wOff, float[] x, int xOff, int ldx, float[] g, int gOff, int ldg,
                                       int mLen, float[] d, int dOff, int ldd) {
        final FloatVector x0 = FloatVector.fromArray(S, x, xOff + 0 * ldx), x1 = FloatVector.fromArray(S, x, xOff + 1 * ldx);
        final FloatVector x2 = FloatVector.fromArray(S, x, xOff + 2 * ldx), x3 = FloatVector.fromArray(S, x, xOff + 3 * ldx);
        FloatVector d0 = FloatVector.zero(S), d1 = FloatVector.zero(S), d2 = FloatVector.zero(S), d3 = FloatVector.zero(S);
        for (int mm = 0; mm < mLen; mm++) {
            final int wo = wOff + mm * 12;
            final FloatVector gv = FloatVector.fromArray(S, g, gOff + mm * ldg);
            d0 = FloatVector.broadcast(S, wpm[wo + 0]).sub(x0).abs().sub(FloatVector.broadcast(S, wpm[wo + 4]).sub(x0).abs()).fma(gv, d0);
            d1 = FloatVector.broadcast(S, wpm[wo + 1]).sub(x1).abs().sub(FloatVector.broadcast(S, wpm[wo + 5]).sub(x1).abs()).fma(gv, d1);
            d2 = FloatVector.broadcast(S, wpm[wo + 2]).sub(x2).abs().sub(FloatVector.broadcast(S, wpm[wo + 6]).sub(x2).abs()).fma(gv, d2);
            d3 = FloatVector.broadcast(S, wpm[wo + 3]).sub(x3).abs().sub(FloatVector.broadcast(S, wpm[wo + 7]).sub(x3).abs()).fma(gv, d3);
        }
        d0.mul(0.5f).intoArray(d, dOff + 0 * ldd);
        d1.mul(0.5f).intoArray(d, dOff + 1 * ldd);
        d2.mul(0.5f).intoArray(d, dOff + 2 * ldd);
        d3.mul(0.5f).intoArray(d, dOff + 3 * ldd);
    }

    /**
     * {@link #hardTanhTile} for inputs x >= +0.0 (after a ReLU, as every adder layer's input in the model
     * zoo): HardTanh(w - x) = w - clamp(x, w - 1, w + 1), and the clamp is a signed integer max and min of
     * the float bit patterns, one instruction each: with x >= +0.0 the order of the patterns as ints is the
     * order of the values whatever the sign of the bounds (as in {@link #minTile}). Four operations per
     * element instead of six. {@code wpm} as for {@link #hardTanhTile}: w + 1, w - 1 and w of the 4 taps.
     */
    static void clampTile(float[] wpm, int wOff, float[] x, int xOff, int ldx, float[] g, int gOff, int ldg,
                          int mLen, float[] d, int dOff, int ldd) {
        if (SIXTEEN_REGISTERS) {
            clampColumn(wpm, wOff, x, xOff, ldx, g, gOff, ldg, mLen, d, dOff, ldd);
            clampColumn(wpm, wOff, x, xOff + L, ldx, g, gOff + L, ldg, mLen, d, dOff + L, ldd);
            return;
        }
        final IntVector x0a = FloatVector.fromArray(S, x, xOff + 0 * ldx).reinterpretAsInts(), x0b = FloatVector.fromArray(S, x, xOff + 0 * ldx + L).reinterpretAsInts();
        final IntVector x1a = FloatVector.fromArray(S, x, xOff + 1 * ldx).reinterpretAsInts(), x1b = FloatVector.fromArray(S, x, xOff + 1 * ldx + L).reinterpretAsInts();
        final IntVector x2a = FloatVector.fromArray(S, x, xOff + 2 * ldx).reinterpretAsInts(), x2b = FloatVector.fromArray(S, x, xOff + 2 * ldx + L).reinterpretAsInts();
        final IntVector x3a = FloatVector.fromArray(S, x, xOff + 3 * ldx).reinterpretAsInts(), x3b = FloatVector.fromArray(S, x, xOff + 3 * ldx + L).reinterpretAsInts();
        FloatVector d0a = FloatVector.zero(S), d0b = FloatVector.zero(S), d1a = FloatVector.zero(S), d1b = FloatVector.zero(S), d2a = FloatVector.zero(S), d2b = FloatVector.zero(S), d3a = FloatVector.zero(S), d3b = FloatVector.zero(S);
        for (int mm = 0; mm < mLen; mm++) {
            final int go = gOff + mm * ldg, wo = wOff + mm * 12;
            final FloatVector ga = FloatVector.fromArray(S, g, go), gb = FloatVector.fromArray(S, g, go + L);
            final IntVector p0 = IntVector.broadcast(I, Float.floatToRawIntBits(wpm[wo + 0])), q0 = IntVector.broadcast(I, Float.floatToRawIntBits(wpm[wo + 4]));
            final FloatVector w0 = FloatVector.broadcast(S, wpm[wo + 8]);
            d0a = w0.sub(x0a.max(q0).min(p0).reinterpretAsFloats()).fma(ga, d0a);
            d0b = w0.sub(x0b.max(q0).min(p0).reinterpretAsFloats()).fma(gb, d0b);
            final IntVector p1 = IntVector.broadcast(I, Float.floatToRawIntBits(wpm[wo + 1])), q1 = IntVector.broadcast(I, Float.floatToRawIntBits(wpm[wo + 5]));
            final FloatVector w1 = FloatVector.broadcast(S, wpm[wo + 9]);
            d1a = w1.sub(x1a.max(q1).min(p1).reinterpretAsFloats()).fma(ga, d1a);
            d1b = w1.sub(x1b.max(q1).min(p1).reinterpretAsFloats()).fma(gb, d1b);
            final IntVector p2 = IntVector.broadcast(I, Float.floatToRawIntBits(wpm[wo + 2])), q2 = IntVector.broadcast(I, Float.floatToRawIntBits(wpm[wo + 6]));
            final FloatVector w2 = FloatVector.broadcast(S, wpm[wo + 10]);
            d2a = w2.sub(x2a.max(q2).min(p2).reinterpretAsFloats()).fma(ga, d2a);
            d2b = w2.sub(x2b.max(q2).min(p2).reinterpretAsFloats()).fma(gb, d2b);
            final IntVector p3 = IntVector.broadcast(I, Float.floatToRawIntBits(wpm[wo + 3])), q3 = IntVector.broadcast(I, Float.floatToRawIntBits(wpm[wo + 7]));
            final FloatVector w3 = FloatVector.broadcast(S, wpm[wo + 11]);
            d3a = w3.sub(x3a.max(q3).min(p3).reinterpretAsFloats()).fma(ga, d3a);
            d3b = w3.sub(x3b.max(q3).min(p3).reinterpretAsFloats()).fma(gb, d3b);
        }
        d0a.intoArray(d, dOff + 0 * ldd);
        d0b.intoArray(d, dOff + 0 * ldd + L);
        d1a.intoArray(d, dOff + 1 * ldd);
        d1b.intoArray(d, dOff + 1 * ldd + L);
        d2a.intoArray(d, dOff + 2 * ldd);
        d2b.intoArray(d, dOff + 2 * ldd + L);
        d3a.intoArray(d, dOff + 3 * ldd);
        d3b.intoArray(d, dOff + 3 * ldd + L);
    }

    /**
     * {@link #clampTile} for 4 taps and one vector of columns, with the same operations in the same order
     * (bit-identical results): the shape for 16-register machines, called once per vector.
     */
    static void clampColumn(float[] wpm, int wOff, float[] x, int xOff, int ldx, float[] g, int gOff, int ldg,
                            int mLen, float[] d, int dOff, int ldd) {
        final IntVector x0 = FloatVector.fromArray(S, x, xOff + 0 * ldx).reinterpretAsInts();
        final IntVector x1 = FloatVector.fromArray(S, x, xOff + 1 * ldx).reinterpretAsInts();
        final IntVector x2 = FloatVector.fromArray(S, x, xOff + 2 * ldx).reinterpretAsInts();
        final IntVector x3 = FloatVector.fromArray(S, x, xOff + 3 * ldx).reinterpretAsInts();
        FloatVector d0 = FloatVector.zero(S), d1 = FloatVector.zero(S), d2 = FloatVector.zero(S), d3 = FloatVector.zero(S);
        for (int mm = 0; mm < mLen; mm++) {
            final int wo = wOff + mm * 12;
            final FloatVector gv = FloatVector.fromArray(S, g, gOff + mm * ldg);
            d0 = FloatVector.broadcast(S, wpm[wo + 8]).sub(x0.max(IntVector.broadcast(I, Float.floatToRawIntBits(wpm[wo + 4]))).min(IntVector.broadcast(I, Float.floatToRawIntBits(wpm[wo + 0]))).reinterpretAsFloats()).fma(gv, d0);
            d1 = FloatVector.broadcast(S, wpm[wo + 9]).sub(x1.max(IntVector.broadcast(I, Float.floatToRawIntBits(wpm[wo + 5]))).min(IntVector.broadcast(I, Float.floatToRawIntBits(wpm[wo + 1]))).reinterpretAsFloats()).fma(gv, d1);
            d2 = FloatVector.broadcast(S, wpm[wo + 10]).sub(x2.max(IntVector.broadcast(I, Float.floatToRawIntBits(wpm[wo + 6]))).min(IntVector.broadcast(I, Float.floatToRawIntBits(wpm[wo + 2]))).reinterpretAsFloats()).fma(gv, d2);
            d3 = FloatVector.broadcast(S, wpm[wo + 11]).sub(x3.max(IntVector.broadcast(I, Float.floatToRawIntBits(wpm[wo + 7]))).min(IntVector.broadcast(I, Float.floatToRawIntBits(wpm[wo + 3]))).reinterpretAsFloats()).fma(gv, d3);
        }
        d0.intoArray(d, dOff + 0 * ldd);
        d1.intoArray(d, dOff + 1 * ldd);
        d2.intoArray(d, dOff + 2 * ldd);
        d3.intoArray(d, dOff + 3 * ldd);
    }

    /**
     * The HardTanh input gradient of a stride-1 adder layer in image space, for inputs x >= +0.0 (as
     * {@link #clampTile}): for 2 channels and 4 vectors of pixels (at xa + i L; the second channel at + ldx),
     * d = sum over the taps t and filters mm of (w - clamp(x, w - 1, w + 1)) g, with g of filter mm and tap t
     * at gp[gA + mm * ldg + gShift[t]] (the other vectors' at gB, gC, gD), the output gradient with a border so
     * that every tap of every pixel reads a real value or a zero; d is added into dx at the pixels' own places.
     * One pixel's x is the same for every tap that reads it, so nothing is packed and nothing scattered.
     * {@code wpd} holds, from wOff, for each tap t and filter mm, 12 floats: w + 1 of 4 channels, then w - 1,
     * then w; the tile reads lanes {@code lane} and {@code lane + 1}. Two channels by four vectors rather than
     * four by two: half the weight broadcasts per operation for twice the gradient loads, the cheaper mix here
     * (docs/benchmarks.md); its 16 accumulators and inputs need 32 vector registers.
     */
    static void clampImageTile(float[] wpd, int wOff, int lane, int kk, int m, float[] x, int xa, int ldx,
                                  float[] gp, int gA, int gB, int gC, int gD, int ldg, int[] gShift, float[] dx) {
        final IntVector x0a = FloatVector.fromArray(S, x, xa).reinterpretAsInts(), x0b = FloatVector.fromArray(S, x, xa + L).reinterpretAsInts();
        final IntVector x0c = FloatVector.fromArray(S, x, xa + 2 * L).reinterpretAsInts(), x0d = FloatVector.fromArray(S, x, xa + 3 * L).reinterpretAsInts();
        final IntVector x1a = FloatVector.fromArray(S, x, xa + ldx).reinterpretAsInts(), x1b = FloatVector.fromArray(S, x, xa + ldx + L).reinterpretAsInts();
        final IntVector x1c = FloatVector.fromArray(S, x, xa + ldx + 2 * L).reinterpretAsInts(), x1d = FloatVector.fromArray(S, x, xa + ldx + 3 * L).reinterpretAsInts();
        FloatVector d0a = FloatVector.zero(S), d0b = FloatVector.zero(S), d0c = FloatVector.zero(S), d0d = FloatVector.zero(S);
        FloatVector d1a = FloatVector.zero(S), d1b = FloatVector.zero(S), d1c = FloatVector.zero(S), d1d = FloatVector.zero(S);
        for (int t = 0; t < kk; t++) {
            final int sh = gShift[t], sa = gA + sh, sb = gB + sh, sc = gC + sh, sd = gD + sh, wt = wOff + t * m * 12 + lane;
            for (int mm = 0; mm < m; mm++) {
                final int wo = wt + mm * 12, go = mm * ldg;
                final FloatVector ga = FloatVector.fromArray(S, gp, sa + go), gb = FloatVector.fromArray(S, gp, sb + go);
                final FloatVector gc = FloatVector.fromArray(S, gp, sc + go), gd = FloatVector.fromArray(S, gp, sd + go);
                final IntVector p0 = IntVector.broadcast(I, Float.floatToRawIntBits(wpd[wo])), q0 = IntVector.broadcast(I, Float.floatToRawIntBits(wpd[wo + 4]));
                final FloatVector w0 = FloatVector.broadcast(S, wpd[wo + 8]);
                d0a = w0.sub(x0a.max(q0).min(p0).reinterpretAsFloats()).fma(ga, d0a);
                d0b = w0.sub(x0b.max(q0).min(p0).reinterpretAsFloats()).fma(gb, d0b);
                d0c = w0.sub(x0c.max(q0).min(p0).reinterpretAsFloats()).fma(gc, d0c);
                d0d = w0.sub(x0d.max(q0).min(p0).reinterpretAsFloats()).fma(gd, d0d);
                final IntVector p1 = IntVector.broadcast(I, Float.floatToRawIntBits(wpd[wo + 1])), q1 = IntVector.broadcast(I, Float.floatToRawIntBits(wpd[wo + 5]));
                final FloatVector w1 = FloatVector.broadcast(S, wpd[wo + 9]);
                d1a = w1.sub(x1a.max(q1).min(p1).reinterpretAsFloats()).fma(ga, d1a);
                d1b = w1.sub(x1b.max(q1).min(p1).reinterpretAsFloats()).fma(gb, d1b);
                d1c = w1.sub(x1c.max(q1).min(p1).reinterpretAsFloats()).fma(gc, d1c);
                d1d = w1.sub(x1d.max(q1).min(p1).reinterpretAsFloats()).fma(gd, d1d);
            }
        }
        FloatVector.fromArray(S, dx, xa).add(d0a).intoArray(dx, xa);
        FloatVector.fromArray(S, dx, xa + L).add(d0b).intoArray(dx, xa + L);
        FloatVector.fromArray(S, dx, xa + 2 * L).add(d0c).intoArray(dx, xa + 2 * L);
        FloatVector.fromArray(S, dx, xa + 3 * L).add(d0d).intoArray(dx, xa + 3 * L);
        FloatVector.fromArray(S, dx, xa + ldx).add(d1a).intoArray(dx, xa + ldx);
        FloatVector.fromArray(S, dx, xa + ldx + L).add(d1b).intoArray(dx, xa + ldx + L);
        FloatVector.fromArray(S, dx, xa + ldx + 2 * L).add(d1c).intoArray(dx, xa + ldx + 2 * L);
        FloatVector.fromArray(S, dx, xa + ldx + 3 * L).add(d1d).intoArray(dx, xa + ldx + 3 * L);
    }

    /**
     * {@link #clampImageTile} for 4 channels (every lane of the panels) and one vector of pixels, with the same
     * operations in the same order (bit-identical results): for 16-register machines, and for a plane's last
     * vectors when their count is not a multiple of 4.
     */
    static void clampImageColumn(float[] wpd, int wOff, int kk, int m, float[] x, int xa, int ldx,
                                 float[] gp, int gA, int ldg, int[] gShift, float[] dx) {
        final IntVector x0 = FloatVector.fromArray(S, x, xa).reinterpretAsInts(), x1 = FloatVector.fromArray(S, x, xa + ldx).reinterpretAsInts();
        final IntVector x2 = FloatVector.fromArray(S, x, xa + 2 * ldx).reinterpretAsInts(), x3 = FloatVector.fromArray(S, x, xa + 3 * ldx).reinterpretAsInts();
        FloatVector d0 = FloatVector.zero(S), d1 = FloatVector.zero(S), d2 = FloatVector.zero(S), d3 = FloatVector.zero(S);
        for (int t = 0; t < kk; t++) {
            final int sa = gA + gShift[t], wt = wOff + t * m * 12;
            for (int mm = 0; mm < m; mm++) {
                final int wo = wt + mm * 12;
                final FloatVector gv = FloatVector.fromArray(S, gp, sa + mm * ldg);
                d0 = FloatVector.broadcast(S, wpd[wo + 8]).sub(x0.max(IntVector.broadcast(I, Float.floatToRawIntBits(wpd[wo + 4]))).min(IntVector.broadcast(I, Float.floatToRawIntBits(wpd[wo + 0]))).reinterpretAsFloats()).fma(gv, d0);
                d1 = FloatVector.broadcast(S, wpd[wo + 9]).sub(x1.max(IntVector.broadcast(I, Float.floatToRawIntBits(wpd[wo + 5]))).min(IntVector.broadcast(I, Float.floatToRawIntBits(wpd[wo + 1]))).reinterpretAsFloats()).fma(gv, d1);
                d2 = FloatVector.broadcast(S, wpd[wo + 10]).sub(x2.max(IntVector.broadcast(I, Float.floatToRawIntBits(wpd[wo + 6]))).min(IntVector.broadcast(I, Float.floatToRawIntBits(wpd[wo + 2]))).reinterpretAsFloats()).fma(gv, d2);
                d3 = FloatVector.broadcast(S, wpd[wo + 11]).sub(x3.max(IntVector.broadcast(I, Float.floatToRawIntBits(wpd[wo + 7]))).min(IntVector.broadcast(I, Float.floatToRawIntBits(wpd[wo + 3]))).reinterpretAsFloats()).fma(gv, d3);
            }
        }
        FloatVector.fromArray(S, dx, xa).add(d0).intoArray(dx, xa);
        FloatVector.fromArray(S, dx, xa + ldx).add(d1).intoArray(dx, xa + ldx);
        FloatVector.fromArray(S, dx, xa + 2 * ldx).add(d2).intoArray(dx, xa + 2 * ldx);
        FloatVector.fromArray(S, dx, xa + 3 * ldx).add(d3).intoArray(dx, xa + 3 * ldx);
    }

    /**
     * The sign weight gradient of the papers' ablation ({@link ReferenceConv#backward}) for 2 filters i and 4
     * taps t: acc[4i + t] += sum_j sgn(x[t][j] - w[i][t]) * g[i][j] over j in [0, len) (len a multiple of
     * the vector length), sgn(0) = 0. {@code w} holds w[i][t] at wOff + i * ldw + t.
     */
    static void signDot2x4(float[] g, int gOff, int ldg, float[] x, int xOff, int ldx, int len, float[] w, int wOff, int ldw,
                           double[] acc, int accOff) {
        final IntVector sign = IntVector.broadcast(I, 0x80000000), one = IntVector.broadcast(I, 0x3f800000);
        final FloatVector zero = FloatVector.zero(S);
        final FloatVector w00 = FloatVector.broadcast(S, w[wOff + 0 * ldw + 0]);
        final FloatVector w01 = FloatVector.broadcast(S, w[wOff + 0 * ldw + 1]);
        final FloatVector w02 = FloatVector.broadcast(S, w[wOff + 0 * ldw + 2]);
        final FloatVector w03 = FloatVector.broadcast(S, w[wOff + 0 * ldw + 3]);
        final FloatVector w10 = FloatVector.broadcast(S, w[wOff + 1 * ldw + 0]);
        final FloatVector w11 = FloatVector.broadcast(S, w[wOff + 1 * ldw + 1]);
        final FloatVector w12 = FloatVector.broadcast(S, w[wOff + 1 * ldw + 2]);
        final FloatVector w13 = FloatVector.broadcast(S, w[wOff + 1 * ldw + 3]);
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S), s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S);
        for (int j = 0; j < len; j += L) {
            final FloatVector g0 = FloatVector.fromArray(S, g, gOff + 0 * ldg + j);
            final FloatVector g1 = FloatVector.fromArray(S, g, gOff + 1 * ldg + j);
            final FloatVector x0 = FloatVector.fromArray(S, x, xOff + 0 * ldx + j);
            final FloatVector x1 = FloatVector.fromArray(S, x, xOff + 1 * ldx + j);
            final FloatVector x2 = FloatVector.fromArray(S, x, xOff + 2 * ldx + j);
            final FloatVector x3 = FloatVector.fromArray(S, x, xOff + 3 * ldx + j);
            final FloatVector d00 = x0.sub(w00);
            final FloatVector u00 = d00.reinterpretAsInts().and(sign).or(one).reinterpretAsFloats();
            s00 = u00.blend(zero, d00.compare(VectorOperators.EQ, zero)).fma(g0, s00);
            final FloatVector d01 = x1.sub(w01);
            final FloatVector u01 = d01.reinterpretAsInts().and(sign).or(one).reinterpretAsFloats();
            s01 = u01.blend(zero, d01.compare(VectorOperators.EQ, zero)).fma(g0, s01);
            final FloatVector d02 = x2.sub(w02);
            final FloatVector u02 = d02.reinterpretAsInts().and(sign).or(one).reinterpretAsFloats();
            s02 = u02.blend(zero, d02.compare(VectorOperators.EQ, zero)).fma(g0, s02);
            final FloatVector d03 = x3.sub(w03);
            final FloatVector u03 = d03.reinterpretAsInts().and(sign).or(one).reinterpretAsFloats();
            s03 = u03.blend(zero, d03.compare(VectorOperators.EQ, zero)).fma(g0, s03);
            final FloatVector d10 = x0.sub(w10);
            final FloatVector u10 = d10.reinterpretAsInts().and(sign).or(one).reinterpretAsFloats();
            s10 = u10.blend(zero, d10.compare(VectorOperators.EQ, zero)).fma(g1, s10);
            final FloatVector d11 = x1.sub(w11);
            final FloatVector u11 = d11.reinterpretAsInts().and(sign).or(one).reinterpretAsFloats();
            s11 = u11.blend(zero, d11.compare(VectorOperators.EQ, zero)).fma(g1, s11);
            final FloatVector d12 = x2.sub(w12);
            final FloatVector u12 = d12.reinterpretAsInts().and(sign).or(one).reinterpretAsFloats();
            s12 = u12.blend(zero, d12.compare(VectorOperators.EQ, zero)).fma(g1, s12);
            final FloatVector d13 = x3.sub(w13);
            final FloatVector u13 = d13.reinterpretAsInts().and(sign).or(one).reinterpretAsFloats();
            s13 = u13.blend(zero, d13.compare(VectorOperators.EQ, zero)).fma(g1, s13);
        }
        acc[accOff + 0] += s00.reduceLanes(VectorOperators.ADD);
        acc[accOff + 1] += s01.reduceLanes(VectorOperators.ADD);
        acc[accOff + 2] += s02.reduceLanes(VectorOperators.ADD);
        acc[accOff + 3] += s03.reduceLanes(VectorOperators.ADD);
        acc[accOff + 4] += s10.reduceLanes(VectorOperators.ADD);
        acc[accOff + 5] += s11.reduceLanes(VectorOperators.ADD);
        acc[accOff + 6] += s12.reduceLanes(VectorOperators.ADD);
        acc[accOff + 7] += s13.reduceLanes(VectorOperators.ADD);
    }

    /**
     * The sums over images and j in [0, len) (a multiple of the vector length) of g[i][j] * x[t][j], for 4 rows of g
     * (at gOff + i ldg, each image gImage further) and 4 rows of x (at xa, xb, xc, xd, each image xImage further):
     * the weight-gradient product G X^T, on packed blocks (one image) or read off the images
     * ({@link ImageWeightGradient}). Added to {@code lanes[accOff + (4 i + t) L + lane]}, kept per lane for the caller
     * to reduce when it will, or, with {@code lanes} null, reduced here and added to {@code sums[accOff + 4 i + t]}.
     */
    static void dot4x4(float[] g, int gOff, int ldg, int len, int gImage, float[] x, int xa, int xb, int xc, int xd, int xImage,
                       int images, float[] lanes, double[] sums, int accOff) {
        FloatVector s00 = FloatVector.zero(S), s01 = FloatVector.zero(S), s02 = FloatVector.zero(S), s03 = FloatVector.zero(S), s10 = FloatVector.zero(S), s11 = FloatVector.zero(S), s12 = FloatVector.zero(S), s13 = FloatVector.zero(S), s20 = FloatVector.zero(S), s21 = FloatVector.zero(S), s22 = FloatVector.zero(S), s23 = FloatVector.zero(S), s30 = FloatVector.zero(S), s31 = FloatVector.zero(S), s32 = FloatVector.zero(S), s33 = FloatVector.zero(S);
        for (int img = 0; img < images; img++) {
            final int go = gOff + img * gImage, xo = img * xImage;
            for (int j = 0; j < len; j += L) {
                final FloatVector g0 = FloatVector.fromArray(S, g, go + j);
                final FloatVector g1 = FloatVector.fromArray(S, g, go + ldg + j);
                final FloatVector g2 = FloatVector.fromArray(S, g, go + 2 * ldg + j);
                final FloatVector g3 = FloatVector.fromArray(S, g, go + 3 * ldg + j);
                final FloatVector x0 = FloatVector.fromArray(S, x, xa + xo + j);
                final FloatVector x1 = FloatVector.fromArray(S, x, xb + xo + j);
                final FloatVector x2 = FloatVector.fromArray(S, x, xc + xo + j);
                final FloatVector x3 = FloatVector.fromArray(S, x, xd + xo + j);
                s00 = g0.fma(x0, s00);
                s01 = g0.fma(x1, s01);
                s02 = g0.fma(x2, s02);
                s03 = g0.fma(x3, s03);
                s10 = g1.fma(x0, s10);
                s11 = g1.fma(x1, s11);
                s12 = g1.fma(x2, s12);
                s13 = g1.fma(x3, s13);
                s20 = g2.fma(x0, s20);
                s21 = g2.fma(x1, s21);
                s22 = g2.fma(x2, s22);
                s23 = g2.fma(x3, s23);
                s30 = g3.fma(x0, s30);
                s31 = g3.fma(x1, s31);
                s32 = g3.fma(x2, s32);
                s33 = g3.fma(x3, s33);
            }
        }
        if (lanes == null) {
            sums[accOff + 0] += s00.reduceLanes(VectorOperators.ADD);
            sums[accOff + 1] += s01.reduceLanes(VectorOperators.ADD);
            sums[accOff + 2] += s02.reduceLanes(VectorOperators.ADD);
            sums[accOff + 3] += s03.reduceLanes(VectorOperators.ADD);
            sums[accOff + 4] += s10.reduceLanes(VectorOperators.ADD);
            sums[accOff + 5] += s11.reduceLanes(VectorOperators.ADD);
            sums[accOff + 6] += s12.reduceLanes(VectorOperators.ADD);
            sums[accOff + 7] += s13.reduceLanes(VectorOperators.ADD);
            sums[accOff + 8] += s20.reduceLanes(VectorOperators.ADD);
            sums[accOff + 9] += s21.reduceLanes(VectorOperators.ADD);
            sums[accOff + 10] += s22.reduceLanes(VectorOperators.ADD);
            sums[accOff + 11] += s23.reduceLanes(VectorOperators.ADD);
            sums[accOff + 12] += s30.reduceLanes(VectorOperators.ADD);
            sums[accOff + 13] += s31.reduceLanes(VectorOperators.ADD);
            sums[accOff + 14] += s32.reduceLanes(VectorOperators.ADD);
            sums[accOff + 15] += s33.reduceLanes(VectorOperators.ADD);
            return;
        }
        s00.add(FloatVector.fromArray(S, lanes, accOff)).intoArray(lanes, accOff);
        s01.add(FloatVector.fromArray(S, lanes, accOff + L)).intoArray(lanes, accOff + L);
        s02.add(FloatVector.fromArray(S, lanes, accOff + 2 * L)).intoArray(lanes, accOff + 2 * L);
        s03.add(FloatVector.fromArray(S, lanes, accOff + 3 * L)).intoArray(lanes, accOff + 3 * L);
        s10.add(FloatVector.fromArray(S, lanes, accOff + 4 * L)).intoArray(lanes, accOff + 4 * L);
        s11.add(FloatVector.fromArray(S, lanes, accOff + 5 * L)).intoArray(lanes, accOff + 5 * L);
        s12.add(FloatVector.fromArray(S, lanes, accOff + 6 * L)).intoArray(lanes, accOff + 6 * L);
        s13.add(FloatVector.fromArray(S, lanes, accOff + 7 * L)).intoArray(lanes, accOff + 7 * L);
        s20.add(FloatVector.fromArray(S, lanes, accOff + 8 * L)).intoArray(lanes, accOff + 8 * L);
        s21.add(FloatVector.fromArray(S, lanes, accOff + 9 * L)).intoArray(lanes, accOff + 9 * L);
        s22.add(FloatVector.fromArray(S, lanes, accOff + 10 * L)).intoArray(lanes, accOff + 10 * L);
        s23.add(FloatVector.fromArray(S, lanes, accOff + 11 * L)).intoArray(lanes, accOff + 11 * L);
        s30.add(FloatVector.fromArray(S, lanes, accOff + 12 * L)).intoArray(lanes, accOff + 12 * L);
        s31.add(FloatVector.fromArray(S, lanes, accOff + 13 * L)).intoArray(lanes, accOff + 13 * L);
        s32.add(FloatVector.fromArray(S, lanes, accOff + 14 * L)).intoArray(lanes, accOff + 14 * L);
        s33.add(FloatVector.fromArray(S, lanes, accOff + 15 * L)).intoArray(lanes, accOff + 15 * L);
    }

    /**
     * The sum of a[from, from + len), len a multiple of the vector length: the weight gradient's sums of g per
     * filter. Four vector sums, since a scalar loop is one chain of dependent additions, bound by their latency;
     * added in a fixed order, so the result does not depend on the JIT.
     */
    static double sum(float[] a, int from, int len) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        int j = 0;
        for (; j + 4 * L <= len; j += 4 * L) {
            s0 = s0.add(FloatVector.fromArray(S, a, from + j));
            s1 = s1.add(FloatVector.fromArray(S, a, from + j + L));
            s2 = s2.add(FloatVector.fromArray(S, a, from + j + 2 * L));
            s3 = s3.add(FloatVector.fromArray(S, a, from + j + 3 * L));
        }
        for (; j < len; j += L) s0 = s0.add(FloatVector.fromArray(S, a, from + j));
        double total = 0;
        final FloatVector all = s0.add(s1).add(s2.add(s3));
        for (int lane = 0; lane < L; lane++) total += all.lane(lane);
        return total;
    }
}
