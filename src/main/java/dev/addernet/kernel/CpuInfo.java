package dev.addernet.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The first processor's entries of /proc/cpuinfo (key: value), for naming the CPU; empty where there is none. */
final class CpuInfo {
    private CpuInfo() {}

    static Map<String, String> firstProcessor() {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon < 0) continue;
                out.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        } catch (IOException | RuntimeException e) {
            return Map.of(); // not Linux, or no /proc
        }
        return out;
    }
}
