package app.regulars.platform;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
 *
 * <p>While a bulk load applies (an import's second pass, {@link #bulkLoad}), the readers here step aside
 * (decision 0002, "Bulk loads"): on two cores they took half the machine from the import and digested
 * its events in small batches. They read what it wrote when it ends, or every {@value #MOST_HELD_MILLIS}
 * ms of a longer one.
 */
@Component
public class FeedWake {

    static final long QUIET_MILLIS = 250;
    static final long MOST_HELD_MILLIS = 30_000;
    private static final long BUSY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();
    private final long quietMillis;
    private volatile long commits;
    /** Bulk loads under way; written under the lock. */
    private volatile int bulkLoads;

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

    /** Wakes every reader of this process: after a commit, at the end of a bulk load, or to stop them. */
    void ring() {
        lock.lock();
        try {
            commits++;
            committed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A bulk load under way until closed: this process's readers hold off meanwhile. */
    public BulkLoad bulkLoad() {
        lock.lock();
        try {
            bulkLoads++;
        } finally {
            lock.unlock();
        }
        return new BulkLoad();
    }

    /** Ends the bulk load it stands for, once: the readers are woken to read what it wrote. */
    public final class BulkLoad implements AutoCloseable {

        private boolean ended;

        private BulkLoad() {
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (ended) {
                    return;
                }
                ended = true;
                bulkLoads--;
            } finally {
                lock.unlock();
            }
            ring();
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
         * Before each read: while a bulk load applies, the reader waits for it (see {@link FeedWake}), at
         * most {@value FeedWake#MOST_HELD_MILLIS} ms at a time, and no longer than it is {@code reading}: a reader
         * being stopped is rung ({@link #ring}) and leaves at once rather than at the end of the load.
         */
        public void holdDuringBulkLoad(BooleanSupplier reading) throws InterruptedException {
            if (bulkLoads == 0) {
                return;
            }
            long nanos = TimeUnit.MILLISECONDS.toNanos(MOST_HELD_MILLIS);
            lock.lock();
            try {
                while (bulkLoads > 0 && nanos > 0 && reading.getAsBoolean()) {
                    nanos = committed.awaitNanos(nanos); // each of the load's commits wakes it: it holds on
                }
            } finally {
                lock.unlock();
            }
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
