package dev.addernet.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared threads: every task once, on the caller and the helpers, nested and concurrent calls, failures. */
class ParallelTest {
    @AfterEach
    void restoreDefaults() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @ParameterizedTest(name = "threads={0}")
    @ValueSource(ints = {1, 2, 3})
    void runsEveryTaskExactlyOnce(int threads) {
        Parallel.setThreads(threads);
        assertThat(Parallel.threads()).isEqualTo(threads);
        for (int tasks : new int[] {1, 2, 7, 64}) {
            for (int call = 0; call < 200; call++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                Parallel.run(tasks, runs::incrementAndGet);
                for (int t = 0; t < tasks; t++) assertThat(runs.get(t)).as("task %d of %d, call %d", t, tasks, call).isEqualTo(1);
            }
        }
    }

    @Test
    void helpersTakeTasksBesideTheCaller() {
        Parallel.setThreads(2);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        for (int call = 0; call < 200 && seen.size() < 2; call++) {
            Parallel.run(2, t -> {
                seen.add(Thread.currentThread().getName());
                final long until = System.nanoTime() + 1_000_000; // long enough for the other thread to take the second task
                while (System.nanoTime() < until) Thread.onSpinWait();
            });
        }
        assertThat(seen).contains(Thread.currentThread().getName()).anyMatch(name -> name.startsWith("addernet-worker-"));
    }

    @Test
    void aCallFromATaskRunsOnItsThread() {
        Parallel.setThreads(2);
        AtomicIntegerArray runs = new AtomicIntegerArray(4 * 5);
        Parallel.run(4, outer -> {
            String thread = Thread.currentThread().getName();
            Parallel.run(5, inner -> {
                assertThat(Thread.currentThread().getName()).isEqualTo(thread);
                runs.incrementAndGet(outer * 5 + inner);
            });
        });
        for (int i = 0; i < runs.length(); i++) assertThat(runs.get(i)).isEqualTo(1);
    }

    @Test
    void callsFromTwoThreadsBothComplete() throws InterruptedException {
        Parallel.setThreads(2);
        AtomicIntegerArray runs = new AtomicIntegerArray(2 * 1000);
        Thread[] callers = new Thread[2];
        for (int c = 0; c < 2; c++) {
            final int caller = c;
            callers[c] = new Thread(() -> {
                for (int call = 0; call < 1000; call++) {
                    final int index = caller * 1000 + call;
                    Parallel.run(3, t -> runs.incrementAndGet(index));
                }
            });
            callers[c].start();
        }
        for (Thread t : callers) t.join();
        for (int i = 0; i < runs.length(); i++) assertThat(runs.get(i)).as("call %d", i).isEqualTo(3);
    }

    @Test
    void aFailingTaskFailsTheCallAfterTheOthersFinish() {
        Parallel.setThreads(2);
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        assertThatThrownBy(() -> Parallel.run(8, t -> {
            runs.incrementAndGet(t);
            if (t == 3) throw new IllegalStateException("task 3 failed");
        })).isInstanceOf(IllegalStateException.class).hasMessage("task 3 failed");
        for (int t = 0; t < 8; t++) assertThat(runs.get(t)).isEqualTo(1);
        // The threads are still usable afterwards.
        AtomicIntegerArray again = new AtomicIntegerArray(4);
        Parallel.run(4, again::incrementAndGet);
        for (int t = 0; t < 4; t++) assertThat(again.get(t)).isEqualTo(1);
    }
}
