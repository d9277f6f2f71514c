package org.l3wb.hw.cpu486;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.l3wb.hw.api.ProcessorModel;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * An invalid configuration of a model (as a bad {@code plugins/hw.cpu486.i486dx33.cfg} gives it)
 * registers nothing and is reported in exactly one line naming the PID and the setting, instead of
 * failing the activation (which made SCR print a stack trace); a valid one registers the model.
 */
class I486ModelConfigurationTest {
    /** A configuration with the defaults except {@code overrides} (a Throwable is thrown, as SCR does). */
    private static I486Config config(Map<String, Object> overrides) {
        I486Config defaults = StandardModels.defaults(50);
        return (I486Config) Proxy.newProxyInstance(I486Config.class.getClassLoader(), new Class<?>[] {I486Config.class},
                (p, m, a) -> {
                    Object o = overrides.get(m.getName());
                    if (o instanceof RuntimeException e) {
                        throw e;
                    }
                    return o != null ? o : m.invoke(defaults, a);
                });
    }

    /** What SCR throws when a property cannot be coerced (its ComponentException is a RuntimeException). */
    static final class Uncoercible extends RuntimeException {
        Uncoercible(String message) {
            super(message);
        }
    }

    /** Records registrations; anything else a model does not call. */
    static final class Registry {
        final List<Dictionary<String, ?>> registered = new ArrayList<>();
        final BundleContext context = (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (p, m, a) -> {
                    if (!m.getName().equals("registerService")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    registered.add((Dictionary<String, ?>) a[2]);
                    return Proxy.newProxyInstance(ServiceRegistration.class.getClassLoader(),
                            new Class<?>[] {ServiceRegistration.class}, (r, rm, ra) -> {
                                if (rm.getName().equals("unregister")) {
                                    registered.remove(0);
                                    return null;
                                }
                                throw new UnsupportedOperationException(rm.getName());
                            });
                });
    }

    @Test
    void aCacheThatIsNotAPowerOfTwoIsOneLineAndNoRegistration() {
        Registry registry = new Registry();
        List<String> lines = new ArrayList<>();
        I486Dx33 model = new I486Dx33();
        assertFalse(model.register(registry.context, config(Map.of("cacheWays", 3)), lines::add));
        assertEquals(List.of("configuration hw.cpu486.i486dx33 rejected (i486dx33: cache.ways must be a positive"
                + " power of two, got 3); i486dx33 is not offered until it is fixed"), lines);
        assertFalse(model.registered());
        assertTrue(registry.registered.isEmpty());
    }

    @Test
    void aClockThatIsNotANumberIsOneLineNamingTheSetting() {
        Registry registry = new Registry();
        List<String> lines = new ArrayList<>();
        I486Dx50 model = new I486Dx50();
        assertFalse(model.register(registry.context,
                config(Map.of("clockMHz", new Uncoercible("Unrecognized input value: abc of type: class java.lang.String"))),
                lines::add));
        assertEquals(List.of("configuration hw.cpu486.i486dx50 rejected (i486dx50: clockMHz is not an integer"
                + " (Unrecognized input value: abc of type: class java.lang.String)); i486dx50 is not offered until it"
                + " is fixed"), lines);
        assertFalse(model.registered());
        assertTrue(registry.registered.isEmpty());

        lines.clear(); // as Felix SCR words it for clockMHz=abc from a .cfg file
        assertFalse(model.register(registry.context,
                config(Map.of("clockMHz", new Uncoercible("java.lang.NumberFormatException: For input string: \"abc\""))),
                lines::add));
        assertEquals(List.of("configuration hw.cpu486.i486dx50 rejected (i486dx50: clockMHz is not an integer"
                + " (For input string: \"abc\")); i486dx50 is not offered until it is fixed"), lines);
    }

    @Test
    void aValidConfigurationRegistersTheModelSilently() {
        Registry registry = new Registry();
        List<String> lines = new ArrayList<>();
        I486Dx33 model = new I486Dx33();
        assertTrue(model.register(registry.context, config(Map.of("clockMHz", 33, "cacheWays", 2)), lines::add));
        assertEquals(List.of(), lines);
        assertTrue(model.registered());
        assertEquals(1, registry.registered.size());
        assertEquals("i486dx33", registry.registered.get(0).get(ProcessorModel.NAME));
        assertEquals(33, registry.registered.get(0).get("clockMHz"));
        assertEquals(2, model.onChipCache().ways());
        model.unregister();
        assertFalse(model.registered());
        assertTrue(registry.registered.isEmpty());
    }
}
