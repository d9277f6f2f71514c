package org.l3wb.lab.shell;

/**
 * The time {@link Workbench} waits by for Config Admin to deliver a selection it stored: the host's
 * own clock in the workbench. A seam for the unit tests, which pass a virtual clock so they prove the
 * wait's timeout (and that a later writer ends it early) without waiting for real.
 */
interface DeliveryClock {
    /** The host's clock: {@link System#nanoTime} and {@link Object#wait(long)}. */
    DeliveryClock HOST = new DeliveryClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void await(Object monitor, long millis) throws InterruptedException {
            monitor.wait(millis);
        }
    };

    /** @return the current time in ns, as {@link System#nanoTime} (only differences count) */
    long nanoTime();

    /**
     * Waits on {@code monitor}, which the caller holds, until it is notified or {@code millis} ms pass
     * (or spuriously, as {@link Object#wait(long)} may).
     */
    void await(Object monitor, long millis) throws InterruptedException;
}
