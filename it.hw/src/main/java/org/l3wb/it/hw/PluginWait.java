package org.l3wb.it.hw;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Collection;
import java.util.function.BooleanSupplier;

import org.l3wb.hw.api.ProcessorModel;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** Waits for ProcessorModel services that come and go asynchronously (FileInstall polls, DS reacts); see {@link Await}. */
final class PluginWait {

    private PluginWait() {
    }

    /** @return the ProcessorModel matching {@code filter}, waiting for it (see {@link Await}) */
    static ProcessorModel service(BundleContext context, String filter) throws InterruptedException {
        until(() -> !references(context, filter).isEmpty(), "a ProcessorModel " + filter);
        ServiceReference<ProcessorModel> ref = references(context, filter).iterator().next();
        ProcessorModel model = context.getService(ref);
        context.ungetService(ref); // the model object stays usable; the test holds no registration
        if (model == null) {
            fail("ProcessorModel " + filter + " went away while being fetched");
        }
        return model;
    }

    /** Waits until no ProcessorModel named {@code name} is registered. */
    static void gone(BundleContext context, String name) throws InterruptedException {
        until(() -> references(context, "(name=" + name + ")").isEmpty(), "no ProcessorModel named " + name);
    }

    static void until(BooleanSupplier condition, String what) throws InterruptedException {
        Await.until(condition, what);
    }

    static Collection<ServiceReference<ProcessorModel>> references(BundleContext context, String filter) {
        try {
            return context.getServiceReferences(ProcessorModel.class, filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
