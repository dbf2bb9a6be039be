package dev.addernet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.addernet.kernel.Parallel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceTest {
    @TempDir Path tmp;

    static String git(Path dir, String... args) throws Exception {
        String[] cmd = new String[args.length + 7];
        System.arraycopy(new String[] {"git", "-C", dir.toString(), "-c", "user.name=test", "-c", "user.email=test@example.org"}, 0, cmd, 0, 7);
        System.arraycopy(args, 0, cmd, 7, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.strip();
    }

    static boolean hasGit() {
        try {
            return new ProcessBuilder("git", "--version").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void recordsTheRunsThreadsNotThePoolsCurrentSize() {
        Parallel.setThreads(1);
        assertThat(Provenance.of(new String[] {"train"}, 3)).containsEntry("threads", 3);
    }

    @Test
    void commitAndDirtyStateOfTheProjectRoot() throws Exception {
        assumeTrue(hasGit(), "git is not installed");
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        git(repo, "init", "-q");
        Files.writeString(repo.resolve("a.txt"), "a");
        git(repo, "add", "a.txt");
        git(repo, "commit", "-q", "-m", "first");
        String head = git(repo, "rev-parse", "HEAD");

        assertThat(Provenance.git(repo)).containsEntry("git_commit", head).containsEntry("git_dirty", false);
        Files.writeString(repo.resolve("b.txt"), "uncommitted");
        assertThat(Provenance.git(repo)).containsEntry("git_commit", head).containsEntry("git_dirty", true);
        // a folder inside someone else's checkout is not a project root: its commit would mislead
        assertThat(Provenance.git(Files.createDirectories(repo.resolve("sub")))).containsEntry("git_commit", "unknown");
    }

    @Test
    void unknownOutsideACheckoutOrWithoutARoot() throws Exception {
        Map<String, Object> none = Provenance.git(null);
        assertThat(none).containsEntry("git_commit", "unknown").containsEntry("git_dirty", null);
        assertThat(Provenance.git(Files.createDirectories(tmp.resolve("plain")))).containsEntry("git_commit", "unknown")
                .containsEntry("git_dirty", null);
    }
}
