package dev.addernet.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Where a result came from: JDK, BLAS, threads, git commit and the command line. */
final class Provenance {
    /** The project's root folder, which {@code bin/addernet} passes as {@code -Daddernet.home}. */
    static final String HOME_PROPERTY = "addernet.home";

    private Provenance() {}

    /**
     * {@code args} is the whole command line after the launcher, subcommand included; {@code threads} the
     * run's thread count (the kernels' pool is set to it only when training starts).
     */
    static Map<String, Object> of(String[] args, int threads) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("jdk", System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
        p.put("blas", dev.addernet.kernel.Blas.describe());
        p.put("threads", threads);
        p.put("kernels", dev.addernet.kernel.ConvKernels.usingReference() ? "reference" : "fast");
        String home = System.getProperty(HOME_PROPERTY);
        p.putAll(git(home == null ? null : Path.of(home)));
        p.put("command_line", "addernet " + String.join(" ", args));
        p.put("started", java.time.OffsetDateTime.now().toString());
        return p;
    }

    /**
     * {@code git_commit} (HEAD of the checkout at {@code root}) and {@code git_dirty} (uncommitted changes,
     * so the commit alone does not say what ran). The project's root, not the current folder: a run
     * started elsewhere must not record another repository's commit. "unknown" and null outside a checkout.
     */
    static Map<String, Object> git(Path root) {
        String commit = root == null ? null : commit(root);
        String status = commit == null ? null : gitOutput(root, "status", "--porcelain");
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("git_commit", status == null ? "unknown" : commit);
        g.put("git_dirty", status == null ? null : !status.isBlank());
        return g;
    }

    /** HEAD of the checkout whose top folder is root; null if root is no checkout's top (e.g. a copy inside another repository). */
    private static String commit(Path root) {
        String out = gitOutput(root, "rev-parse", "--show-toplevel", "HEAD");
        if (out == null) return null;
        String[] lines = out.strip().split("\n");
        try {
            return lines.length == 2 && Path.of(lines[0]).toRealPath().equals(root.toRealPath()) ? lines[1].strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The standard output of {@code git -C root args}, or null when git fails or is absent. */
    private static String gitOutput(Path root, String... args) {
        try {
            String[] cmd = new String[args.length + 3];
            cmd[0] = "git";
            cmd[1] = "-C";
            cmd[2] = root.toString();
            System.arraycopy(args, 0, cmd, 3, args.length);
            Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            proc.getOutputStream().close();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return proc.waitFor(10, TimeUnit.SECONDS) && proc.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null; // no git: provenance says "unknown"
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
