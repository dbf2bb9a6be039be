package dev.addernet.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The golden files from the reference AdderNet read cleanly and have the shapes an adder layer implies. */
class FixtureReadTest {

    private static final String[] TENSORS = {"input", "weight", "output", "grad_output", "grad_weight", "grad_input"};

    /** Not a test resource: it derives from a checkpoint that must not be committed, so it may be absent. */
    private static final Path RESNET20 =
            Path.of("../shared/fixtures/official-addernet/resnet20-checkpoint-forward.safetensors");

    @ParameterizedTest
    @ValueSource(strings = {"adder2d-k3s1p1", "adder2d-k3s2p1", "adder2d-k1s2p0"})
    void adderLayerFixtureIsConsistent(String name) throws IOException, URISyntaxException {
        URL resource = getClass().getResource("/fixtures/" + name + ".safetensors");
        assertThat(resource).as("test resource %s", name).isNotNull();
        SafeTensors st = SafeTensors.read(Path.of(resource.toURI()));

        assertThat(st.names()).contains(TENSORS);
        for (String tensor : TENSORS) {
            assertThat(st.dtype(tensor)).isEqualTo("F32");
            assertThat(st.floats(tensor)).hasSize(count(st.shape(tensor)));
        }
        int stride = Integer.parseInt(st.metadata().get("stride"));
        int padding = Integer.parseInt(st.metadata().get("padding"));
        int[] input = st.shape("input");
        int[] weight = st.shape("weight");
        assertThat(input).hasSize(4);
        assertThat(weight).hasSize(4);
        int k = weight[2];
        assertThat(weight[3]).isEqualTo(k);
        assertThat(weight[1]).as("Cin").isEqualTo(input[1]);
        int ho = (input[2] + 2 * padding - k) / stride + 1;
        int wo = (input[3] + 2 * padding - k) / stride + 1;
        assertThat(st.shape("output")).containsExactly(input[0], weight[0], ho, wo);
        assertThat(st.shape("grad_output")).containsExactly(st.shape("output"));
        assertThat(st.shape("grad_weight")).containsExactly(weight);
        assertThat(st.shape("grad_input")).containsExactly(input);
    }

    @Test
    void resnet20ForwardFixtureHasTheExpectedShapes() throws IOException {
        Assumptions.assumeTrue(Files.exists(RESNET20),
                "fixture not present: " + RESNET20.toAbsolutePath().normalize());
        SafeTensors st = SafeTensors.read(RESNET20);
        assertThat(st.shape("input")).containsExactly(4, 3, 32, 32);
        assertThat(st.shape("layer1_output")).containsExactly(4, 16, 32, 32);
        assertThat(st.shape("logits")).containsExactly(4, 10);
        assertThat(st.floats("logits")).hasSize(40);
    }

    private static int count(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
