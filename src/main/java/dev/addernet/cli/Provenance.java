package dev.addernet.cli;

import dev.addernet.kernel.Parallel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Where a result came from: JDK, BLAS, threads, git commit and the command line. */
final class Provenance {
    private Provenance() {}

    /** {@code args} is the whole command line after the launcher, subcommand included. */
    static Map<String, Object> of(String[] args) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("jdk", System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
        p.put("blas", dev.addernet.kernel.Blas.describe());
        p.put("threads", Parallel.threads());
        p.put("git_commit", gitCommit());
        p.put("command_line", "addernet " + String.join(" ", args));
        p.put("started", java.time.OffsetDateTime.now().toString());
        return p;
    }

    private static String gitCommit() {
        try {
            Process proc = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String line;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
                line = r.readLine();
            }
            if (proc.waitFor(5, TimeUnit.SECONDS) && proc.exitValue() == 0 && line != null) return line.trim();
        } catch (Exception e) {
            // no git, or not a checkout: provenance says so below
        }
        return "unknown";
    }
}
