package dev.addernet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Checks on the files a command writes, made before any work starts. */
final class OutputPaths {
    private OutputPaths() {}

    /**
     * Refuses an output that is one of the command's inputs: the same file by real path (through links,
     * {@code .} or another spelling), since writing it would destroy what is being read.
     *
     * @param inputs option name, then path, alternately ({@code "--weights", weights, ...}); null paths are skipped
     */
    static void requireNotAnInput(String outputOption, Path output, Object... inputs) throws IOException {
        if (!Files.exists(output)) return; // a file that does not exist yet cannot be one that is read
        for (int i = 0; i < inputs.length; i += 2) {
            Path input = (Path) inputs[i + 1];
            if (input != null && Files.exists(input) && Files.isSameFile(output, input)) {
                throw new IllegalArgumentException(outputOption + " " + output + " is also an input (" + inputs[i] + " " + input
                        + "): writing it would replace what is being read; choose another output file");
            }
        }
    }

    /**
     * Every path option's converter: an empty path would mean the working directory, so {@code --out ""}
     * would write a run's files among whatever is there.
     */
    static final class NonEmpty implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            if (value.isBlank()) throw new TypeConversionException("an empty path, expected a file or folder name");
            return Path.of(value);
        }
    }
}
