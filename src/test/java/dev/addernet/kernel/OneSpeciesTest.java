package dev.addernet.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The kernels use one vector species per element type (the preferred one). The Vector API's methods
 * are shared code with one type profile each: once a second shape (say a 256-bit tail beside the
 * 512-bit tiles) runs through them, C2 may compile a tile later without knowing its vectors' exact
 * class, and then boxes every vector: measured here, ResNet-20 training fell from 250 to 90 images/s
 * and allocated 6.5 GB per step, depending on which kernel ran first. Masked operations do tails.
 */
class OneSpeciesTest {
    @Test
    void mainCodeUsesOnlyThePreferredSpecies() throws IOException {
        Pattern other = Pattern.compile("SPECIES_(?!PREFERRED)\\w+");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream().filter(l -> other.matcher(l).find()).map(l -> p + ": " + l.strip());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(Files.isDirectory(Path.of("src/main/java/dev/addernet/kernel"))).as("run from the project root").isTrue();
        assertThat(offenders).as("uses of a vector species other than SPECIES_PREFERRED").isEmpty();
    }
}
