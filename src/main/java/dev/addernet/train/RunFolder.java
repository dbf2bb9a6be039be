package dev.addernet.train;

import java.nio.file.Path;

/** The files a training run leaves in its folder. */
public record RunFolder(Path dir) {
    public Path config() { return dir.resolve("config.json"); }
    public Path metrics() { return dir.resolve("metrics.jsonl"); }
    public Path summary() { return dir.resolve("summary.json"); }
    public Path weights() { return dir.resolve("model.safetensors"); }
    public Path checkpoint() { return dir.resolve("checkpoint").resolve("state.safetensors"); }
    public Path curves() { return dir.resolve("curves.png"); }
}
