package dev.addernet.method;

import dev.addernet.models.ModelConfig;
import dev.addernet.nn.Module;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a network as a weights file with the run's data description (dataset, classes, normalisation), atomically. */
@FunctionalInterface
public interface ModelSaver {
    void save(Path file, Module network, ModelConfig config) throws IOException;
}
