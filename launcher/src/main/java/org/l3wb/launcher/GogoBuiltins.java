package org.l3wb.launcher;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * In batch mode the shell bundle (gogo.jline) is not started, so its built-in commands
 * ({@code echo}, {@code grep}, {@code each}, ...) are not registered. This registers them the
 * way gogo.jline's activator does, loading the classes from the (resolved, stopped) bundle; if
 * anything is missing it quietly registers nothing: workbench commands do not need them.
 */
final class GogoBuiltins {

    private static final String JLINE_BSN = "org.apache.felix.gogo.jline";
    private final List<ServiceRegistration<?>> regs = new ArrayList<>();

    static GogoBuiltins register(BundleContext context, CommandProcessor processor) {
        GogoBuiltins b = new GogoBuiltins();
        for (Bundle bundle : context.getBundles()) {
            if (JLINE_BSN.equals(bundle.getSymbolicName()) && bundle.getState() != Bundle.ACTIVE) {
                try {
                    b.add(context, bundle, "Builtin", null);
                    b.add(context, bundle, "Procedural", null);
                    b.add(context, bundle, "Posix", processor);
                } catch (Throwable t) {
                    b.unregister(); // all or nothing
                }
                break;
            }
        }
        return b;
    }

    private void add(BundleContext context, Bundle bundle, String simpleName, CommandProcessor processor)
        throws Exception {
        Class<?> c = bundle.loadClass("org.apache.felix.gogo.jline." + simpleName);
        Object instance = processor == null
            ? c.getConstructor().newInstance()
            : c.getConstructor(CommandProcessor.class).newInstance(processor);
        Field f = c.getDeclaredField("functions");
        f.setAccessible(true);
        String[] functions = (String[]) f.get(null);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(CommandProcessor.COMMAND_SCOPE, "gogo");
        props.put(CommandProcessor.COMMAND_FUNCTION, functions);
        regs.add(context.registerService(Object.class.getName(), instance, props));
    }

    void unregister() {
        for (ServiceRegistration<?> r : regs) {
            try {
                r.unregister();
            } catch (IllegalStateException gone) {
                // already unregistered
            }
        }
        regs.clear();
    }
}
