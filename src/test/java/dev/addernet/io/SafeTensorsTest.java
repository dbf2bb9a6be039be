package dev.addernet.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsTensorsAndMetadata() throws IOException {
        Path file = dir.resolve("model.safetensors");
        float[] weight = {1.5f, -2f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, -0f};
        double[] stats = {Math.PI, -1e300};
        long[] steps = {Long.MIN_VALUE, 0, Long.MAX_VALUE};
        SafeTensors.writer()
                .put("conv1.weight", new int[] {2, 3}, weight)
                .putDouble("stats", new int[] {2}, stats)
                .putLong("steps", new int[] {3, 1}, steps)
                .metadata("stride", "2")
                .metadata("note", "ünïcode \"quoted\"")
                .write(file);

        SafeTensors st = SafeTensors.read(file);
        assertThat(st.names()).containsExactly("conv1.weight", "stats", "steps");
        assertThat(st.metadata()).containsExactly(
                entry("stride", "2"),
                entry("note", "ünïcode \"quoted\""));
        assertThat(st.dtype("conv1.weight")).isEqualTo("F32");
        assertThat(st.shape("conv1.weight")).containsExactly(2, 3);
        assertThat(st.floats("conv1.weight")).containsExactly(weight);
        assertThat(st.dtype("stats")).isEqualTo("F64");
        assertThat(st.doubles("stats")).containsExactly(stats);
        assertThat(st.floats("stats")).containsExactly((float) Math.PI, Float.NEGATIVE_INFINITY);
        assertThat(st.dtype("steps")).isEqualTo("I64");
        assertThat(st.shape("steps")).containsExactly(3, 1);
        assertThat(st.longs("steps")).containsExactly(steps);
        assertThat(st.doubles("conv1.weight")[0]).isEqualTo(1.5);
    }

    @Test
    void roundTripsScalarAndEmptyTensors() throws IOException {
        Path file = dir.resolve("edge.safetensors");
        SafeTensors.writer()
                .put("empty", new int[] {0}, new float[0])
                .put("scalar", new int[] {}, new float[] {42f})
                .put("empty2d", new int[] {3, 0}, new float[0])
                .write(file);

        SafeTensors st = SafeTensors.read(file);
        assertThat(st.metadata()).isEmpty();
        assertThat(st.shape("scalar")).isEmpty();
        assertThat(st.floats("scalar")).containsExactly(42f);
        assertThat(st.shape("empty")).containsExactly(0);
        assertThat(st.floats("empty")).isEmpty();
        assertThat(st.shape("empty2d")).containsExactly(3, 0);
        assertThat(st.has("empty2d")).isTrue();
        assertThat(st.has("nothing")).isFalse();
    }

    @Test
    void writesAHeaderPaddedToEightBytes() throws IOException {
        Path file = dir.resolve("padded.safetensors");
        SafeTensors.writer().put("x", new int[] {1}, new float[] {1f}).metadata("k", "v").write(file);

        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertThat(headerLength % 8).isZero();
        String header = new String(bytes, 8, (int) headerLength, UTF_8);
        assertThat(header).startsWith("{\"__metadata__\":{\"k\":\"v\"},\"x\":{\"dtype\":\"F32\",\"shape\":[1],"
                + "\"data_offsets\":[0,4]}}");
        assertThat(header.strip()).endsWith("}");
        assertThat(bytes.length).isEqualTo(8 + headerLength + 4);
        assertThat(list()).containsExactly("padded.safetensors");
    }

    @Test
    void writesLargeTensorsAcrossChunks() throws IOException {
        Path file = dir.resolve("large.safetensors");
        float[] big = new float[100_003];
        for (int i = 0; i < big.length; i++) {
            big[i] = i * 0.5f;
        }
        SafeTensors.writer().put("big", new int[] {big.length}, big).write(file);
        assertThat(SafeTensors.read(file).floats("big")).containsExactly(big);
    }

    @Test
    void convertsOtherDtypes() throws IOException {
        byte[] data = HandMade.le(2 * 2 + 2 * 2 + 3 + 3 + 2 + 2 * 4 + 2 + 2, b -> {
            b.putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-0.25f)); // F16
            b.putShort(bf16(3f)).putShort(bf16(-2f)); // BF16
            b.put((byte) -1).put((byte) 7).put((byte) -128); // I8
            b.put((byte) 255).put((byte) 0).put((byte) 9); // U8
            b.put((byte) 1).put((byte) 0); // BOOL
            b.putInt(-5).putInt(Integer.MAX_VALUE); // I32
            b.put((byte) 0x38).put((byte) 0xc4); // F8_E4M3: 1.0, -3.0
            b.put((byte) 0x3c).put((byte) 0x7c); // F8_E5M2: 1.0, inf
        });
        Path file = HandMade.file(dir, "{'h':{'dtype':'F16','shape':[2],'data_offsets':[0,4]},"
                + "'b':{'dtype':'BF16','shape':[2],'data_offsets':[4,8]},"
                + "'i8':{'dtype':'I8','shape':[3],'data_offsets':[8,11]},"
                + "'u8':{'dtype':'U8','shape':[3],'data_offsets':[11,14]},"
                + "'flag':{'dtype':'BOOL','shape':[2],'data_offsets':[14,16]},"
                + "'i32':{'dtype':'I32','shape':[2],'data_offsets':[16,24]},"
                + "'e4':{'dtype':'F8_E4M3','shape':[2],'data_offsets':[24,26]},"
                + "'e5':{'dtype':'F8_E5M2','shape':[2],'data_offsets':[26,28]}}", data);

        SafeTensors st = SafeTensors.read(file);
        assertThat(st.floats("h")).containsExactly(1.5f, -0.25f);
        assertThat(st.floats("b")).containsExactly(3f, -2f);
        assertThat(st.floats("i8")).containsExactly(-1f, 7f, -128f);
        assertThat(st.longs("i8")).containsExactly(-1, 7, -128);
        assertThat(st.floats("u8")).containsExactly(255f, 0f, 9f);
        assertThat(st.longs("u8")).containsExactly(255, 0, 9);
        assertThat(st.floats("flag")).containsExactly(1f, 0f);
        assertThat(st.longs("flag")).containsExactly(1, 0);
        assertThat(st.doubles("i32")).containsExactly(-5, Integer.MAX_VALUE);
        assertThat(st.floats("e4")).containsExactly(1f, -3f);
        assertThat(st.floats("e5")).containsExactly(1f, Float.POSITIVE_INFINITY);
        assertThat(st.doubles("h")[1]).isCloseTo(-0.25, within(0.0));
    }

    @Test
    void misuseNamesFileAndTensor() throws IOException {
        Path file = dir.resolve("m.safetensors");
        SafeTensors.writer().put("w", new int[] {1}, new float[] {1f}).write(file);
        SafeTensors st = SafeTensors.read(file);

        assertThatThrownBy(() -> st.longs("w"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": tensor 'w' has dtype F32, not an integer dtype");
        assertThatThrownBy(() -> st.floats("v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": no tensor 'v'; it has [w]");
    }

    @Test
    void writerValidatesShapesAndNames() {
        assertThatThrownBy(() -> SafeTensors.writer().put("w", new int[] {2, 3}, new float[5]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tensor 'w': shape [2, 3] holds 6 elements but the data has 5");
        assertThatThrownBy(() -> SafeTensors.writer().putLong("w", new int[] {-1}, new long[0]))
                .hasMessageContaining("negative dimension");
        SafeTensors.Writer writer = SafeTensors.writer().put("w", new int[] {1}, new float[1]);
        assertThatThrownBy(() -> writer.put("w", new int[] {1}, new float[1]))
                .hasMessage("tensor 'w' was already put");
        assertThatThrownBy(() -> SafeTensors.writer().put("__metadata__", new int[] {1}, new float[1]))
                .hasMessageContaining("reserved");
    }

    private static short bf16(float value) {
        return (short) (Float.floatToIntBits(value) >>> 16);
    }

    private List<String> list() throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
