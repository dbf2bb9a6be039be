package dev.addernet.autograd;

import dev.addernet.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The define-by-run tape. While a tape is open on a thread, every op whose inputs require a gradient
 * records its backward step here; {@link #backward} replays them in reverse. With no tape open (eval,
 * inference) ops record nothing and keep nothing alive.
 *
 * <pre>{@code
 * try (Tape tape = Tape.open()) {
 *     Tensor loss = CrossEntropy.forward(model.forward(x), labels);
 *     tape.backward(loss);
 * }
 * }</pre>
 */
public final class Tape implements AutoCloseable {
    private static final ThreadLocal<Tape> CURRENT = new ThreadLocal<>();
    private final List<Step> steps = new ArrayList<>();

    /** One recorded op: its output and the closure that pushes the output's gradient to the inputs. */
    private record Step(Tensor output, Runnable backward, String op) {}

    /** The thread's active {@link OpProfile}, or null (then no clock is read). */
    private final OpProfile profile = OpProfile.current();

    private Tape() {}

    /**
     * Whether a tape records on this thread. An op handed an input that nobody else reads may write its
     * result over it ({@code reuseInput}), sparing a new array and a pass over memory (BatchNorm, ReLU and
     * the residual add are bound by memory bandwidth): ReLU and the add always, BatchNorm only when no tape
     * records, since its backward reads its input.
     */
    public static boolean recording() {
        return CURRENT.get() != null;
    }

    public static Tape open() {
        if (CURRENT.get() != null) throw new IllegalStateException("a tape is already open on this thread");
        Tape tape = new Tape();
        if (tape.profile != null) tape.profile.opened();
        CURRENT.set(tape);
        return tape;
    }

    /**
     * Marks {@code output} as needing a gradient and records {@code backward} if a tape is open and any
     * input needs a gradient. Returns {@code output} for chaining.
     */
    public static Tensor record(Tensor output, Runnable backward, Tensor... inputs) {
        Tape tape = CURRENT.get();
        if (tape == null) return output;
        String op = tape.profile != null ? tape.profile.recorded() : null;
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad()) {
                output.requiresGrad(true);
                tape.steps.add(new Step(output, backward, op));
                break;
            }
        }
        return output;
    }

    /**
     * Seeds d(loss)/d(loss) = 1 for a scalar loss and runs every recorded backward step in reverse. Once
     * an op's step has run, every consumer of its output has already added to the output's gradient, so
     * that gradient and the step (with the activations it holds) are released at once: memory falls
     * during the backward pass instead of peaking at its end. Parameters are never op outputs, so their
     * gradients stay for the optimiser.
     */
    public void backward(Tensor loss) {
        if (loss.numel() != 1) throw new IllegalArgumentException("backward needs a scalar loss, got " + loss);
        loss.grad()[0] = 1f;
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step step = steps.set(i, null);
            long t0 = step.op() != null ? System.nanoTime() : 0;
            step.backward().run();
            if (step.op() != null) profile.backward(step.op(), System.nanoTime() - t0);
            step.output().releaseGrad();
        }
        steps.clear();
    }

    @Override
    public void close() {
        steps.clear();
        CURRENT.remove();
    }
}
