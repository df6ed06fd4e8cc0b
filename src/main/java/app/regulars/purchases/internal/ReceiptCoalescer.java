package app.regulars.purchases.internal;

import app.regulars.purchases.IntakeResult;
import app.regulars.purchases.ReceiptDraft;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * Single receipts that arrive while others are being written travel together: a few writer threads
 * each take whatever is waiting (up to {@link #MOST}) and accept it as one batch, in one transaction
 * with a constant number of statements. Under load this turns dozens of transactions, WAL flushes and
 * round trips per receipt into one each per batch; with nothing waiting, a receipt goes alone at once,
 * so no one waits for company.
 *
 * <p>Each caller still gets its own answer. When a batch is refused as a whole (one receipt names an
 * unknown store, a refund too large, …) or fails in the database, its receipts are accepted again one
 * by one, so the bad one gets its own error and the others are stored. A receipt is acknowledged only
 * after the transaction holding it committed.
 */
final class ReceiptCoalescer {

    /** Enough to amortise a transaction, small enough that one batch stays a short transaction. */
    static final int MOST = 64;
    /**
     * WHY TWO: on two cores the machine is saturated long before the writers are, so fewer and larger
     * transactions cost less CPU per receipt (with four, eight calls in flight made batches of about two).
     * Not one: a batch waiting for a customer row held elsewhere (an import's batch, a merge) would stop
     * every till. A/B against four in BENCHMARKS.md (2026-12-02).
     */
    private static final int WRITERS = 2;

    private record Waiting(ReceiptDraft draft, CompletableFuture<IntakeResult> answer) {}

    private final BlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
    private final Function<List<ReceiptDraft>, List<IntakeResult>> together;
    private final Function<ReceiptDraft, IntakeResult> alone;

    ReceiptCoalescer(Function<List<ReceiptDraft>, List<IntakeResult>> together,
                     Function<ReceiptDraft, IntakeResult> alone) {
        this.together = together;
        this.alone = alone;
        for (int i = 0; i < WRITERS; i++) {
            Thread writer = new Thread(this::write, "receipt-writer-" + i);
            writer.setDaemon(true);
            writer.start();
        }
    }

    IntakeResult accept(ReceiptDraft draft) {
        CompletableFuture<IntakeResult> answer = new CompletableFuture<>();
        queue.add(new Waiting(draft, answer));
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the receipt was being written", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void write() {
        List<Waiting> batch = new ArrayList<>(MOST);
        while (true) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, MOST - 1);
                answer(batch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                batch.forEach(w -> w.answer().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void answer(List<Waiting> batch) {
        if (batch.size() > 1) {
            try {
                List<IntakeResult> results = together.apply(batch.stream().map(Waiting::draft).toList());
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).answer().complete(results.get(i));
                }
                return;
            } catch (RuntimeException refusedOrFailed) {
                // one by one below: each receipt gets its own answer
            }
        }
        for (Waiting w : batch) {
            try {
                w.answer().complete(alone.apply(w.draft()));
            } catch (RuntimeException e) {
                w.answer().completeExceptionally(e);
            }
        }
    }
}
