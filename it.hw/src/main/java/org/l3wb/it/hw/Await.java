package org.l3wb.it.hw;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleListener;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceListener;

/**
 * Waits for a condition that the framework's bundles bring about asynchronously (FileInstall polls,
 * DS binds and activates, Config Admin delivers): the condition is looked at again on every bundle
 * and service event, and every {@value #RECHECK_MILLIS} ms for a change that follows an event (a DS
 * bind method runs after the event this wait saw). The bound, {@value #MILLIS} ms, is never reached
 * on a sound run however loaded the machine: only a broken one waits that long. Assertions come after
 * the wait, on the condition waited for, never on something the wait stood in for.
 */
final class Await {
    /** Far above any sound run's seconds, on a machine shared with other builds. */
    static final long MILLIS = 120_000;
    static final long RECHECK_MILLIS = 100;

    private Await() {
    }

    /** Fails the test naming {@code what} when {@code condition} did not hold within {@value #MILLIS} ms. */
    static void until(BooleanSupplier condition, String what) throws InterruptedException {
        if (!within(condition)) {
            fail("waited " + MILLIS / 1000 + " s for " + what);
        }
    }

    /** @return whether {@code condition} held within {@value #MILLIS} ms */
    static boolean within(BooleanSupplier condition) throws InterruptedException {
        BundleContext context = FrameworkUtil.getBundle(Await.class).getBundleContext();
        AtomicLong events = new AtomicLong();
        Object signal = new Object();
        Runnable bump = () -> {
            events.incrementAndGet();
            synchronized (signal) {
                signal.notifyAll();
            }
        };
        ServiceListener services = e -> bump.run();
        BundleListener bundles = e -> bump.run();
        context.addServiceListener(services);
        context.addBundleListener(bundles);
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MILLIS);
            while (true) {
                long seen = events.get();
                // outside the lock: the condition may take locks of the bundles that fire the events
                if (condition.getAsBoolean()) {
                    return true;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                synchronized (signal) {
                    if (events.get() == seen) {
                        signal.wait(Math.min(left, RECHECK_MILLIS));
                    }
                }
            }
        } finally {
            context.removeServiceListener(services);
            context.removeBundleListener(bundles);
        }
    }
}
