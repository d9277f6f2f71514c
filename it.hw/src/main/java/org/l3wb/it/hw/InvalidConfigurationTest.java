package org.l3wb.it.hw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.l3wb.hw.api.MachineFactory;
import org.l3wb.hw.api.ProcessorModel;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * A model configured with an impossible cache, or with a value that is no number (as a {@code .cfg}
 * file gives it), is withdrawn: it leaves the service registry (nothing half-built stays registered;
 * the component reports it in one line instead of failing its activation) while the rest keeps
 * working, and a valid configuration brings it back with the new setting.
 */
@ExtendWith(ServiceExtension.class)
class InvalidConfigurationTest {
    private static final long TIMEOUT_MS = Await.MILLIS;

    private static boolean await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        return Await.within(condition);
    }

    @Test
    void aCacheGeometryThatIsNotAPowerOfTwoUnregistersTheModelUntilFixed(
            @InjectService ConfigurationAdmin configAdmin,
            @InjectService(cardinality = 0, filter = "(name=i486dx33)") ServiceAware<ProcessorModel> dx33,
            @InjectService(cardinality = 0, filter = "(name=i486dx50)") ServiceAware<ProcessorModel> dx50,
            @InjectService MachineFactory machines) throws Exception {
        assertNotNull(dx33.waitForService(TIMEOUT_MS));
        Configuration config = configAdmin.getConfiguration("hw.cpu486.i486dx33", "?");
        try {
            Dictionary<String, Object> bad = new Hashtable<>();
            bad.put("cacheWays", 3);
            config.update(bad);
            assertTrue(await(dx33::isEmpty), "i486dx33 must leave the registry with a 3-way cache");
            assertNotNull(dx50.getService(), "the other model is untouched");
            assertTrue(machines.create(dx50.getService()).statistics().now() == 0);

            Dictionary<String, Object> good = new Hashtable<>();
            good.put("cacheWays", 2);
            config.update(good);
            assertTrue(await(() -> !dx33.isEmpty()), "a valid configuration brings the model back");
            assertEquals(2, dx33.getService().onChipCache().ways());
        } finally {
            config.delete();
        }
        assertTrue(await(() -> !dx33.isEmpty() && dx33.getService().onChipCache().ways() == 4),
                "deleting the configuration restores the defaults");
    }

    @Test
    void aClockThatIsNoNumberUnregistersTheModelUntilFixed(
            @InjectService ConfigurationAdmin configAdmin,
            @InjectService(cardinality = 0, filter = "(name=i486dx33)") ServiceAware<ProcessorModel> dx33,
            @InjectService(cardinality = 0, filter = "(name=i486dx50)") ServiceAware<ProcessorModel> dx50) throws Exception {
        assertNotNull(dx33.waitForService(TIMEOUT_MS));
        Configuration config = configAdmin.getConfiguration("hw.cpu486.i486dx33", "?");
        try {
            Dictionary<String, Object> bad = new Hashtable<>();
            bad.put("clockMHz", "abc"); // what FileInstall passes for clockMHz=abc in a .cfg file
            config.update(bad);
            assertTrue(await(dx33::isEmpty), "i486dx33 must leave the registry with clockMHz=abc");
            assertNotNull(dx50.getService(), "the other model is untouched");

            Dictionary<String, Object> good = new Hashtable<>();
            good.put("clockMHz", "40");
            config.update(good);
            assertTrue(await(() -> !dx33.isEmpty() && dx33.getService().clockMHz() == 40),
                    "a valid configuration brings the model back");
        } finally {
            config.delete();
        }
        assertTrue(await(() -> !dx33.isEmpty() && dx33.getService().clockMHz() == 33),
                "deleting the configuration restores the defaults");
    }
}
