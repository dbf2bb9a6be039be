package dev.addernet.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.addernet.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tuning file: used on the machine it was tuned on, ignored elsewhere, and a bad one costs a warning, never a run. */
class TuningTest {
    @TempDir Path dir;

    static final String KEY = "adder 16x32x32>16 k3 s1 p1 forward";

    private Path write(Map<String, Object> contents) throws Exception {
        Path f = dir.resolve("tuning.json");
        Json.write(f, contents);
        return f;
    }

    private static Map<String, Object> contents(int width) {
        return Tuning.contents(Map.of(KEY, width), Map.of(KEY, width == 3 * Microkernels.NR ? Map.of(width, 0.001) : Map.of(width, 0.001, 3 * Microkernels.NR, 0.002)), 2, 32);
    }

    /** Runs body with System.err captured; returns what it printed. */
    private static String stderrOf(Runnable body) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true));
        try {
            body.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString();
    }

    @Test
    void aFileWrittenHereIsReadBack() throws Exception {
        int width = 4 * Microkernels.NR;
        Tuning t = Tuning.load(write(contents(width)));
        assertThat(t.columns(KEY)).isEqualTo(width);
        assertThat(t.columns("adder 16x32x32>16 k3 s1 p1 backward")).isNull();
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.status()).contains("1 tuned widths");
    }

    @Test
    void noFileMeansDerivedWidthsAndSaysHowToTune() {
        Tuning t = Tuning.load(dir.resolve("missing.json"));
        assertThat(t.size()).isZero();
        assertThat(t.status()).contains("addernet tune");
        assertThat(Tuning.load(null).status()).startsWith("off");
    }

    @Test
    void aFileFromAnotherMachineIsNotUsed() throws Exception {
        Map<String, Object> c = new LinkedHashMap<>(contents(Microkernels.NR));
        Map<String, Object> machine = new LinkedHashMap<>(Tuning.machine());
        machine.put("vector_bits", 128);
        c.put("machine", machine);
        Path f = write(c);
        String err = stderrOf(() -> assertThat(Tuning.load(f).size()).isZero());
        assertThat(err).as("moving to another machine is not an error").isEmpty();
        assertThat(Tuning.load(f).status()).contains("vector_bits").contains("addernet tune");
    }

    @Test
    void aBadWidthIsAOneLineWarningNamingTheFileAndField() throws Exception {
        Path f = write(contents(33));
        String err = stderrOf(() -> assertThat(Tuning.load(f).size()).isZero());
        assertThat(err.strip()).doesNotContain("\n").contains(f.toString()).contains("widths." + KEY).contains("got 33");
    }

    @Test
    void aCorruptFileIsAWarningNotACrash() throws Exception {
        Path f = dir.resolve("tuning.json");
        Files.writeString(f, "{\"format\": \"addernet-tuning 1\", \"widths\": {");
        String err = stderrOf(() -> assertThat(Tuning.load(f).size()).isZero());
        assertThat(err.strip()).doesNotContain("\n").contains(f.toString()).contains("warning");
        Files.writeString(f, "{\"format\": \"something else\"}");
        assertThat(stderrOf(() -> Tuning.load(f))).contains("'format'");
    }
}
