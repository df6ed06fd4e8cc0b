package app.regulars.platform;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes the feed's readers in this process when a transaction that appended events has committed, so
 * that an idle feed is not polled every few milliseconds by every reader (five of them polled an empty
 * feed 350 times a second: a seventh of a core, server and PostgreSQL together, with nothing to do).
 *
 * <p>A reader that found work, or was woken, keeps polling at its own short pace for a while: batches
 * stay large under load, and an event that committed behind an older transaction still running (not
 * readable until that one ends, which need not append anything and so need not wake anyone) is read
 * as soon as it can be. A quiet reader waits to be woken, and looks by itself every
 * {@value #QUIET_MILLIS} ms: events written by another process (the command-line import, a second
 * server) wake no one here.
 *
 * <p>WHY NOT LISTEN/NOTIFY: PostgreSQL queues notifications under one lock at commit, which would
 * serialise the writers that the feed is designed not to serialise (decision 0002).
 */
@Component
public class FeedWake {

    static final long QUIET_MILLIS = 250;
    private static final long BUSY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();
    private final long quietMillis;
    private volatile long commits;

    /** Rung after every commit of a transaction that appended events; one instance, so once per transaction. */
    private final TransactionSynchronization afterCommit = new TransactionSynchronization() {
        @Override
        public void afterCommit() {
            ring();
        }
    };

    FeedWake() {
        this(QUIET_MILLIS);
    }

    private FeedWake(long quietMillis) {
        this.quietMillis = quietMillis;
    }

    /** For a reader that no writer here rings (an engine built by a test or a bench): it polls as when busy. */
    public static FeedWake unrung() {
        return new FeedWake(0);
    }

    /** Called in the transaction that appends: its readers are woken once it has committed. */
    void afterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(afterCommit); // a set: once per transaction
        }
    }

    private void ring() {
        lock.lock();
        try {
            commits++;
            committed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** One reader's pauses between reads of the feed. Not shared between threads. */
    public Pause pause(long busyMillis) {
        return new Pause(busyMillis);
    }

    /** See {@link FeedWake}: short and fixed while the feed is busy, until woken while it is quiet. */
    public final class Pause {

        private final long busyMillis;
        private long seen = commits;
        private long busyUntil = System.nanoTime() + BUSY_NANOS;

        private Pause(long busyMillis) {
            this.busyMillis = busyMillis;
        }

        /**
         * Pauses after a read that left nothing waiting (a batch that was not full).
         *
         * @param found whether the read found events
         */
        public void after(boolean found) throws InterruptedException {
            long now = System.nanoTime();
            if (found || commits != seen) {
                busyUntil = now + BUSY_NANOS;
            }
            if (now - busyUntil < 0 || quietMillis <= busyMillis) {
                Thread.sleep(busyMillis);
            } else {
                awaitCommitAfter(seen, quietMillis);
            }
            long latest = commits;
            if (latest != seen) {
                busyUntil = System.nanoTime() + BUSY_NANOS;
                seen = latest;
            }
        }
    }

    private void awaitCommitAfter(long seen, long millis) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (commits == seen && nanos > 0) {
                nanos = committed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }
}
