package org.l3wb.it.batch.plugin;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** The activator of a plugin bundle that fails to start: BadPluginTest puts this class file into a jar. */
public class ThrowingActivator implements BundleActivator {
    /** What the workbench's warning line must name. */
    public static final String MESSAGE = "no hardware found";

    @Override
    public void start(BundleContext context) {
        throw new IllegalStateException(MESSAGE);
    }

    @Override
    public void stop(BundleContext context) {
    }
}
